"""A policy's review pack (clause 10.1): what happened under it since its last review."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.utils import timezone

from cases.filters import BREACH, day_start
from cases.models import BREACH_OUTCOMES, CaseClause, Outcome
from cases.review_flags import WINDOW
from discipline.models import FINDINGS as DISCIPLINARY_FINDINGS
from discipline.models import RecordClause
from discipline.selectors import FINDING, records_visible_to
from policies.models import ClauseFlag, Comment, CommentReply, PolicyVersion, clause_number_order

from .counts import _clause_counts
from .coverage import Coverage, acknowledgement_coverage
from .door import NO_CLAUSE, may_see_reports, reportable_cases

# --- The review pack (clause 10.1) ---------------------------------------------------------------------


@dataclass(frozen=True)
class ClauseBreaches:
    number: str
    cases: int
    disciplinary: int  # Beside the cases, not added to them: most records come from a case already counted.
    # The filters that list the cases (All cases, cases.filters.CaseFilter) and the records (Disciplinary
    # records, discipline.filters.RecordFilter) behind the counts; None where no filter does.
    case_filters: dict | None = field(default=None, compare=False)
    record_filters: dict | None = field(default=None, compare=False)

    @property
    def label(self):
        return self.number if self.number == NO_CLAUSE else f"Clause {self.number}"


@dataclass(frozen=True)
class ClauseComments:
    number: str | None  # None: comments on the policy as a whole.
    comments: list


@dataclass(frozen=True)
class FlaggedClause:
    """A clause flagged for this review by the evidence of cases (cases.review_flags), with the filters of
    All cases that list the cases behind it."""

    flag: ClauseFlag
    case_filters: dict = field(compare=False)


@dataclass(frozen=True)
class ReviewPack:
    policy: object
    version: PolicyVersion
    last_review: datetime.datetime
    since: datetime.date  # The day of the last review: the pack counts from its start, as the lists filter.
    review_changes: list
    cases_raised: int
    cases_closed_as_breach: int
    breaches: list
    raised_filters: dict
    closed_as_breach_filters: dict
    comments: list
    coverage: Coverage
    flagged_clauses: list = field(default_factory=list)

    @property
    def comment_count(self):
        return sum(len(group.comments) for group in self.comments)


def last_review(version):
    """The current version's approval ends the last review; a version approved before approvals were
    recorded falls back to its effective date, then its import."""
    if version.approved_at:
        return version.approved_at
    if version.effective_date:
        moment = datetime.datetime.combine(version.effective_date, datetime.time.min)
        return timezone.make_aware(moment, timezone.get_current_timezone())
    return version.imported_at


def since_filters(*, policy, since):
    """The filters of the lists behind the pack's counts since the day `since`: of All cases for the cases
    raised and those closed as a breach, of Disciplinary records for the findings."""
    day, slug = since.isoformat(), policy.slug
    return (
        {"policy": slug, "raised_from": day},
        {"policy": slug, "outcome": BREACH, "closed_from": day},
        {"policy": slug, "outcome": FINDING, "decided_from": day},
    )


def breaches_by_clause(*, user, policy, since):
    """Clauses of the policy breached since the day `since`: cases closed since then with a breach outcome,
    and beside them disciplinary records decided since then with a finding. Through the doors of both."""
    _, closed, findings = since_filters(policy=policy, since=since)
    breached = (
        reportable_cases(user=user)
        .filter(policy_version__policy=policy, outcome__in=BREACH_OUTCOMES)
        .closed_since(day_start(since))
    )
    case_counts = _clause_counts(
        CaseClause.objects.filter(case__in=breached.values("pk")), Count("case", distinct=True)
    )
    records = records_visible_to(user).filter(
        outcome_in_force__in=DISCIPLINARY_FINDINGS, decided_on__gte=since
    )
    record_counts = _clause_counts(
        RecordClause.objects.filter(record__in=records.values("pk"), clause__section__version__policy=policy),
        Count("record", distinct=True),
    )
    cases, disciplinary = dict(case_counts), dict(record_counts)
    numbers = sorted(cases.keys() | disciplinary.keys(), key=clause_number_order)
    rows = [
        ClauseBreaches(
            number,
            cases.get(number, 0),
            disciplinary.get(number, 0),
            {**closed, "clause": number},
            {**findings, "clause": number},
        )
        for number in numbers
    ]
    without_clause = breached.filter(clauses__isnull=True).count()
    if without_clause:
        # Not linked: no filter lists the cases that cite no clause, which no index finds among a million.
        rows.append(ClauseBreaches(NO_CLAUSE, without_clause, 0))
    return rows, breached.count()


def comments_since(*, policy, since):
    """Staff comments (clause 10.2) received since `since`, grouped by clause in reading order, the
    comments on the policy as a whole first; each with its replies.

    Not through policies.selectors.comments_for_user, which shows a reader only their own comments unless
    they manage the policy: the pack is for whoever prepares the review, comments are invited openly, and
    the pack's own door (cases.view_reports) is narrower than the policy's readers.
    """
    comments = (
        Comment.objects.filter(policy=policy, created_at__gte=since)
        .select_related("policy", "author", "clause__section", "version")
        .prefetch_related(Prefetch("replies", queryset=CommentReply.objects.select_related("author")))
        .order_by("clause__section__number", "clause__position", "created_at", "pk")
    )
    groups = {}
    for comment in comments:
        number = comment.clause.number if comment.clause_id else None
        groups.setdefault(number, []).append(comment)
    general = groups.pop(None, [])
    ordered = sorted(groups.items(), key=lambda item: clause_number_order(item[0]))
    return ([ClauseComments(None, general)] if general else []) + [ClauseComments(n, c) for n, c in ordered]


def flagged_clauses(*, policy):
    """The clauses flagged for the next review (open flags), in the policy's order, each with the filters
    that list the cases behind it: closed as a breach, or as the policy unclear, in the 12 months counted."""
    outcomes = {
        ClauseFlag.Reason.SUBSTANTIATED: BREACH,
        ClauseFlag.Reason.POLICY_UNCLEAR: Outcome.POLICY_UNCLEAR,
    }
    flags = sorted(
        policy.clause_flags.filter(cleared_at__isnull=True),
        key=lambda flag: (clause_number_order(flag.clause_number), flag.reason),
    )
    return [
        FlaggedClause(
            flag,
            {
                "policy": policy.slug,
                "clause": flag.clause_number,
                "outcome": str(outcomes[flag.reason]),
                "closed_from": timezone.localdate(flag.flagged_at - WINDOW).isoformat(),
            },
        )
        for flag in flags
    ]


def review_pack(*, user, policy):
    """Everything the review of `policy` starts from, or None if the person may not see it or the policy
    has no current version."""
    if not may_see_reports(user):
        return None
    version = policy.current_version()
    if version is None:
        return None
    reviewed = last_review(version)
    since = timezone.localdate(reviewed)
    breaches, closed_as_breach = breaches_by_clause(user=user, policy=policy, since=since)
    raised = reportable_cases(user=user).filter(
        policy_version__policy=policy, created_at__gte=day_start(since)
    )
    raised_filters, closed_filters, _ = since_filters(policy=policy, since=since)
    return ReviewPack(
        policy=policy,
        version=version,
        last_review=reviewed,
        since=since,
        review_changes=list(version.review_changes.select_related("changed_by")),
        cases_raised=raised.count(),
        cases_closed_as_breach=closed_as_breach,
        breaches=breaches,
        raised_filters=raised_filters,
        closed_as_breach_filters=closed_filters,
        comments=comments_since(policy=policy, since=day_start(since)),
        coverage=acknowledgement_coverage(viewer=user, versions=PolicyVersion.objects.filter(pk=version.pk))[
            0
        ],
        flagged_clauses=flagged_clauses(policy=policy),
    )
