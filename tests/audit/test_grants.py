"""The grants of deploy/audit-grants.sql (README, for operators): as the application's role, an audit entry
can be written and read, and an UPDATE, DELETE or TRUNCATE of the audit table is refused. PostgreSQL only."""

from pathlib import Path

import pytest
from django.db import connection, transaction
from django.db.utils import ProgrammingError

from audit.models import AuditEntry
from audit.services import audit_record

pytestmark = pytest.mark.django_db

GRANTS = Path(__file__).resolve().parents[2] / "deploy" / "audit-grants.sql"
ROLE = "focuspolicy_app_test"


@pytest.fixture
def as_app_role(governance):
    """The app's role as an operator sets it up: every right on the app's tables, then the audit grants.
    Rolled back with the test, role and all."""
    audit_record(actor=governance, action=AuditEntry.Action.VIEW, what="viewed before the grants")
    statements = GRANTS.read_text().replace(':"app_role"', connection.ops.quote_name(ROLE))
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {ROLE} NOLOGIN")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {ROLE}")
        cursor.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {ROLE}")
        cursor.execute(statements)
        cursor.execute(f"SET LOCAL ROLE {ROLE}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def refused(statement, params=()):
    with pytest.raises(ProgrammingError, match="permission denied"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
    return True


def test_the_app_role_writes_and_reads_entries_but_cannot_change_or_remove_them(as_app_role, governance):
    entry = audit_record(actor=governance, action=AuditEntry.Action.VIEW, what="viewed under the grants")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone() == (ROLE,)

    assert refused("UPDATE audit_auditentry SET what = 'nothing' WHERE id = %s", [entry.pk])
    assert refused("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert refused("TRUNCATE audit_auditentry")
    assert AuditEntry.objects.get(pk=entry.pk).what == "viewed under the grants"
