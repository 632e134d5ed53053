"""`manage.py verify_audit`: the audit chain is whole, or the first entry changed, inserted or removed is
named and the command exits 1."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit import chain
from audit.models import AuditEntry
from audit.services import audit_record, audit_record_many

pytestmark = pytest.mark.django_db


def verify_audit():
    """(exit code, what it printed)."""
    out = io.StringIO()
    try:
        call_command("verify_audit", stdout=out)
    except CommandError as error:
        return error.returncode, str(error)
    return 0, out.getvalue()


@pytest.fixture
def entries(governance, staff):
    """Six entries through the app: one at a time, some in one insert, one with details and no actor."""
    made = [
        audit_record(actor=governance, action=AuditEntry.Action.VIEW, what="viewed the audit log"),
        audit_record(
            actor=staff, action=AuditEntry.Action.EXPORT, what="exported", details={"rows": 3, "ratio": 2.0}
        ),
    ]
    made += audit_record_many(
        [
            {"actor": governance, "action": AuditEntry.Action.CHANGE, "what": f"changed thing {n}"}
            for n in range(3)
        ]
    )
    made.append(audit_record(actor=None, action=AuditEntry.Action.CHANGE, what="escalated by the sweep"))
    return made


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_a_whole_chain_exits_0_with_its_last_entry(entries):
    code, output = verify_audit()
    assert code == 0
    last = AuditEntry.objects.order_by("id").last()
    assert f"{len(entries)} entries" in output
    assert f"#{last.pk} with hash {last.hash}" in output


def test_an_empty_log_is_whole():
    assert verify_audit() == (0, "Audit chain whole: no entries yet.\n")


@pytest.mark.parametrize(
    "change",
    [
        "SET what = 'viewed nothing'",
        "SET actor_id = NULL",
        "SET action = 'view'",
        "SET at = at + interval '1 second'" if connection.vendor == "postgresql" else "SET at = '2020-01-01'",
        "SET details = '{\"rows\": 300}'",
        "SET ip_address = '192.0.2.9'",
        "SET prev_hash = hash",
    ],
)
def test_an_entry_changed_in_the_database_is_named(entries, change):
    changed = entries[3]
    sql("UPDATE audit_auditentry " + change + " WHERE id = %s", [changed.pk])

    code, output = verify_audit()

    assert code == 1
    assert f"broken at entry {changed.pk}:" in output
    assert "changed" in output


def test_an_entry_whose_hash_was_recomputed_breaks_the_link_to_the_next(entries):
    changed, after = entries[2], entries[3]
    changed.what = "changed the story"
    new_hash = chain.seal(changed.prev_hash, chain.canonical(*(getattr(changed, f) for f in chain.CONTENT)))
    params = [changed.what, new_hash, changed.pk]
    sql("UPDATE audit_auditentry SET what = %s, hash = %s WHERE id = %s", params)

    code, output = verify_audit()

    assert code == 1
    assert f"broken at entry {after.pk}:" in output


def test_an_entry_removed_names_the_entry_after_the_gap(entries):
    removed, after = entries[2], entries[3]
    sql("DELETE FROM audit_auditentry WHERE id = %s", [removed.pk])

    code, output = verify_audit()

    assert code == 1
    assert f"broken at entry {after.pk}:" in output
    assert "removed" in output


def test_the_first_entry_removed_names_the_second(entries):
    sql("DELETE FROM audit_auditentry WHERE id = %s", [entries[0].pk])

    code, output = verify_audit()

    assert (code, f"broken at entry {entries[1].pk}:" in output) == (1, True)


def _skip_ids(count):
    """Leave a gap in the ids, as a rolled-back write does, for a forged entry to be put into."""
    if connection.vendor == "postgresql":
        sql(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), nextval(pg_get_serial_sequence(%s, 'id')) + %s)",
            [AuditEntry._meta.db_table, AuditEntry._meta.db_table, count],
        )
    else:
        sql("UPDATE sqlite_sequence SET seq = seq + %s WHERE name = %s", [count, AuditEntry._meta.db_table])


@pytest.mark.parametrize("forged_hash", ["valid", "made up"])
def test_an_entry_inserted_in_the_middle_is_named(governance, forged_hash):
    before = audit_record(actor=governance, action=AuditEntry.Action.VIEW, what="viewed the first")
    _skip_ids(5)
    after = audit_record(actor=governance, action=AuditEntry.Action.VIEW, what="viewed the second")
    assert after.pk > before.pk + 1
    audit_record(actor=governance, action=AuditEntry.Action.VIEW, what="viewed the third")
    # Someone who knows how the chain is made links a forged entry to the one before it.
    forged = AuditEntry(
        id=before.pk + 1, at=before.at, actor=governance, action="view", what="viewed nothing at all"
    )
    forged.prev_hash = before.hash
    content = chain.canonical(*(getattr(forged, f) for f in chain.CONTENT))
    forged.hash = chain.seal(before.hash, content) if forged_hash == "valid" else "f" * 64
    AuditEntry.objects.bulk_create([forged])

    code, output = verify_audit()

    assert code == 1
    assert f"broken at entry {forged.pk}:" in output
    assert "inserted" in output


def test_entries_written_later_continue_the_chain(entries, governance):
    assert verify_audit()[0] == 0
    audit_record(actor=governance, action=AuditEntry.Action.VIEW, what="viewed again")
    assert verify_audit()[0] == 0


def test_oldest_entries_deleted_under_retention_leave_a_chain_that_verifies_from_there(entries):
    third = entries[2]
    assert chain.delete_oldest(third.pk, batch=1) == 2
    assert verify_audit()[0] == 0
    # The next entry chains on as before.
    audit_record(actor=None, action=AuditEntry.Action.VIEW, what="read after the deletion")
    assert verify_audit()[0] == 0
    # Any other entry removed from the start is still noticed: the next one names the gap.
    sql("DELETE FROM audit_auditentry WHERE id = %s", [third.pk])
    assert verify_audit()[0] == 1
    assert f"entry {entries[3].pk}:" in verify_audit()[1]


def test_deleting_every_old_entry_keeps_the_newest_for_the_chain_to_go_on_from(entries):
    assert chain.delete_oldest(None) == len(entries) - 1
    assert list(AuditEntry.objects.values_list("pk", flat=True)) == [entries[-1].pk]
    audit_record(actor=None, action=AuditEntry.Action.VIEW, what="read after the deletion")
    assert verify_audit()[0] == 0
