from django.apps import AppConfig


class DataProtectionConfig(AppConfig):
    name = "dataprotection"
    verbose_name = "Data protection"

    def ready(self):
        # A subject access request's reminder and escalation register their handlers with the timer sweep.
        from . import timers  # noqa: F401
