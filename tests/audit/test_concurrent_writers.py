"""Two processes writing audit entries at once, each with its own connection, write one chain: no fork.
PostgreSQL only (on SQLite the write lock serialises writers anyway)."""

import io
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection

from audit.models import AuditEntry

ROOT = Path(__file__).resolve().parents[2]
WRITES = 40
EACH = WRITES - 4 + 4 * 3  # one at a time, and every tenth write three in one insert

# Each writer starts at the same moment (a time given to both), then writes as fast as it can.
WRITER = """
import sys, time
import django
django.setup()
from audit.models import AuditEntry
from audit.services import audit_record, audit_record_many
from people.models import User

actor = User.objects.get(pk=int(sys.argv[1]))
time.sleep(max(0, float(sys.argv[2]) - time.time()))
for n in range(int(sys.argv[3])):
    if n % 10 == 0:
        audit_record_many([{"actor": actor, "action": AuditEntry.Action.CHANGE, "what": f"changed {n}"}] * 3)
    else:
        audit_record(actor=actor, action=AuditEntry.Action.VIEW, what=f"viewed {n}")
"""


def database_url():
    """The test database, for another process."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{quote(db['USER'])}{password}@{host}:{port}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_two_processes_writing_at_once_keep_one_chain(governance, supervisor):
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TMPDIR") if name in os.environ}
    env.update(DJANGO_SETTINGS_MODULE="focuspolicy.settings.test", DATABASE_URL=database_url())
    start = time.time() + 3  # both have set Django up by then
    writers = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", WRITER, str(person.pk), str(start), str(WRITES)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for person in (governance, supervisor)
    ]
    results = [writer.communicate(timeout=120) for writer in writers]

    assert [writer.returncode for writer in writers] == [0, 0], [err for _, err in results]
    assert AuditEntry.objects.count() == 2 * EACH
    # They did write at once: each one's entries are interleaved with the other's somewhere.
    actors = list(AuditEntry.objects.order_by("id").values_list("actor_id", flat=True))
    assert sum(1 for before, after in zip(actors, actors[1:], strict=False) if before != after) > 1
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert out.getvalue().startswith(f"Audit chain whole: {2 * EACH} entries")
