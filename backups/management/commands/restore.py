"""manage.py restore DIR: a backup into an empty database and storage, checked against its manifest first
(backups/archive.py; README, "Backup and restore")."""

from django.core.management.base import BaseCommand, CommandError

from backups.archive import backup_restore, evidence_without_key
from backups.database import BackupError


class Command(BaseCommand):
    help = "Restore a backup into an empty database and evidence storage, after checking its manifest."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="The backup's folder, as `backup --out` wrote it.")

    def handle(self, *args, directory, **options):
        try:
            manifest = backup_restore(directory=directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {sum(manifest['counts'].values())} rows in {len(manifest['counts'])} tables and "
                f"{len(manifest['files'])} files, as backed up at {manifest['created_at']}."
            )
        )
        unopened = evidence_without_key()
        if unopened:
            self.stdout.write(
                self.style.WARNING(
                    f"{unopened} evidence file(s) were sealed with a key that EVIDENCE_ENCRYPTION_KEY does "
                    "not hold: they cannot be opened until it is added (from where the keys are kept)."
                )
            )
        self.stdout.write(
            "Next: `manage.py migrate` (it brings an older backup up to this version; otherwise it has "
            'nothing to do), then on PostgreSQL the app role\'s grants (README, "The audit trail").'
        )
