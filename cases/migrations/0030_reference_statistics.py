# A search by part of a reference (All cases' "Reference contains") finds a handful of a million cases
# through the trigram index, but with the default hundred-value statistics PostgreSQL guessed some ten
# thousand: it then read the newest cases one by one for 26 that matched, 316 ms for "-2023-01" (100
# matches, all in 2023) instead of 2.6 ms (issue 13). A thousand values estimate such a part from its
# matches; ANALYZE of the cases reads ten times the rows for it, once a night or so.

from django.db import migrations

STATISTICS = "ALTER TABLE cases_case ALTER COLUMN reference SET STATISTICS {}"


def fine(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(STATISTICS.format(1000))


def default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(STATISTICS.format(-1))


class Migration(migrations.Migration):
    dependencies = [("cases", "0029_case_list_indexes")]

    operations = [migrations.RunPython(fine, default)]
