"""All cases filtered by "reference contains": a trigram index, so that the database does not read every
reference for it. PostgreSQL only (pg_trgm); on SQLite, the tests' database, the filter reads the table."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# The expression must be the one Django's icontains writes on PostgreSQL: UPPER("reference"::text) LIKE ….
CREATE = "CREATE INDEX IF NOT EXISTS case_reference_trigram_idx ON cases_case USING gin (UPPER(reference::text) gin_trgm_ops)"
DROP = "DROP INDEX IF EXISTS case_reference_trigram_idx"


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_case_stage_order")]

    operations = [
        TrigramExtension(),  # Does nothing on another database.
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP)),
    ]
