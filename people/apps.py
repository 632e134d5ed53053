from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_migrate


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and organisation"

    def ready(self):
        from .roles import ensure_role_groups
        from .sessions import session_start, sessions_end_others

        # After every migrate (and test-database flush) the role groups and their permissions exist.
        post_migrate.connect(ensure_role_groups, sender=self)
        # Session bookkeeping (people/sessions.py): when each session began; signing out ends the others.
        user_logged_in.connect(session_start, dispatch_uid="people.session_start")
        user_logged_out.connect(sessions_end_others, dispatch_uid="people.sessions_end_others")
