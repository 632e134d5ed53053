"""The analytics of one clause of a policy, and of every clause cited, beside published industry figures.

What is counted, in one place (the pages say the same words):

- The cases: those the reader may count (door.reportable_cases) raised in the period (local days) under
  the policy that cite a clause with this number, in any version: All cases' `policy` and `clause`
  filters with the period's `raised_from` and `raised_to`.
- Reports per 100 employees a year: the cases ÷ the members of staff in post today
  (people.selectors.staff_in_post_by_team) × 100, annualised: × 365 ÷ the days in the period. For a
  team: its reporters' cases ÷ its members.
- Days to close: calendar days, as NAVEX counts them, from the local day a case was raised to the local
  day it was closed (its last closing, if it was reopened), of the period's cases closed now; the median.
- Substantiated: closed with a breach found (cases.models.BREACH_OUTCOMES, All cases' `outcome=breach`);
  the rate is of the period's cases closed now, each of which has an outcome (`outcome=closed`).
- Repeat subjects: the colleagues who are the subject of more than one of the period's cases
  (cases.filters.repeat_subjects): a count, never a name here.

Counted in the database: the cases grouped by month, team, outcome and days to close in one query,
whatever their number; the groups are added up here.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, DurationField, Exists, OuterRef, Sum, When
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from cases.filters import BREACH, CLOSED, NOT_CLOSED, REPEAT, REPEAT_LONGEST_PERIOD, repeat_subjects
from cases.models import BREACH_OUTCOMES, CLOSED_STAGES, CaseClause, Outcome
from core.filters import NONE
from people.models import Team
from people.selectors import staff_in_post_by_team
from policies.models import Policy, clause_number_order

from ..models import BenchmarkFigure
from .door import NO_TEAM, Row, cases_raised
from .timings import median_of

DAYS_IN_A_YEAR = 365


def per_100_a_year(cases, staff, days):
    """Cases per 100 members of staff, annualised over a period of `days`; None without staff."""
    if not staff or not days:
        return None
    rate = Decimal(cases) * 100 * DAYS_IN_A_YEAR / (Decimal(staff) * days)
    return rate.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def percent(part, whole):
    return None if not whole else round(100 * part / whole)


@dataclass(frozen=True)
class Counted:
    """The figures of a set of the clause's cases: the whole period, one team, or one month."""

    label: str
    cases: int
    closed: int
    substantiated: int
    median_days: float | None
    days: int  # In the period (or the month's part of it): what the rate per 100 is annualised over.
    staff: int | None = None  # Members of staff in post, for the rate per 100; None where not counted.
    # The All cases filters of its cases; None where no filter lists them. Not part of the figures.
    filters: dict | None = field(default=None, compare=False)

    @property
    def per_100(self):
        return per_100_a_year(self.cases, self.staff, self.days)

    @property
    def substantiation_rate(self):
        return percent(self.substantiated, self.closed)

    def links(self, link):
        """(cases, closed, substantiated): the addresses of the lists behind the counts, by link(filters)."""
        if self.filters is None:
            return None, None, None
        return (
            link(self.filters),
            link({**self.filters, "outcome": CLOSED}),
            link({**self.filters, "outcome": BREACH}),
        )


@dataclass(frozen=True)
class ClauseAnalytics:
    policy: Policy
    number: str
    period: object
    staff: int
    total: Counted
    outcomes: list  # Rows, each outcome then those not closed.
    repeat_subjects: int
    repeat_cases: int
    repeat_filters: dict
    teams: list  # Counted, teams with cases in the period
    months: list  # Counted, every month of the period
    benchmarks: dict  # {measure: [BenchmarkFigure]}


def clause_cases(*, user, policy, number, period):
    """The cases of the clause's analytics: as All cases' policy, clause and raised filters list them."""
    cites = CaseClause.objects.filter(case=OuterRef("pk"), number=number)
    return cases_raised(user=user, period=period).filter(policy_version__policy=policy).filter(Exists(cites))


def clause_filters(*, policy, number, period):
    """The All cases filters that list the clause's cases; `policy` a Policy or its slug."""
    return {"policy": getattr(policy, "slug", policy), "clause": number, **period.as_filters()}


def _days_to_close(prefix=""):
    """The calendar days from the local day a case was raised to the local day it closed; None if open."""
    zone = timezone.get_current_timezone()
    days = TruncDate(f"{prefix}stage_changed_at", tzinfo=zone) - TruncDate(f"{prefix}created_at", tzinfo=zone)
    closed = When(**{f"{prefix}stage__in": CLOSED_STAGES}, then=days)
    return Case(closed, default=None, output_field=DurationField())


def _month(prefix=""):
    return TruncMonth(f"{prefix}created_at", tzinfo=timezone.get_current_timezone())


def _whole_days(duration):
    return None if duration is None else duration.days


class _Groups:
    """The clause's cases as counted in the database, {key: count} by month, team and outcome, and the
    days-to-close histograms, added up by any part of the key."""

    def __init__(self, rows):
        # (month, team pk or None, outcome or "" if not closed, days to close or None, cases)
        self.rows = [
            (month and timezone.localtime(month).date(), team, outcome, _whole_days(days), n)
            for month, team, outcome, days, n in rows
        ]

    def counted(self, label, *, days, keep=lambda month, team: True, staff=None, filters=None):
        cases = closed = substantiated = 0
        histogram = Counter()
        for month, team, outcome, taken, n in self.rows:
            if not keep(month, team):
                continue
            cases += n
            if outcome:
                closed += n
                substantiated += n if outcome in BREACH_OUTCOMES else 0
                histogram[taken] += n
        return Counted(label, cases, closed, substantiated, median_of(histogram), days, staff, filters)

    def outcomes(self):
        counts = Counter()
        for _, _, outcome, _, n in self.rows:
            counts[outcome] += n
        return counts

    def teams(self):
        return {team for _, team, _, _, _ in self.rows}


