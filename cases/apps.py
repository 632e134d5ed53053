from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Concerns and cases"

    def ready(self):
        from . import breach, timers  # noqa: F401 - registers their timer handlers with the sweep
