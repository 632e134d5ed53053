from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """`manage.py backup` and `manage.py restore`: the database and the evidence files, taken together."""

    name = "backups"
    verbose_name = "Backups"
