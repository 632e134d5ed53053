"""Reads for the business use pages; access.py decides what each person may see."""

import functools
from typing import NamedTuple

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse

from cases.conflicts import APPROVER
from core.compiled import CompiledQuery
from people.roles import Role
from people.selectors import role_holders
from policies.models import Policy
from reminders.due import QueueQueries, WorkItem

from . import access
from .models import KINDS, BusinessUseEvent, BusinessUseRequest, Kind, OfficialAccount, State, Topic

SOCIAL_MEDIA_POLICY = "social-media-policy"
OTHERS_SHOWN = 50


def with_account_names(requests):
    """Requests with their account's name from the register (BusinessUseRequest.account_name), in the
    same query."""
    names = OfficialAccount.objects.filter(code=OuterRef("account")).values("name")[:1]
    return requests.annotate(registered_account_name=Subquery(names))


def _listed(requests):
    return with_account_names(requests.select_related("requester", "approver")).order_by("-created_at", "-pk")


def request_lists(user):
    """The person's own requests, those waiting for them, and (for the communications team and the
    governance head) the most recent others they may see. Compiled once for each set of roles that
    decide what a person sees (core/compiled.py): the page of everyone who asks for business use."""
    if not user.is_authenticated or not user.is_active:
        return {"mine": [], "waiting": [], "others": []}
    lists = _compiled_lists(access.who_decides(user))
    return {name: query.objects(user.pk) for name, query in lists.items()}


@functools.cache
def _compiled_lists(roles):
    def mine(user_id):
        return _listed(access.visible_to(user_id, *roles).filter(requester=user_id))

    def waiting(user_id):
        return _listed(access.waiting_for(user_id, *roles))

    def others(user_id):
        seen_by_others = access.visible_to(user_id, *roles).exclude(requester=user_id)
        waiting_for = access.waiting_for(user_id, *roles).values("pk")
        return _listed(seen_by_others).exclude(pk__in=waiting_for)[:OTHERS_SHOWN]

    return {"mine": CompiledQuery(mine), "waiting": CompiledQuery(waiting), "others": CompiledQuery(others)}


def kind_clauses(kind):
    """The clauses of the current Social Media Policy that a kind of request rests on, as written."""
    policy = Policy.objects.filter(slug=SOCIAL_MEDIA_POLICY).first()
    version = policy.current_version() if policy else None
    if version is None:
        return []
    return list(version.clauses().filter(number__in=KINDS[kind].clauses))


def decisions_work(*, user):
    """Requests waiting for this person's step (access.requests_waiting_for): a supervisor's approval (6.1,
    6.4), the communications team's publishing of approved posts and their 6.2/6.5 requests, and the 6.6
    questions a Head of Service or the Head of Information & Security may answer. The policy sets no
    deadline, so the longest waiting first."""
    active = user.is_authenticated and user.is_active  # as access.requests_waiting_for
    return _decisions(access.who_decides(user) if active else (False, False, False)).queue(
        "business_use",
        "Business use requests waiting for you",
        [user.pk],
        lambda request: WorkItem(
            request.reference,
            request.get_absolute_url(),
            f"{request.get_kind_display()}: {WAITING_FOR[request.state]}",
        ),
        reverse("business_use:list"),
        empty=not active,
    )


@functools.cache
def _decisions(roles):
    """The decisions queue's queries for a set of roles (access.who_decides), compiled once (QueueQueries)."""
    return QueueQueries(
        BusinessUseRequest,
        lambda user_id: access.waiting_for(user_id, *roles),
        lambda requests: requests.only("id", "kind", "state", "created_at").order_by(
            "state_changed_at", "pk"
        ),
    )


WAITING_FOR = {
    State.WITH_SUPERVISOR: "your approval",
    State.WITH_COMMUNICATIONS: "to be published, made or answered",
}


def who_must_act(request):
    """The people the request waits for at its step: the supervisor it was routed to; the communications
    team (and, for which sites are acceptable (6.6), the Head of Information & Security, who answers from
    the same queue); the requester, when changes were asked of them. Never the requester for their own
    decision."""
    if request.state == State.WITH_SUPERVISOR:
        return [request.approver] if request.approver else []
    if request.state == State.CHANGES_REQUESTED:
        return [request.requester]
    if request.state != State.WITH_COMMUNICATIONS:
        return []
    team = list(role_holders(Role.COMMS).exclude(pk=request.requester_id))
    if request.kind == Kind.ADVICE and request.topic == Topic.ACCEPTABLE_SITES:
        team += [p for p in role_holders(Role.INFOSEC) if p.pk != request.requester_id and p not in team]
    return team


class Approvers(NamedTuple):
    """Who let a request through: the supervisor who approved its content (6.1) or authorised it (6.4),
    and the communications team member who published it (or made the recommendation, 6.5)."""

    approved_by: object = None
    published_by: object = None

    @property
    def people(self):
        return {person for person in self if person is not None}


# The moves that approve a request: the supervisor approving an official post's content, or authorising 6.4.
_APPROVING = Q(from_state=State.WITH_SUPERVISOR, to_state__in=(State.WITH_COMMUNICATIONS, State.AUTHORISED))


def request_approvers(request):
    """Who approved or authorised `request`, and who published it, from its timeline: the actors of those
    moves. A person who did either has a conflict of interest in a concern about it."""
    approved_by = published_by = None
    moves = BusinessUseEvent.objects.filter(request=request, actor__isnull=False).select_related("actor")
    for event in moves.filter(_APPROVING).order_by("at", "pk"):
        approved_by = event.actor
    for event in moves.filter(to_state__in=(State.PUBLISHED, State.MADE)).order_by("at", "pk"):
        published_by = event.actor
    return Approvers(approved_by, published_by)


def approvers_of_cited(case):
    """Everyone who approved or authorised a business use request the case cites, as (person, reason):
    none of them may handle the case (cases.conflicts, which business_use's app registers this with)."""
    if case.pk is None:
        return []
    return [(event.actor, APPROVER) for event in _APPROVALS_CITED.objects(case.pk)]


# Asked on every case page a handler opens, mostly of a case citing nothing: compiled once (core/compiled.py).
_APPROVALS_CITED = CompiledQuery(
    lambda case_id: (
        BusinessUseEvent.objects.filter(
            _APPROVING, actor__isnull=False, request__case_citations__case=case_id
        )
        .select_related("actor")
        .order_by("at", "pk")
    )
)
