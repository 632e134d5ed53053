"""One door for business use requests: who may see a request, and as what.

The requester sees their own; the supervisor it was routed to sees it; the communications team sees a
request once it has reached them (6.1, 6.5, 6.2); a Head of Service or the Head of Information & Security
sees the questions about which sites are acceptable (6.6) once asked; the Head of Business and Governance
reads every request. Anyone else gets a 404, never a 403 that confirms the request exists.
"""

from django.db.models import Q
from django.http import Http404

from people.roles import Role

from .models import (
    ADVISER,
    APPROVER,
    COMMUNICATIONS,
    GOVERNANCE,
    REQUESTER,
    BusinessUseRequest,
    Kind,
    State,
    Topic,
)


def _is_communications(user):
    return user.has_role(Role.COMMS)


def _is_adviser(user):
    return user.has_role(Role.HEAD_OF_SERVICE) or user.has_role(Role.INFOSEC)


def _is_governance(user):
    return user.has_role(Role.GOVERNANCE)


def request_relations(user, request):
    """Everything this person is to this request (a supervisor may also be in the communications team)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    relations = set()
    if request.requester_id == user.pk:
        relations.add(REQUESTER)
    if request.approver_id == user.pk:
        relations.add(APPROVER)
    # Nobody decides their own request, whatever team they are in.
    if request.reached_communications_at is not None and REQUESTER not in relations:
        if _is_communications(user):
            relations.add(COMMUNICATIONS)
        if request.kind == Kind.ADVICE and request.topic == Topic.ACCEPTABLE_SITES and _is_adviser(user):
            relations.add(ADVISER)
    if _is_governance(user):
        relations.add(GOVERNANCE)
    return frozenset(relations)


def get_request_for_user(user, pk, *, for_update=False):
    """The request and the person's relations to it, or 404."""
    requests = BusinessUseRequest.objects.select_related("requester", "approver")
    if for_update:
        requests = requests.select_for_update()
    request = requests.filter(pk=pk).first()
    relations = request_relations(user, request) if request else frozenset()
    if not relations:
        raise Http404("No business use request found.")
    return request, relations


def requests_visible_to(user):
    """Every request this person may open, filtered in the database."""
    if not user.is_authenticated or not user.is_active:
        return BusinessUseRequest.objects.none()
    return visible_to(user.pk, *who_decides(user))


def requests_waiting_for(user):
    """The requests waiting for this person's decision."""
    if not user.is_authenticated or not user.is_active:
        return BusinessUseRequest.objects.none()
    return waiting_for(user.pk, *who_decides(user))


def who_decides(user):
    """(governance, communications, adviser): the roles that widen what a person sees and decides. With
    the person's id they make the whole filter (visible_to, waiting_for), so that a list can be compiled
    once for each (core/compiled.py)."""
    return _is_governance(user), _is_communications(user), _is_adviser(user)


def visible_to(user_id, governance, communications, adviser):
    requests = BusinessUseRequest.objects.all()
    if governance:
        return requests
    visible = Q(requester=user_id) | Q(approver=user_id)
    reached = Q(reached_communications_at__isnull=False)
    if communications:
        visible |= reached
    if adviser:
        visible |= reached & Q(kind=Kind.ADVICE, topic=Topic.ACCEPTABLE_SITES)
    return requests.filter(visible)


def waiting_for(user_id, governance, communications, adviser):
    waiting = Q(approver=user_id, state=State.WITH_SUPERVISOR)
    with_communications = Q(state=State.WITH_COMMUNICATIONS)
    if communications:
        waiting |= with_communications
    if adviser:
        waiting |= with_communications & Q(kind=Kind.ADVICE, topic=Topic.ACCEPTABLE_SITES)
    return BusinessUseRequest.objects.filter(waiting).exclude(requester=user_id)
