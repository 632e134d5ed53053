"""`manage.py verify_audit`: walk the audit chain; exit 0 when whole, else 1 naming the first broken entry."""

from django.core.management.base import BaseCommand, CommandError

from audit.chain import verify


class Command(BaseCommand):
    help = "Check that no audit entry was changed, inserted or removed (exit 1 and its id if one was)."

    def handle(self, *args, **options):
        verdict = verify()
        if not verdict.whole:
            raise CommandError(
                f"Audit chain broken at entry {verdict.broken_at}: {verdict.reason}. "
                f"({verdict.entries} entries read.)",
                returncode=1,
            )
        if verdict.last_id is None:
            self.stdout.write("Audit chain whole: no entries yet.")
        else:
            # The last id and hash: kept from run to run, they show if the newest entries are removed.
            self.stdout.write(
                f"Audit chain whole: {verdict.entries} entries, the last #{verdict.last_id} "
                f"with hash {verdict.last_hash}."
            )
