"""The figures of the governance reports and of a policy's review pack (clause 10.1).

Every figure starts from `reportable_cases`, which is cases.access.cases_handled_by for those who hold
cases.view_reports and nothing for anyone else: the one door applies, so a case the reader is the
subject of is in no figure. Counts are grouped in the database; only the working-day timings read one
pair of moments per case, because bank holidays are not in the database (reminders.calendar).

A case is counted in a period when it was *raised* in it (its `created_at`, in local time).
"""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Min, OuterRef, Prefetch, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cases import access
from cases.models import (
    AWAITING_DECISION,
    TRIAGE_STAGES,
    Case,
    CaseClause,
    CaseEvent,
    Outcome,
    Platform,
    Stage,
)
from discipline.models import Outcome as DisciplinaryOutcome
from discipline.models import RecordClause
from discipline.selectors import records_visible_to
from people.models import Team
from policies.models import Acknowledgement, Comment, CommentReply, PolicyVersion, clause_number_order
from policies.selectors import people_overseen
from reminders.calendar import add_working_days, is_working_day
from reminders.models import Limits

NO_TEAM = "No team recorded"
NO_CLAUSE = "No clause recorded"

# Outcomes that mean the policy was breached. "No breach found" and "no further action" (closed at
# triage) do not; a breach resolved informally still was one, and the other three are actions taken
# because of a breach (content taken down, a disciplinary or a police referral).
BREACH_OUTCOMES = (
    Outcome.RESOLVED_INFORMALLY,
    Outcome.CONTENT_REMOVED,
    Outcome.DISCIPLINARY_REFERRAL,
    Outcome.POLICE_REFERRAL,
)
# A disciplinary hearing found the breach when the outcome in force (after any appeal) is some action.
# Counted beside the cases, not added to them: most records come from a case already counted.
DISCIPLINARY_FINDINGS = (
    DisciplinaryOutcome.INFORMAL_ACTION,
    DisciplinaryOutcome.FIRST_WRITTEN_WARNING,
    DisciplinaryOutcome.FINAL_WRITTEN_WARNING,
    DisciplinaryOutcome.DISMISSAL,
)


# --- Periods and rows ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """The days from `start` to `end`, both included."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def last_twelve_months(cls, today):
        """This month and the eleven before it, to today: twelve whole bars on the month chart."""
        return cls(start=today.replace(day=1) - relativedelta(months=11), end=today)

    def bounds(self):
        """The first and the first-after moments of the period, in local time, for index-friendly filters."""
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min)
        end = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min)
        return timezone.make_aware(start, zone), timezone.make_aware(end, zone)

    def months(self):
        month, last = self.start.replace(day=1), self.end.replace(day=1)
        months = []
        while month <= last:
            months.append(month)
            month += relativedelta(months=1)
        return months

    def as_filters(self):
        return {"raised_from": self.start.isoformat(), "raised_to": self.end.isoformat()}


@dataclass(frozen=True)
class Row:
    label: str
    value: int


# --- The door ------------------------------------------------------------------------------------------


def may_see_reports(user):
    return user.is_authenticated and user.is_active and user.has_perm("cases.view_reports")


def reportable_cases(*, user):
    """Every case the reports may count for this person: through the one door, and only with the right."""
    if not may_see_reports(user):
        return Case.objects.none()
    return access.cases_handled_by(user)


def cases_raised(*, user, period):
    start, end = period.bounds()
    return reportable_cases(user=user).filter(created_at__gte=start, created_at__lt=end)


def _counts(cases, column):
    return dict(cases.order_by().values_list(column).annotate(n=Count("pk")))


# --- Counts --------------------------------------------------------------------------------------------


