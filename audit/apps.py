from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit log"

    def ready(self):
        from people.services import when_person_leaves

        from .models import AuditEntry
        from .services import audit_record

        @when_person_leaves
        def record_leaving(*, person, by):
            audit_record(
                actor=by,
                action=AuditEntry.Action.CHANGE,
                what=f"{person} left: their access ended and their sessions were signed out",
                details={"person": person.pk, "left_on": str(person.left_on or "")},
            )
