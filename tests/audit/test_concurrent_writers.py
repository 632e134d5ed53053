"""Two writers at once, each with its own database connection, write one chain: no fork. PostgreSQL only
(on SQLite the write lock serialises them anyway)."""

import io
import threading

import pytest
from django.core.management import call_command
from django.db import connections

from audit.models import AuditEntry
from audit.services import audit_record, audit_record_many

WRITES = 40
EACH = WRITES - 4 + 4 * 3  # one at a time, and every tenth write three in one insert


def write(actor, start, failures):
    try:
        start.wait(timeout=10)
        for n in range(WRITES):
            if n % 10 == 0:
                audit_record_many(
                    [{"actor": actor, "action": AuditEntry.Action.CHANGE, "what": f"changed {n}"}] * 3
                )
            else:
                audit_record(actor=actor, action=AuditEntry.Action.VIEW, what=f"viewed {n}")
    except Exception as error:  # noqa: BLE001 - reported by the test below
        failures.append(error)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_two_writers_at_once_keep_one_chain(governance, supervisor):
    start, failures = threading.Barrier(2), []
    threads = [
        threading.Thread(target=write, args=(person, start, failures)) for person in (governance, supervisor)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    assert AuditEntry.objects.count() == 2 * EACH
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert out.getvalue().startswith(f"Audit chain whole: {2 * EACH} entries")
