"""How many of the period's cases there are by month, stage, platform, clause, team and outcome.

Counted in the database over a set of cases (reports.selectors.tally: live, or stored by month), and
turned into rows here from a Tally, so that the stored and the live counts add up.
"""

from collections import Counter

from django.db.models import Count, Min
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cases.filters import NOT_CLOSED
from cases.models import RETIRED_PLATFORMS, CaseClause, Outcome, Platform, Stage
from core.filters import NONE
from people.models import Team

from .door import NO_TEAM, Row

MONTH, STAGE, OUTCOME, PLATFORM = range(4)


def grouped(cases):
    """{(month, stage, outcome, platform): cases}: one pass for the four figures split by these."""
    month = TruncMonth("created_at", tzinfo=timezone.get_current_timezone())
    rows = (
        cases.order_by()
        .annotate(month=month)
        .values_list("month", "stage", "outcome", "platform")
        .annotate(n=Count("pk"))
    )
    return Counter({(timezone.localtime(moment).date(), *keys): n for moment, *keys, n in rows})


def teams(cases):
    """{team pk or None: cases}, by the reporter's team when the concern was raised."""
    return Counter(dict(cases.order_by().values_list("reporter_team").annotate(n=Count("pk"))))


def clauses(cases):
    """({clause number: cases naming it}, {number: (section, position)} for the reading order)."""
    rows = (
        CaseClause.objects.filter(case__in=cases.order_by().values("pk"))
        .order_by()
        .values_list("number")
        .annotate(
            n=Count("case", distinct=True),
            section=Min("clause__section__number"),
            position=Min("clause__position"),
        )
    )
    counts, order = Counter(), {}
    for number, n, section, position in rows:
        counts[number], order[number] = n, (section, position)
    return counts, order


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


# --- Rows from a tally -------------------------------------------------------------------------------------


def _tally(grouped, column):
    counts = Counter()
    for key, n in grouped.items():
        counts[key[column]] += n
    return counts


def month_rows(tally, period):
    """Cases raised in each month of the period, months with none included."""
    counts = _tally(tally.grouped, MONTH)
    return [
        Row(f"{month:%b %Y}", counts.get(month, 0), period.month_filters(month)) for month in period.months()
    ]


def stage_rows(tally):
    """Every stage in workflow order, with how many of the period's cases are at it now."""
    counts = _tally(tally.grouped, STAGE)
    return [Row(stage.label, counts.get(stage.value, 0), {"stage": stage.value}) for stage in Stage]


def platform_rows(tally):
    counts = _tally(tally.grouped, PLATFORM)
    # A retired platform (Google+) has a row only while the period has cases on it.
    return [
        Row(p.label, counts.get(p.value, 0), {"platform": p.value})
        for p in Platform
        if p not in RETIRED_PLATFORMS or counts.get(p.value)
    ]


def outcome_rows(tally):
    """Closed cases by outcome, then those not closed (yet or again)."""
    counts = _tally(tally.grouped, OUTCOME)
    rows = [Row(o.label, counts.get(o.value, 0), {"outcome": o.value}) for o in Outcome]
    return [*rows, Row("Not closed", counts.get("", 0), {"outcome": NOT_CLOSED})]


def team_rows(tally):
    """Every team, teams with none included; cases whose team is gone or was never recorded last."""
    names = dict(Team.objects.order_by("name").values_list("pk", "name"))
    rows = [Row(name, tally.teams.get(pk, 0), {"team": str(pk)}) for pk, name in names.items()]
    # A team deleted since a month was stored: its cases are now without a team (SET_NULL).
    without = sum(n for pk, n in tally.teams.items() if pk not in names)
    if without:
        rows.append(Row(NO_TEAM, without, {"team": NONE}))
    return rows


def clause_rows(tally):
    """Cases that name each clause, in the policy's reading order. A case naming two counts under both."""
    numbers = sorted(tally.clauses, key=lambda number: (*tally.clause_order[number], number))
    return [
        Row(number, tally.clauses[number], {"clause": number}) for number in numbers if tally.clauses[number]
    ]
