from django.apps import AppConfig


class SigninConfig(AppConfig):
    """Sign-in protections that write the audit log: lockout after repeated failures (django-axes) and
    two-factor sign-in (django-otp). Passwords and session limits live in people."""

    name = "signin"
    verbose_name = "Sign-in"

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        from .lockout import lockout_record
        from .twofactor import session_note_enrolment

        user_locked_out.connect(lockout_record, dispatch_uid="signin.lockout_record")
        user_logged_in.connect(session_note_enrolment, dispatch_uid="signin.session_note_enrolment")
