from django.apps import AppConfig
from django.db.models.signals import post_delete


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Concerns and cases"

    def ready(self):
        # Registers the timer handlers (breach, timers) with the sweep, what a person's leaving means
        # to their cases (leaving) with people.services.when_person_leaves, and which cases a reader of
        # the audit log may open (access) with audit.services.audit_link_cases.
        from . import access, breach, leaving, timers  # noqa: F401
        from .evidence import forget_stored_file
        from .models import Evidence, KeptFile

        post_delete.connect(forget_stored_file, sender=Evidence, dispatch_uid="evidence.forget_stored_file")
        post_delete.connect(forget_stored_file, sender=KeptFile, dispatch_uid="kept_file.forget_stored_file")
