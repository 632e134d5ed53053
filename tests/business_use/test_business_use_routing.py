"""Where a new request goes (6.1, 6.4 to the supervisor; 6.2, 6.5, 6.6 to the communications team), using
the same routing as concerns: people who have left, or the requester themselves, are skipped."""

import pytest

from business_use import services
from business_use.models import Kind, State
from core.errors import DomainError
from people.models import User
from tests.business_use.conftest import FIELDS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", [Kind.OFFICIAL_POST, Kind.PROFESSIONAL_SITE])
def test_posts_and_professional_sites_go_to_the_requesters_supervisor(staff, supervisor, kind):
    request = services.business_use_submit(requester=staff, kind=kind, **FIELDS[kind])
    assert request.state == State.WITH_SUPERVISOR
    assert request.approver == supervisor
    assert request.reached_communications_at is None
    assert "their supervisor" in request.routing_note


@pytest.mark.parametrize("kind", [Kind.RECOMMENDATION, Kind.ADVICE])
def test_recommendations_and_advice_go_straight_to_the_communications_team(staff, kind):
    request = services.business_use_submit(requester=staff, kind=kind, **FIELDS[kind])
    assert request.state == State.WITH_COMMUNICATIONS
    assert request.approver is None
    assert request.reached_communications_at is not None


def test_a_supervisor_who_has_left_is_skipped(staff, supervisor, head_of_service):
    User.objects.filter(pk=supervisor.pk).update(is_active=False)
    staff.refresh_from_db()
    request = services.business_use_submit(
        requester=staff, kind=Kind.OFFICIAL_POST, **FIELDS[Kind.OFFICIAL_POST]
    )
    assert request.approver == head_of_service
    assert "has left" in request.routing_note


def test_nobody_with_no_supervisor_goes_to_the_governance_head(outsider, governance):
    request = services.business_use_submit(
        requester=outsider, kind=Kind.PROFESSIONAL_SITE, **FIELDS[Kind.PROFESSIONAL_SITE]
    )
    assert request.approver == governance


def test_the_requester_never_approves_their_own_request(supervisor, head_of_service):
    # The supervisor's own line manager approves; nobody is routed to themselves.
    request = services.business_use_submit(
        requester=supervisor, kind=Kind.OFFICIAL_POST, **FIELDS[Kind.OFFICIAL_POST]
    )
    assert request.approver == head_of_service
    assert request.approver != request.requester


def test_with_nobody_to_approve_the_request_is_refused(db):
    from tests.factories import UserFactory

    lonely = UserFactory(username="lonely")
    with pytest.raises(DomainError, match="nobody to approve"):
        services.business_use_submit(requester=lonely, kind=Kind.OFFICIAL_POST, **FIELDS[Kind.OFFICIAL_POST])
    assert not lonely.business_use_requests.exists()


def test_resubmitting_routes_again(make_request, actors, other_supervisor):
    request = make_request(Kind.OFFICIAL_POST, State.CHANGES_REQUESTED)
    staff = actors["requester"]
    staff.line_manager = other_supervisor
    staff.save()
    resubmitted = services.business_use_resubmit(request=request, by=staff, content="Shorter text.")
    assert resubmitted.approver == other_supervisor
