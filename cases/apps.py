from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Concerns and cases"

    def ready(self):
        # Registers the timer handlers (breach, timers) with the sweep, and what a person's leaving means
        # to their cases (leaving) with people.services.when_person_leaves.
        from . import breach, leaving, timers  # noqa: F401