def cases_by_month(*, user, period):
    """Cases raised in each month of the period, months with none included."""
    month = TruncMonth("created_at", tzinfo=timezone.get_current_timezone())
    counts = dict(
        cases_raised(user=user, period=period)
        .order_by()
        .annotate(month=month)
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    counts = {timezone.localtime(moment).date(): n for moment, n in counts.items()}
    return [Row(f"{month:%b %Y}", counts.get(month, 0)) for month in period.months()]


def cases_by_stage(*, user, period):
    """Every stage in workflow order, with how many of the period's cases are at it now."""
    counts = _counts(cases_raised(user=user, period=period), "stage")
    return [Row(stage.label, counts.get(stage.value, 0)) for stage in Stage]


def cases_by_platform(*, user, period):
    counts = _counts(cases_raised(user=user, period=period), "platform")
    return [Row(platform.label, counts.get(platform.value, 0)) for platform in Platform]


def cases_by_outcome(*, user, period):
    """Closed cases by outcome, then those not closed (yet or again)."""
    counts = _counts(cases_raised(user=user, period=period), "outcome")
    rows = [Row(outcome.label, counts.get(outcome.value, 0)) for outcome in Outcome]
    return [*rows, Row("Not closed", counts.get("", 0))]


def cases_by_team(*, user, period):
    """Every team, by the reporter's team when the concern was raised; teams with none included."""
    counts = _counts(cases_raised(user=user, period=period), "reporter_team")
    rows = [
        Row(name, counts.get(pk, 0)) for pk, name in Team.objects.order_by("name").values_list("pk", "name")
    ]
    if counts.get(None):
        rows.append(Row(NO_TEAM, counts[None]))
    return rows


def _clause_counts(clauses, count):
    """(number, count) for CaseClause or RecordClause rows, in the policy's reading order (5.2 before 5.10).

    Grouped by the number as written: the same clause in two versions is one row.
    """
    return list(
        clauses.order_by()
        .values_list("number")
        .annotate(
            n=count,
            section=Min("clause__section__number"),
            position=Min("clause__position"),
        )
        .order_by("section", "position", "number")
        .values_list("number", "n")
    )


def cases_by_clause(*, user, period):
    """Cases raised in the period that name each clause. A case naming two clauses counts under both."""
    cases = cases_raised(user=user, period=period)
    clauses = CaseClause.objects.filter(case__in=cases.values("pk"))
    return [Row(number, n) for number, n in _clause_counts(clauses, Count("case", distinct=True))]


# --- Working-day timings -------------------------------------------------------------------------------


def working_days_taken(start, end):
    """The fewest working days n such that `end` is no later than add_working_days(start, n).

    The measure the reminders use: something done on the day it arrived took 1 working day; a case raised
    on Friday afternoon and triaged on Monday morning took 1; triaged on Monday after the time of day it
    arrived on Friday, 2. Nothing is 0 unless it took no time at all.
    """
    start, end = timezone.localtime(start), timezone.localtime(end)
    if end <= start:
        return 0
    day, whole = start.date(), 0
    while day < end.date():
        day += datetime.timedelta(days=1)
        whole += is_working_day(day)
    if is_working_day(end.date()) and end.time() <= start.time() and whole:
        return whole
    return whole + 1


@dataclass(frozen=True)
class Timings:
    """How long the period's cases took for one step, in working days, against the limits."""

    key: str
    title: str
    bands: list  # Rows: how many took each span of working days, the last over the limit.
    limit: int
    median: float | None
    waiting: int  # Not yet done.
    waiting_over: int  # Not yet done and already past the limit.
    reminder: int | None = None  # When the person who should act is reminded, if before the limit.

    @property
    def measured(self):
        return sum(row.value for row in self.bands)

    @property
    def within_limit(self):
        return sum(row.value for row in self.bands[:-1])

    @property
    def over_limit(self):
        return self.bands[-1].value

    def rows(self):
        """Every figure of the timing as label and value, for the CSV."""
        median = "" if self.median is None else self.median
        return [
            *self.bands,
            Row(f"Within the limit of {self.limit} working days", self.within_limit),
            Row(f"Over the limit of {self.limit} working days", self.over_limit),
            Row("Median working days", median),
            Row("Not done yet", self.waiting),
            Row(f"Not done yet and past the limit of {self.limit} working days", self.waiting_over),
        ]


def _first_stage_event(**conditions):
    events = CaseEvent.objects.filter(case=OuterRef("pk"), kind=CaseEvent.Kind.STAGE, **conditions)
    return Subquery(events.order_by("at", "pk").values("at")[:1])


def _timings(pairs, *, now, limit, bands, key, title, reminder=None):
    """`pairs` of (started, done or None); `bands` of (up to this many working days, label), then the
    label for over the last."""
    taken, waiting, waiting_over = [], 0, 0
    for started, done in pairs:
        if done is None:
            waiting += 1
            waiting_over += now > add_working_days(started, limit)
        else:
            taken.append(working_days_taken(started, done))
    *spans, over_label = bands
    counts, floor = [], -1
    for ceiling, label in spans:
        counts.append(Row(label, sum(1 for days in taken if floor < days <= ceiling)))
        floor = ceiling
    counts.append(Row(over_label, sum(1 for days in taken if days > floor)))
    median = statistics.median(taken) if taken else None
    if isinstance(median, float) and median.is_integer():
        median = int(median)  # 2, not 2.0, on the page and in the CSV
    return Timings(key, title, counts, limit, median, waiting, waiting_over, reminder)


def time_to_triage(*, user, period, now=None, limits=None):
    """From raising to the end of triage: the first move out of triage, by referral or by closing it
    (cases.timers: starting triage does not stop the clock). Against the reminder and the
    escalation limits; reopened cases are measured by their first triage."""
    limits = limits or Limits.current()
    reminder, escalation = limits.triage_reminder_working_days, limits.triage_escalation_working_days
    triaged = _first_stage_event(from_stage__in=TRIAGE_STAGES, to_stage__in=_outside(TRIAGE_STAGES))
    pairs = (
        cases_raised(user=user, period=period)
        .order_by()
        .annotate(triaged_at=triaged)
        .values_list("created_at", "triaged_at")
    )
    bands = [
        (reminder, f"Within {reminder} working days"),
        (escalation, f"{reminder + 1} to {escalation} working days (after the reminder)"),
        f"Over {escalation} working days (escalated to the Head of Service)",
    ]
    if escalation <= reminder:
        bands = [(escalation, f"Within {escalation} working days"), f"Over {escalation} working days"]
    return _timings(
        pairs,
        now=now or timezone.now(),
        limit=escalation,
        bands=bands,
        key="triage",
        title="Time to triage",
        reminder=reminder if reminder < escalation else None,
    )


def time_to_decision(*, user, period, now=None, limits=None):
    """From referral to the governance head's decision: the first move after the referral out of
    "referred" and "under review", to taking action or closing (cases.timers: *decided*)."""
    limits = limits or Limits.current()
    limit = limits.governance_reminder_working_days
    referred_at = _first_stage_event(to_stage=Stage.REFERRED)
    decided_at = _first_stage_event(
        from_stage__in=AWAITING_DECISION,
        to_stage__in=_outside(AWAITING_DECISION),
        at__gte=OuterRef("referred_at"),
    )
    pairs = (
        cases_raised(user=user, period=period)
        .order_by()
        .annotate(referred_at=referred_at)
        .filter(referred_at__isnull=False)
        .annotate(decided_at=decided_at)
        .values_list("referred_at", "decided_at")
    )
    bands = [(limit, f"Within {limit} working days"), f"Over {limit} working days"]
    return _timings(
        pairs, now=now or timezone.now(), limit=limit, bands=bands, key="decision", title="Time to decision"
    )


def _outside(stages):
    return [stage for stage in Stage.values if stage not in stages]


# --- Acknowledgements ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamCoverage:
    team: str
    staff: int
    acknowledged: int

    @property
    def outstanding(self):
        return self.staff - self.acknowledged

    @property
    def percent(self):
        return round(100 * self.acknowledged / self.staff) if self.staff else 0


@dataclass(frozen=True)
class Coverage:
    """Who has acknowledged one version, team by team, among the people the viewer oversees."""

    version: PolicyVersion
    teams: list = field(default_factory=list)

    @property
    def total(self):
        return TeamCoverage(
            "All teams", sum(t.staff for t in self.teams), sum(t.acknowledged for t in self.teams)
        )


def acknowledgement_coverage(*, viewer, versions=None):
    """For each version (default: every policy's current version), its acknowledgement by team.

    The people counted are those of the acknowledgement report (policies.selectors.people_overseen):
    everyone for the governance head. Three queries however many versions, teams or people.
    """
    if versions is None:
        versions = PolicyVersion.objects.filter(status=PolicyVersion.Status.APPROVED)
    versions = list(versions.select_related("policy").order_by("policy__title"))
    people = people_overseen(viewer=viewer)
    staff = dict(people.order_by().values_list("team__name").annotate(n=Count("pk")))
    acknowledged = defaultdict(dict)
    rows = (
        Acknowledgement.objects.filter(version__in=versions, user__in=people.values("pk"))
        .order_by()
        .values_list("version", "user__team__name")
        .annotate(n=Count("pk"))
    )
    for version_id, team, n in rows:
        acknowledged[version_id][team] = n
    teams = sorted(staff, key=lambda name: (name is None, name or ""))
    return [
        Coverage(
            version,
            [
                TeamCoverage(team or NO_TEAM, staff[team], acknowledged[version.pk].get(team, 0))
                for team in teams
            ],
        )
        for version in versions
    ]


# --- Everything on the reports page --------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    rows: list
    label_heading: str
    value_heading: str = "Cases"


def governance_figures(*, user, period):
    """The counts of the reports page, in the order they are shown."""
    return [
        Figure("month", "Cases raised by month", cases_by_month(user=user, period=period), "Month"),
        Figure("stage", "Cases by stage now", cases_by_stage(user=user, period=period), "Stage"),
        Figure("platform", "Cases by platform", cases_by_platform(user=user, period=period), "Platform"),
        Figure(
            "clause", "Cases by clause possibly breached", cases_by_clause(user=user, period=period), "Clause"
        ),
        Figure("team", "Cases by the reporter's team", cases_by_team(user=user, period=period), "Team"),
        Figure("outcome", "Cases by outcome", cases_by_outcome(user=user, period=period), "Outcome"),
    ]


@dataclass(frozen=True)
class GovernanceReport:
    """Everything on the reports page, which is also everything in its CSV."""

    period: Period
    figures: list
    timings: list
    coverage: list

    @property
    def total(self):
        return sum(row.value for row in self.figures[0].rows)

    def csv_rows(self):
        """(figure, label, value) for every figure, in the page's order."""
        rows = [(figure.title, row.label, row.value) for figure in self.figures for row in figure.rows]
        for timings in self.timings:
            rows += [(timings.title, row.label, row.value) for row in timings.rows()]
        for coverage in self.coverage:
            title = (
                f"Acknowledgement of the {coverage.version.policy.title}, version {coverage.version.number}"
            )
            for team in [*coverage.teams, coverage.total]:
                rows += [
                    (title, f"{team.team}: staff", team.staff),
                    (title, f"{team.team}: acknowledged", team.acknowledged),
                ]
        return rows


def governance_report(*, user, period, now=None):
    now, limits = now or timezone.now(), Limits.current()
    return GovernanceReport(
        period=period,
        figures=governance_figures(user=user, period=period),
        timings=[
            time_to_triage(user=user, period=period, now=now, limits=limits),
            time_to_decision(user=user, period=period, now=now, limits=limits),
        ],
        coverage=acknowledgement_coverage(viewer=user),
    )


# --- The review pack (clause 10.1) ---------------------------------------------------------------------


@dataclass(frozen=True)
class ClauseBreaches:
    number: str
    cases: int
    disciplinary: int

    @property
    def label(self):
        return self.number if self.number == NO_CLAUSE else f"Clause {self.number}"


@dataclass(frozen=True)
class ClauseComments:
    number: str | None  # None: comments on the policy as a whole.
    comments: list


@dataclass(frozen=True)
class ReviewPack:
    policy: object
    version: PolicyVersion
    last_review: datetime.datetime
    review_changes: list
    cases_raised: int
    cases_closed_as_breach: int
    breaches: list
    comments: list
    coverage: Coverage

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


def breaches_by_clause(*, user, policy, since):
    """Clauses of the policy breached since `since`: cases closed since then with a breach outcome, and
    beside them disciplinary records decided since then with a finding. Through the doors of both."""
    breached = reportable_cases(user=user).filter(
        policy_version__policy=policy,
        stage=Stage.CLOSED,
        outcome__in=BREACH_OUTCOMES,
        stage_changed_at__gte=since,
    )
    case_counts = _clause_counts(
        CaseClause.objects.filter(case__in=breached.values("pk")), Count("case", distinct=True)
    )
    records = records_visible_to(user).filter(
        outcome_in_force__in=DISCIPLINARY_FINDINGS, decided_on__gte=timezone.localdate(since)
    )
    record_counts = _clause_counts(
        RecordClause.objects.filter(record__in=records.values("pk"), clause__section__version__policy=policy),
        Count("record", distinct=True),
    )
    cases, disciplinary = dict(case_counts), dict(record_counts)
    numbers = sorted(cases.keys() | disciplinary.keys(), key=clause_number_order)
    rows = [ClauseBreaches(number, cases.get(number, 0), disciplinary.get(number, 0)) for number in numbers]
    without_clause = breached.filter(clauses__isnull=True).count()
    if without_clause:
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


def review_pack(*, user, policy):
    """Everything the review of `policy` starts from, or None if the person may not see it or the policy
    has no current version."""
    if not may_see_reports(user):
        return None
    version = policy.current_version()
    if version is None:
        return None
    since = last_review(version)
    breaches, closed_as_breach = breaches_by_clause(user=user, policy=policy, since=since)
    raised = reportable_cases(user=user).filter(policy_version__policy=policy, created_at__gte=since)
    return ReviewPack(
        policy=policy,
        version=version,
        last_review=since,
        review_changes=list(version.review_changes.select_related("changed_by")),
        cases_raised=raised.count(),
        cases_closed_as_breach=closed_as_breach,
        breaches=breaches,
        comments=comments_since(policy=policy, since=since),
        coverage=acknowledgement_coverage(viewer=user, versions=PolicyVersion.objects.filter(pk=version.pk))[
            0
        ],
    )
