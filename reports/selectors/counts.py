"""How many of the period's cases there are by month, stage, platform, clause, team and outcome: each
grouped in the database."""

from collections import Counter

from django.db.models import Count, Min
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cases.models import CaseClause, Outcome, Platform, Stage
from people.models import Team

from .door import NO_TEAM, Row, cases_raised

MONTH, STAGE, OUTCOME, PLATFORM = range(4)


def grouped_cases(*, user, period):
    """(month, stage, outcome, platform, count) of the period's cases: one pass over them for the four
    figures that split the cases by these, instead of one pass each."""
    month = TruncMonth("created_at", tzinfo=timezone.get_current_timezone())
    return list(
        cases_raised(user=user, period=period)
        .order_by()
        .annotate(month=month)
        .values_list("month", "stage", "outcome", "platform")
        .annotate(n=Count("pk"))
    )


def _tally(grouped, column):
    counts = Counter()
    for row in grouped:
        counts[row[column]] += row[-1]
    return counts


def cases_by_month(*, user, period, grouped=None):
    """Cases raised in each month of the period, months with none included."""
    grouped = grouped_cases(user=user, period=period) if grouped is None else grouped
    counts = {timezone.localtime(moment).date(): n for moment, n in _tally(grouped, MONTH).items()}
    return [Row(f"{month:%b %Y}", counts.get(month, 0)) for month in period.months()]


def cases_by_stage(*, user, period, grouped=None):
    """Every stage in workflow order, with how many of the period's cases are at it now."""
    counts = _tally(grouped_cases(user=user, period=period) if grouped is None else grouped, STAGE)
    return [Row(stage.label, counts.get(stage.value, 0)) for stage in Stage]


def cases_by_platform(*, user, period, grouped=None):
    counts = _tally(grouped_cases(user=user, period=period) if grouped is None else grouped, PLATFORM)
    return [Row(platform.label, counts.get(platform.value, 0)) for platform in Platform]


def cases_by_outcome(*, user, period, grouped=None):
    """Closed cases by outcome, then those not closed (yet or again)."""
    counts = _tally(grouped_cases(user=user, period=period) if grouped is None else grouped, OUTCOME)
    rows = [Row(outcome.label, counts.get(outcome.value, 0)) for outcome in Outcome]
    return [*rows, Row("Not closed", counts.get("", 0))]


def cases_by_team(*, user, period):
    """Every team, by the reporter's team when the concern was raised; teams with none included."""
    counts = dict(
        cases_raised(user=user, period=period).order_by().values_list("reporter_team").annotate(n=Count("pk"))
    )
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
