from django.db import migrations

# The defaults as they stood when this migration was written (dataprotection.models.DEFAULT_SCHEDULE may
# change later; a migration must not).
DEFAULTS = [
    ("concern_closed_at_triage", 12, "closing", "anonymised"),
    ("closed_case", 72, "closing", "anonymised"),
    ("disciplinary_record", 72, "the employee leaving", "anonymised"),
    ("audit_entry", 84, "the entry", "deleted"),
    ("business_use_request", 24, "the decision (or withdrawal)", "anonymised"),
    ("evidence", None, "its case", "deleted with its case"),
]


def create_defaults(apps, schema_editor):
    RetentionRule = apps.get_model("dataprotection", "RetentionRule")
    RetentionRule.objects.bulk_create(
        [
            RetentionRule(kind=kind, months=months, counted_from=counted_from, then=then)
            for kind, months, counted_from, then in DEFAULTS
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("dataprotection", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
