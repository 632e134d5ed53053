from django.urls import path

from . import audit_log

app_name = "exports"

# The audit log's download lives here, not in the audit app, which the export helpers themselves import.
urlpatterns = [path("audit-log.csv", audit_log.audit_log_csv, name="audit_log_csv")]