def _grouped(cases):
    rows = (
        cases.order_by()
        .annotate(month=_month(), days=_days_to_close())
        .values_list("month", "reporter_team", "outcome", "days")
        .annotate(n=Count("pk"))
    )
    return _Groups(rows)


def _days(start, end):
    return (end - start).days + 1


def _month_part(period, month):
    """The first and last days of `month` within the period."""
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return max(month, period.start), min(following - datetime.timedelta(days=1), period.end)


def clause_analytics(*, user, policy, number, period):
    """Everything on the clause's page. A fixed number of queries, however many cases."""
    base = clause_filters(policy=policy, number=number, period=period)
    cases = clause_cases(user=user, policy=policy, number=number, period=period)
    groups = _grouped(cases)
    staff = staff_in_post_by_team()
    in_post = sum(staff.values())
    period_days = _days(period.start, period.end)
    total = groups.counted("All teams", days=period_days, staff=in_post, filters=base)

    names = dict(Team.objects.filter(pk__in=[pk for pk in groups.teams() if pk]).values_list("pk", "name"))
    teams = [
        groups.counted(
            name,
            days=period_days,
            keep=lambda month, team, pk=pk: team == pk,
            staff=staff.get(pk, 0),
            filters={**base, "team": str(pk)},
        )
        for pk, name in sorted(names.items(), key=lambda item: item[1])
    ]
    if None in groups.teams():
        # No team recorded, or the team deleted since (SET_NULL): no staff to divide by.
        teams.append(
            groups.counted(
                NO_TEAM,
                days=period_days,
                keep=lambda month, team: team is None,
                filters={**base, "team": NONE},
            )
        )

    months = []
    for month in period.months():
        first, last = _month_part(period, month)
        months.append(
            groups.counted(
                f"{month:%b %Y}",
                days=_days(first, last),
                keep=lambda raised, team, month=month: raised == month,
                staff=in_post,
                filters={**base, **period.month_filters(month)},
            )
        )

    by_outcome = groups.outcomes()
    outcomes = [Row(o.label, by_outcome.get(o.value, 0), {**base, "outcome": o.value}) for o in Outcome]
    outcomes.append(Row("Not closed", by_outcome.get("", 0), {**base, "outcome": NOT_CLOSED}))

    repeat = repeat_subjects(cases).aggregate(subjects=Count("subject_person"), cases=Sum("n"))
    return ClauseAnalytics(
        policy=policy,
        number=number,
        period=period,
        staff=in_post,
        total=total,
        outcomes=outcomes,
        repeat_subjects=repeat["subjects"] or 0,
        repeat_cases=repeat["cases"] or 0,
        # All cases finds repeat subjects only within a year (its REPEAT_LONGEST_PERIOD): longer, no link.
        repeat_filters={**base, "repeat_subject": REPEAT}
        if period.end - period.start <= REPEAT_LONGEST_PERIOD
        else None,
        teams=teams,
        months=months,
        benchmarks=benchmarks(),
    )


# --- Every clause cited in the period --------------------------------------------------------------------


@dataclass(frozen=True)
class ClauseHeadline:
    policy_slug: str
    policy_title: str
    number: str
    figures: Counted


def clauses_cited(*, user, period):
    """The headline figures of every clause that the period's cases cite, policy by policy in reading
    order. Three queries, however many cases or clauses."""
    cases = cases_raised(user=user, period=period)
    citations = (
        CaseClause.objects.filter(case__in=cases.order_by().values("pk"))
        .order_by()
        .annotate(days=_days_to_close("case__"))
        .values_list("case__policy_version__policy", "number", "case__outcome", "days")
        .annotate(n=Count("case", distinct=True))
    )
    grouped = defaultdict(list)
    for policy, number, outcome, days, n in citations:
        grouped[(policy, number)].append((None, None, outcome, days, n))
    titles = {
        pk: (slug, title)
        for pk, slug, title in Policy.objects.filter(pk__in={pk for pk, _ in grouped}).values_list(
            "pk", "slug", "title"
        )
    }
    in_post = sum(staff_in_post_by_team().values())
    days = _days(period.start, period.end)
    headlines = []
    for (policy, number), rows in grouped.items():
        slug, title = titles[policy]
        filters = clause_filters(policy=slug, number=number, period=period)
        figures = _Groups(rows).counted(number, days=days, staff=in_post, filters=filters)
        headlines.append(ClauseHeadline(slug, title, number, figures))
    return sorted(headlines, key=lambda h: (h.policy_title, clause_number_order(h.number)))


def benchmarks():
    """{measure: [BenchmarkFigure]}: the published figures beside the analytics."""
    return BenchmarkFigure.objects.by_measure()


__all__ = [
    "ClauseAnalytics",
    "ClauseHeadline",
    "Counted",
    "benchmarks",
    "clause_analytics",
    "clause_cases",
    "clause_filters",
    "clauses_cited",
    "per_100_a_year",
]
