"""manage.py backup --out DIR: the database and every evidence file, consistent, with a manifest
(backups/archive.py; README, "Backup and restore")."""

from django.core.management.base import BaseCommand, CommandError

from backups.archive import backup_write
from backups.database import BackupError


class Command(BaseCommand):
    help = "Write a backup (database, evidence files as stored, manifest) into a new or empty folder."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="The folder to write it into (new or empty).")

    def handle(self, *args, out, **options):
        try:
            manifest = backup_write(out=out, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {out}: {sum(manifest['counts'].values())} rows in "
                f"{len(manifest['counts'])} tables, {len(manifest['files'])} files."
            )
        )
