from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and organisation"

    def ready(self):
        from .roles import ensure_role_groups

        # After every migrate (and test-database flush) the role groups and their permissions exist.
        post_migrate.connect(ensure_role_groups, sender=self)
