from django.core.management.base import BaseCommand

from dataprotection.retention import retention_apply, retention_due


class Command(BaseCommand):
    help = (
        "Anonymise or delete what the retention schedule says is due, skipping anything under a legal hold. "
        "Beat runs it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be done; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            counts, examples = retention_due()
            self.stdout.write("Dry run: nothing changed. Due today:")
            for label, count in counts.items():
                shown = examples.get(label) or []
                more = f", and {count - len(shown)} more" if count > len(shown) else ""
                listed = f" ({', '.join(shown)}{more})" if shown else ""
                self.stdout.write(f"{label}: {count}{listed}")
            return
        for label, count in retention_apply().items():
            self.stdout.write(f"{label}: {count}")
