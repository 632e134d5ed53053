from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dataprotection.models import SubjectAccessRequest
from dataprotection.services import subject_access_export
from people.models import ANONYMISED_USERNAME, User


class Command(BaseCommand):
    help = (
        "Write everything held about a person (UK GDPR article 15) to a zip file: JSON and CSV of their "
        "records, the files they uploaded, other people's names redacted, a README inside. Audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--out", required=True, help="The zip file to write, e.g. subject-data.zip.")

    def handle(self, *args, username, out, **options):
        person = User.objects.exclude(username=ANONYMISED_USERNAME).filter(username=username).first()
        if person is None:
            raise CommandError(f"There is nobody with the username {username!r}.")
        path = Path(out)
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent} is not a folder: say where to write the archive.")
        if path.exists():
            raise CommandError(f"{path} exists already: choose a new file name.")
        # The oldest unanswered request of the person's, if one was recorded, is answered by this archive.
        waiting = SubjectAccessRequest.objects.filter(person=person, answered_at__isnull=True)
        request = waiting.order_by("received_on").first()
        counts = subject_access_export(person=person, by=None, out=path, request=request)
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write(f"Written to {path}")
