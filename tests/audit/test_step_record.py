"""audit.services.step_record: a step's timeline entry and its audit entry, together or not at all."""

import pytest
from django.db import IntegrityError

from audit import services
from audit.models import AuditEntry
from cases.models import CaseEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(raise_case, staff):
    return raise_case(staff)


def test_the_timeline_entry_and_the_audit_entry_are_written(case, supervisor):
    event = services.step_record(
        CaseEvent(case=case, kind=CaseEvent.Kind.NOTE, actor=supervisor, text="Called the reporter."),
        actor=supervisor,
        case=case,
        what=f"added a note to {case.reference}",
        details={"why": "test"},
    )
    assert CaseEvent.objects.get(pk=event.pk).text == "Called the reporter."
    entry = AuditEntry.objects.first()
    assert (entry.action, entry.what, entry.case, entry.details, entry.actor) == (
        AuditEntry.Action.CHANGE,
        f"added a note to {case.reference}",
        case,
        {"why": "test"},
        supervisor,
    )


def test_when_the_audit_entry_fails_the_timeline_entry_is_not_kept(case, supervisor, monkeypatch):
    def broken(**kwargs):
        raise IntegrityError("the audit log is unavailable")

    monkeypatch.setattr(services, "audit_record", broken)
    events, entries = CaseEvent.objects.count(), AuditEntry.objects.count()
    with pytest.raises(IntegrityError):
        services.step_record(
            CaseEvent(case=case, kind=CaseEvent.Kind.NOTE, actor=supervisor, text="Lost."),
            actor=supervisor,
            case=case,
            what="added a note",
        )
    assert (CaseEvent.objects.count(), AuditEntry.objects.count()) == (events, entries)
