"""audit 0006: the entries written before the chain are chained in id order, so that the database verifies."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("audit", "0005_auditentry_actor_and_action_indexes")]
AFTER = [("audit", "0006_hash_chain")]
LATEST = [("audit", "0007_chain_start")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_entries_are_chained_and_verify(governance, monkeypatch):
    old_entry = migrate(BEFORE).get_model("audit", "AuditEntry")
    old_entry.objects.all().delete()
    monkeypatch.setattr("audit.chain.BATCH", 2)  # several batches from a few entries
    for n in range(5):
        old_entry.objects.create(
            actor_id=governance.pk, action="view", what=f"viewed {n}", details={"n": n} if n % 2 else {}
        )
    old_entry.objects.create(actor_id=None, action="change", what="escalated", ip_address="192.0.2.1")

    entry = migrate(AFTER).get_model("audit", "AuditEntry")

    assert not entry.objects.filter(hash="").exists()
    assert entry.objects.order_by("id").first().prev_hash == "0" * 64
    migrate(LATEST)  # verify_audit as it is now, with the tables of the migrations after 0006
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert out.getvalue().startswith("Audit chain whole: 6 entries")
