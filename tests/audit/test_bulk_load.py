"""audit.chain.load, seed_scale's way of writing many entries (COPY, PostgreSQL only): the entries are
stored as given, chained as they are written, and the app's next entries continue the chain."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit import chain
from audit.models import AuditEntry
from audit.services import audit_record

pytestmark = pytest.mark.django_db

AWKWARD = ["tab\there", "two\nlines", "back\\slash", "\\N", 'quote " and ’curly’', "carriage\rreturn"]


def test_loaded_entries_are_kept_as_given_and_chained(governance, staff):
    audit_record(actor=governance, action=AuditEntry.Action.VIEW, what="before the load")
    now = timezone.now()
    rows = [
        (now, staff.pk, "192.0.2.7", AuditEntry.Action.VIEW.value, None, what, {"text": what, "n": [1, 2.5]})
        for what in AWKWARD
    ]

    assert chain.load(iter(rows), batch=4) == len(AWKWARD)
    audit_record(actor=governance, action=AuditEntry.Action.VIEW, what="after the load")

    loaded = AuditEntry.objects.filter(actor=staff).order_by("pk")
    assert [entry.what for entry in loaded] == AWKWARD
    assert [entry.details["text"] for entry in loaded] == AWKWARD
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert out.getvalue().startswith(f"Audit chain whole: {len(AWKWARD) + 2} entries")
