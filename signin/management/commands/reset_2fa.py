from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from signin.twofactor import two_factor_reset


class Command(BaseCommand):
    help = (
        "Recovery: remove a person's authenticator app and backup codes, so that they set up two-factor "
        "sign-in again at their next sign-in. Audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reason", default="", help="Why, for the audit log.")

    def handle(self, *args, username, reason, **options):
        try:
            person = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No person with the username {username!r}.") from None
        removed = two_factor_reset(user=person, by=None, reason=reason or "reset_2fa command")
        self.stdout.write(f"Two-factor sign-in reset for {username}: {removed} device(s) removed.")
