from django.apps import AppConfig


class DisciplineConfig(AppConfig):
    name = "discipline"
    verbose_name = "Disciplinary records"

    def ready(self):
        from audit.services import audit_hide_own_records

        from .selectors import own_record_references

        audit_hide_own_records(own_record_references)
