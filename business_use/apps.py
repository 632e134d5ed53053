from django.apps import AppConfig


class BusinessUseConfig(AppConfig):
    name = "business_use"
    verbose_name = "Business use of social media"

    def ready(self):
        # Registers the business use timers' handlers with the sweep (reminders.sweep.handles).
        # Whoever approved a business post a case cites may not handle that case (conflict of interest).
        from cases.conflicts import also_excluded

        from . import timers  # noqa: F401
        from .selectors import approvers_of_cited

        also_excluded(approvers_of_cited)
