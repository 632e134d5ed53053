"""Reads for the business use pages; access.py decides what each person may see."""

from django.db.models import OuterRef, Subquery
from django.urls import reverse

from policies.models import Policy
from reminders.due import Queue, WorkItem

from . import access
from .models import KINDS, OfficialAccount, State

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
    governance head) the most recent others they may see."""
    mine = _listed(access.requests_visible_to(user).filter(requester=user))
    waiting = _listed(access.requests_waiting_for(user))
    others = _listed(access.requests_visible_to(user).exclude(requester=user)).exclude(
        pk__in=access.requests_waiting_for(user).values("pk")
    )
    return {"mine": list(mine), "waiting": list(waiting), "others": list(others[:OTHERS_SHOWN])}


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
    return Queue(
        "business_use",
        "Business use requests waiting for you",
        access.requests_waiting_for(user),
        lambda requests: requests.only("id", "kind", "state", "created_at").order_by(
            "state_changed_at", "pk"
        ),
        lambda request: WorkItem(
            request.reference,
            request.get_absolute_url(),
            f"{request.get_kind_display()}: {WAITING_FOR[request.state]}",
        ),
        reverse("business_use:list"),
    )


WAITING_FOR = {
    State.WITH_SUPERVISOR: "your approval",
    State.WITH_COMMUNICATIONS: "to be published, made or answered",
}
