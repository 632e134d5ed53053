from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders and escalation"

    def ready(self):
        from .schedule import ensure_schedule

        # The beat schedule lives in django-celery-beat's tables, where administrators can see and adjust it.
        post_migrate.connect(ensure_schedule, sender=self)
