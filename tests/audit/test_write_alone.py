"""An audit entry written outside any transaction, as a page's reading is: its own transaction (on
PostgreSQL two round trips, audit.chain._append_alone), chained after the last entry; one that fails leaves
nothing behind, neither an entry nor the writers' lock."""

import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection

from audit.models import AuditEntry
from audit.services import audit_record, audit_record_many
from people.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def chain_report():
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def test_a_case_page_read_outside_a_transaction_is_chained(client, case_about_colleague, supervisor):
    client.force_login(supervisor)
    before = AuditEntry.objects.count()

    for _ in range(2):
        assert client.get(case_about_colleague.get_absolute_url()).status_code == 200

    first, second = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).order_by("id")
    assert (first.actor, first.case, first.what) == (supervisor, case_about_colleague,
                                                     f"viewed {case_about_colleague.reference}")  # fmt: skip
    assert second.prev_hash == first.hash
    assert chain_report().startswith(f"Audit chain whole: {before + 2} entries")


def test_entries_written_together_alone_are_chained_in_order(governance):
    made = audit_record_many(
        [{"actor": governance, "action": AuditEntry.Action.CHANGE, "what": f"step {n}"} for n in range(3)]
    )

    stored = list(AuditEntry.objects.order_by("id"))
    assert [entry.what for entry in stored] == ["step 0", "step 1", "step 2"]
    assert [entry.pk for entry in stored] == [entry.pk for entry in made]
    assert [entry.hash for entry in stored] == [entry.hash for entry in made]
    assert chain_report().startswith("Audit chain whole: 3 entries")


# A reference to no one fails at the commit (PostgreSQL checks foreign keys there); no action, at the insert.
FAILURES = {
    "at the commit": {"actor": User(pk=10**9, username="nobody"), "action": AuditEntry.Action.VIEW},
    "at the insert": {"actor": None, "action": None},
}


@pytest.mark.parametrize("failure", FAILURES)
def test_a_write_that_fails_leaves_no_entry_and_the_next_one_chains_on(governance, failure):
    audit_record(actor=governance, action=AuditEntry.Action.VIEW, what="before")

    with pytest.raises(IntegrityError):
        audit_record(**FAILURES[failure], what="refused by the database")

    assert not connection.in_atomic_block
    after = audit_record(actor=governance, action=AuditEntry.Action.VIEW, what="after")
    assert list(AuditEntry.objects.order_by("id").values_list("what", flat=True)) == ["before", "after"]
    assert AuditEntry.objects.get(pk=after.pk).prev_hash == AuditEntry.objects.get(what="before").hash
    assert chain_report().startswith("Audit chain whole: 2 entries")
