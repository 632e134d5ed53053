"""Finding cases by a word (cases.search): a full-text index over what was seen and the subject's
description, and trigram indexes over the links and evidence file names (addresses are found by any part,
which words are not). PostgreSQL only; on SQLite (development) the search is a contains-match that reads the
table."""

from django.db import migrations

# The expression must be the one Django's SearchVector("description", "subject_description",
# config="english") writes, or PostgreSQL will not use the index for it.
TEXT = "to_tsvector('english'::regconfig, COALESCE(description, '') || ' ' || COALESCE(subject_description, ''))"
CREATE_TEXT = f"CREATE INDEX IF NOT EXISTS case_text_search_idx ON cases_case USING gin (({TEXT}))"
DROP_TEXT = "DROP INDEX IF EXISTS case_text_search_idx"
CREATE_LINKS = (
    "CREATE INDEX IF NOT EXISTS case_links_trigram_idx ON cases_case USING gin (UPPER(links::text) gin_trgm_ops)"
)
DROP_LINKS = "DROP INDEX IF EXISTS case_links_trigram_idx"
# As icontains writes it: UPPER("original_name"::text) LIKE UPPER(…).
CREATE_FILES = (
    "CREATE INDEX IF NOT EXISTS evidence_name_trigram_idx ON cases_evidence "
    "USING gin (UPPER(original_name::text) gin_trgm_ops)"
)
DROP_FILES = "DROP INDEX IF EXISTS evidence_name_trigram_idx"


def _on_postgresql(*statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0013_case_anonymised_at")]

    operations = [
        migrations.RunPython(
            _on_postgresql(CREATE_TEXT, CREATE_LINKS, CREATE_FILES),
            _on_postgresql(DROP_TEXT, DROP_LINKS, DROP_FILES),
        ),
    ]
