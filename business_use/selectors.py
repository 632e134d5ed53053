"""Reads for the business use pages; access.py decides what each person may see."""

from policies.models import Policy

from . import access
from .models import KINDS

SOCIAL_MEDIA_POLICY = "social-media-policy"
OTHERS_SHOWN = 50


def _listed(requests):
    return requests.select_related("requester", "approver").order_by("-created_at", "-pk")


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
