from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from policies.importer import PolicyFormatError, decode_policy_bytes
from policies.models import Clause
from policies.services import policy_import


class Command(BaseCommand):
    help = (
        "Import a policy from a plain-text file as a new draft version. "
        "Importing the same text again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", type=Path, help="The policy as a plain-text file (UTF-8 or Windows-1252)."
        )
        parser.add_argument(
            "--title",
            help='The policy\'s title, e.g. "Social Media Policy". By default, the first line of the file.',
        )

    def handle(self, *args, path, title=None, **options):
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: cannot read the file ({error.strerror or error})") from error
        try:
            result = policy_import(text=decode_policy_bytes(data), title=title)
        except PolicyFormatError as error:
            raise CommandError(f"{path}: {error}") from error

        version = result.version
        name = f"{version.policy.title} version {version.number}"
        if not result.created:
            self.stdout.write(f"{name} already has this text; nothing imported.")
            return
        sections = version.sections.count()
        clauses = Clause.objects.filter(section__version=version).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {name} ({version.get_status_display().lower()}): "
                f"{_count(sections, 'section')}, {_count(clauses, 'clause')}."
            )
        )


def _count(number, noun):
    return f"{number} {noun}{'' if number == 1 else 's'}"
