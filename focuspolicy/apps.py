from django.apps import AppConfig


class FocuspolicyConfig(AppConfig):
    """The project itself, on top of every app: the home page, the navigation and the demo data command
    draw on all of them, so they live here and no app has to import another to build them."""

    name = "focuspolicy"
    verbose_name = "focuspolicy"

    def ready(self):
        from core.logs import connect_signals

        connect_signals()
