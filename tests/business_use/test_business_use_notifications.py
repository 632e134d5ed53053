"""Who is told, and what is recorded, as a request moves: the person who must act next is notified, the
requester hears of each decision, and every change leaves an audit entry."""

import pytest

from audit.models import AuditEntry
from business_use import services
from business_use.models import Kind, State
from notifications.models import Kind as NotificationKind
from notifications.models import Notification
from tests.business_use.conftest import FIELDS

pytestmark = pytest.mark.django_db


def _notes(person, kind):
    return list(Notification.objects.filter(recipient=person, kind=kind))


def test_the_supervisor_is_told_a_request_is_waiting(staff, supervisor):
    request = services.business_use_submit(
        requester=staff, kind=Kind.OFFICIAL_POST, **FIELDS[Kind.OFFICIAL_POST]
    )
    [note] = _notes(supervisor, NotificationKind.BUSINESS_USE_WAITING)
    assert note.link == request.get_absolute_url()
    assert request.reference in note.title
    # Neutral words only: nothing of the proposed content.
    assert FIELDS[Kind.OFFICIAL_POST]["content"] not in note.title


def test_the_communications_team_is_told_when_content_is_approved(make_request, actors, comms):
    assert _notes(comms, NotificationKind.BUSINESS_USE_WAITING) == []
    request = make_request(Kind.OFFICIAL_POST, State.WITH_COMMUNICATIONS)
    [note] = _notes(comms, NotificationKind.BUSINESS_USE_WAITING)
    assert note.link == request.get_absolute_url()
    # Approving content is not yet a decision for the requester.
    assert _notes(actors["requester"], NotificationKind.BUSINESS_USE_DECIDED) == []


@pytest.mark.parametrize("kind", [Kind.RECOMMENDATION, Kind.ADVICE])
def test_the_communications_team_is_told_of_new_recommendations_and_questions(staff, comms, kind):
    services.business_use_submit(requester=staff, kind=kind, **FIELDS[kind])
    assert len(_notes(comms, NotificationKind.BUSINESS_USE_WAITING)) == 1


def test_the_head_of_information_security_is_told_of_questions_about_acceptable_sites(staff, comms, infosec):
    services.business_use_submit(requester=staff, kind=Kind.ADVICE, **FIELDS[Kind.ADVICE])
    assert len(_notes(infosec, NotificationKind.BUSINESS_USE_WAITING)) == 1
    services.business_use_submit(requester=staff, kind=Kind.RECOMMENDATION, **FIELDS[Kind.RECOMMENDATION])
    assert len(_notes(infosec, NotificationKind.BUSINESS_USE_WAITING)) == 1


@pytest.mark.parametrize(
    ("kind", "state"),
    [
        (Kind.OFFICIAL_POST, State.PUBLISHED),
        (Kind.OFFICIAL_POST, State.CHANGES_REQUESTED),
        (Kind.OFFICIAL_POST, State.DECLINED),
        (Kind.PROFESSIONAL_SITE, State.AUTHORISED),
        (Kind.RECOMMENDATION, State.MADE),
        (Kind.RECOMMENDATION, State.DECLINED),
        (Kind.ADVICE, State.ANSWERED),
    ],
)
def test_the_requester_is_told_of_each_decision(make_request, actors, kind, state):
    request = make_request(kind, state)
    [note] = _notes(actors["requester"], NotificationKind.BUSINESS_USE_DECIDED)
    assert note.link == request.get_absolute_url()
    assert state.label.lower() in note.title


def test_a_withdrawn_request_tells_nobody_it_is_decided(make_request, actors):
    make_request(Kind.OFFICIAL_POST, State.WITHDRAWN)
    assert _notes(actors["requester"], NotificationKind.BUSINESS_USE_DECIDED) == []


def test_a_resubmitted_request_is_waiting_for_the_supervisor_again(make_request, actors):
    request = make_request(Kind.OFFICIAL_POST, State.CHANGES_REQUESTED)
    services.business_use_resubmit(request=request, by=actors["requester"], content="Changed.")
    assert len(_notes(actors["approver"], NotificationKind.BUSINESS_USE_WAITING)) == 2


def test_every_change_is_in_the_audit_log(make_request, actors):
    request = make_request(Kind.OFFICIAL_POST, State.PUBLISHED)
    entries = AuditEntry.objects.filter(details__business_use_request=request.pk).order_by("pk")
    assert [(e.actor, e.action) for e in entries] == [
        (actors["requester"], AuditEntry.Action.CHANGE),
        (actors["approver"], AuditEntry.Action.CHANGE),
        (actors["communications"], AuditEntry.Action.CHANGE),
    ]
    assert [e.details["to"] for e in entries] == [
        State.WITH_SUPERVISOR,
        State.WITH_COMMUNICATIONS,
        State.PUBLISHED,
    ]
    assert request.reference in entries.last().what
