from django.core.management.base import BaseCommand

from reminders.services import run_reminders


class Command(BaseCommand):
    help = "Run one sweep of every reminder, escalation and notification delivery (for cron, without beat)."

    def handle(self, *args, **options):
        for what, count in run_reminders().items():
            self.stdout.write(f"{what}: {count}")
