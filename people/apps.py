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
        # Each login's session is remembered, so that leaving can end it (people.services.person_leave).
        user_logged_in.connect(_record_login_session, dispatch_uid="people.login_session")


def _record_login_session(sender, request, user, **kwargs):
    from .services import login_session_remember

    session = getattr(request, "session", None)
    if session is not None:
        if session.session_key is None:
            # Flushed by login (someone else was signed in in this browser): give it its key now, so that
            # it is remembered here rather than on its first request.
            session.save()
        login_session_remember(user=user, session=session)
