"""Clause 10.1, from the evidence of cases: a clause cited in more cases closed as a breach (substantiated)
in 12 months than POLICY_REVIEW_SUBSTANTIATED_CITATIONS, or in a case closed because the policy was
unclear, is flagged for the policy's next review (policies.models.ClauseFlag), and the policy's owner is
told, once per clause in a review: the flag stays open until the review ends."""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count
from django.urls import reverse

from notifications.models import Kind
from notifications.services import notify
from policies.models import ClauseFlag, Policy

from .models import BREACH_OUTCOMES, CaseClause, Outcome, Stage

# How far back the cases behind a flag are counted.
WINDOW = relativedelta(months=12)


def cited_in_closed_cases(*, policy, numbers, outcomes, since):
    """{clause number: cases of `policy` (any version) closed with one of `outcomes` since `since` that
    cite it}."""
    rows = (
        CaseClause.objects.filter(
            number__in=numbers,
            case__policy_version__policy=policy,
            case__stage=Stage.CLOSED,
            case__outcome__in=outcomes,
            case__stage_changed_at__gte=since,
        )
        .values_list("number")
        .annotate(cases=Count("case", distinct=True))
        .order_by()
    )
    return dict(rows)


def case_closed_flag_clauses(*, case):
    """A case was closed: flag the clauses it cites that its outcome, and the cases before it, put up for
    review. Returns the flags opened (not those already open, which only take the new count)."""
    if case.stage != Stage.CLOSED:
        return []
    if case.outcome == Outcome.POLICY_UNCLEAR:
        reason, outcomes, threshold = ClauseFlag.Reason.POLICY_UNCLEAR, [Outcome.POLICY_UNCLEAR], 0
    elif case.outcome in BREACH_OUTCOMES:
        reason, outcomes = ClauseFlag.Reason.SUBSTANTIATED, BREACH_OUTCOMES
        threshold = settings.POLICY_REVIEW_SUBSTANTIATED_CITATIONS
    else:
        return []
    numbers = list(case.clauses.values_list("number", flat=True))
    if not numbers:
        return []
    policy = Policy.objects.select_related("owner").get(versions=case.policy_version_id)
    counts = cited_in_closed_cases(
        policy=policy, numbers=numbers, outcomes=outcomes, since=case.stage_changed_at - WINDOW
    )
    over = {number: count for number, count in counts.items() if count > threshold}
    return [flag for number, count in over.items() if (flag := _flag(policy, number, reason, count))]


def _flag(policy, number, reason, count):
    """Open the flag, or give the open one the new count. The owner is told when the clause had no open
    flag at all: once per clause in a review, whatever the reasons."""
    open_flags = ClauseFlag.objects.filter(policy=policy, clause_number=number, cleared_at__isnull=True)
    if open_flags.filter(reason=reason).update(cases_counted=count):
        return None
    already_flagged = open_flags.exists()
    flag = ClauseFlag.objects.create(policy=policy, clause_number=number, reason=reason, cases_counted=count)
    owner = policy.owner
    if not already_flagged and owner is not None and owner.is_active:
        notify(
            recipient=owner,
            kind=Kind.REVIEW_DUE,
            title=f"Clause {number} of the {policy.title} is flagged for its next review",
            link=reverse("reports:review_pack", args=[policy.slug]),
        )
    return flag
