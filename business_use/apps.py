from django.apps import AppConfig


class BusinessUseConfig(AppConfig):
    name = "business_use"
    verbose_name = "Business use of social media"

    def ready(self):
        # Registers the business use timers' handlers with the sweep (reminders.sweep.handles).
        from . import timers  # noqa: F401
