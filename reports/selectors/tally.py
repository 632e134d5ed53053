"""Everything the reports page counts about the period's cases, as one Tally that adds up.

Whole months whose figures are stored (reports.models.MonthFigure, by reports.services.
month_figures_refresh) are added up; every other day of the period is counted live. A stored month is
used only while it is exact for this reader and this moment: none of its cases changed since it was
stored, none is about the reader (the door leaves those out for them), and none is waiting with its limit
falling today, where the time of day decides. Only a reader who sees every case uses stored months.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Max, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cases.models import Case

from ..models import CalendarDay, MonthFigure, MonthRefresh
from . import counts
from .door import Period, reads_every_case, reportable_cases
from .timings import Measure, decision_limit, measure_decision, measure_triage, triage_limit

GROUPED, TEAM, CLAUSE, TRIAGE, DECISION = "grouped", "team", "clause", "triage", "decision"
WAITING = {"triage_waiting": TRIAGE, "decision_waiting": DECISION}


@dataclass
class Tally:
    grouped: Counter = field(default_factory=Counter)  # (month, stage, outcome, platform): cases
    teams: Counter = field(default_factory=Counter)  # team pk or None: cases
    clauses: Counter = field(default_factory=Counter)  # clause number: cases naming it
    clause_order: dict = field(default_factory=dict)  # clause number: (section, position), the smallest
    triage: Measure = field(default_factory=Measure)
    decision: Measure = field(default_factory=Measure)

    def __iadd__(self, other):
        self.grouped.update(other.grouped)
        self.teams.update(other.teams)
        self.clauses.update(other.clauses)
        for number, order in other.clause_order.items():
            self.clause_order[number] = min(order, self.clause_order.get(number, order))
        self.triage += other.triage
        self.decision += other.decision
        return self

    def figure_rows(self, month):
        """The stored rows of one month's figures (reports.services.month_figures_refresh)."""
        rows = [(GROUPED, "|".join(key[1:]), n, None, None) for key, n in self.grouped.items()]
        rows += [(TEAM, "" if pk is None else str(pk), n, None, None) for pk, n in self.teams.items()]
        rows += [(CLAUSE, number, n, *self.clause_order[number]) for number, n in self.clauses.items()]
        for figure, measure in ((TRIAGE, self.triage), (DECISION, self.decision)):
            rows += [(figure, str(days), n, None, None) for days, n in measure.taken.items()]
            waiting = f"{figure}_waiting"
            rows += [(waiting, day.isoformat(), n, None, None) for day, n in measure.waiting_days.items()]
        return [
            MonthFigure(month=month, figure=figure, key=key, n=n, section=section, position=position)
            for figure, key, n, section, position in rows
        ]


def count_cases(cases, *, now, first_day, limits, settled=True):
    """The Tally of `cases`, counted live: a few grouped queries however many cases. With settled=False,
    without what is settled when a case is raised (its team and clauses), for months whose settled
    figures are read from storage."""
    tally = Tally(
        grouped=counts.grouped(cases),
        triage=measure_triage(cases, now=now, first_day=first_day, limits=limits),
        decision=measure_decision(cases, now=now, first_day=first_day, limits=limits),
    )
    if settled:
        tally.teams = counts.teams(cases)
        tally.clauses, tally.clause_order = counts.clauses(cases)
    return tally


def month_period(month):
    return Period(month, month + relativedelta(months=1) - datetime.timedelta(days=1))


def _local_months(cases):
    month = TruncMonth("created_at", tzinfo=timezone.get_current_timezone())
    return cases.order_by().annotate(month=month).values_list("month")


def _fresh_months(months, *, user):
    """(those of `months` stored and exact for this reader: no case changed since, none about them;
    those stored with none about them but a case changed since, whose settled figures still hold)."""
    refreshed = dict(MonthRefresh.objects.filter(month__in=months).values_list("month", "refreshed_at"))
    if not refreshed:
        return [], []
    changed = {
        timezone.localtime(month).date(): last
        for month, last in _local_months(
            Case.objects.filter(updated_at__gt=min(refreshed.values()))
        ).annotate(last=Max("updated_at"))
    }
    about = {
        timezone.localtime(month).date()
        for (month,) in _local_months(Case.objects.filter(subject_person=user)).distinct()
    }
    readable = [month for month in months if month in refreshed and month not in about]
    fresh = [month for month in readable if changed.get(month, refreshed[month]) <= refreshed[month]]
    return fresh, [month for month in readable if month not in fresh]


def _settled(months):
    """The Tally of what the stored `months` settled when their cases were raised: teams and clauses."""
    tally = Tally()
    sums = (
        MonthFigure.objects.filter(month__in=months, figure__in=[TEAM, CLAUSE])
        .order_by()
        .values_list("figure", "key")
        .annotate(n=Sum("n"), section=Min("section"), position=Min("position"))
    )
    for figure, key, n, section, position in sums:
        _add(tally, figure, key, n, section, position)
    return tally


def _add(tally, figure, key, n, section, position):
    if figure == TEAM:
        tally.teams[int(key) if key else None] += n
    elif figure == CLAUSE:
        tally.clauses[key] += n
        tally.clause_order[key] = (section, position)
    else:
        getattr(tally, figure).taken[int(key)] += n


def _stored(months, *, now, limits):
    """(the Tally of the stored `months`, the months it holds): those with a case waiting whose limit falls
    on today, a working day, are left out, to be counted live to the minute."""
    today = timezone.localdate(now)
    waiting = list(
        MonthFigure.objects.filter(month__in=months, figure__in=WAITING).values_list(
            "month", "figure", "key", "n"
        )
    )
    days = {datetime.date.fromisoformat(key) for _, _, key, _ in waiting}
    calendar = CalendarDay.objects.cover(min(days | {today}), today, today=today)
    numbers = dict(CalendarDay.objects.filter(day__in=days).values_list("day", "number")) if days else {}
    limit = {TRIAGE: triage_limit(limits), DECISION: decision_limit(limits)}
    tally, judged, undecided = Tally(), [], set()
    for month, figure, key, n in waiting:
        due = numbers[datetime.date.fromisoformat(key)] + limit[WAITING[figure]]
        if due == calendar.number and calendar.is_working:
            undecided.add(month)
        judged.append((month, WAITING[figure], n, due < calendar.number or due == calendar.number))
    months = [month for month in months if month not in undecided]
    for month, figure, n, over in judged:
        if month in months:
            measure = getattr(tally, figure)
            measure.waiting += n
            measure.over += n if over else 0
    stored = MonthFigure.objects.filter(month__in=months)
    for month, key, n in stored.filter(figure=GROUPED).values_list("month", "key", "n"):
        tally.grouped[(month, *key.split("|"))] += n
    sums = (
        stored.exclude(figure__in=[GROUPED, *WAITING])
        .order_by()
        .values_list("figure", "key")
        .annotate(n=Sum("n"), section=Min("section"), position=Min("position"))
    )
    for figure, key, n, section, position in sums:
        _add(tally, figure, key, n, section, position)
    return tally, months


def _live_parts(period, stored):
    """The days of the period outside the stored months, as few periods as possible."""
    parts = []
    for month in period.months():
        if month in stored:
            continue
        part = month_period(month)
        start, end = max(part.start, period.start), min(part.end, period.end)
        if parts and parts[-1].end + datetime.timedelta(days=1) == start:
            parts[-1] = Period(parts[-1].start, end)
        else:
            parts.append(Period(start, end))
    return parts


def _raised_in(parts):
    raised = Q()
    for part in parts:
        start, end = part.bounds()
        raised |= Q(created_at__gte=start, created_at__lt=end)
    return raised


def _whole_months(period):
    return [
        month for month in period.months() if period.start <= month and month_period(month).end <= period.end
    ]


def grouped_counts(*, user, period):
    """Only the cases by (month, stage, outcome, platform) of `period` that `user` may count, without the
    timings (the trend's months): stored months while exact, every other day live."""
    grouped, fresh = Counter(), []
    if reads_every_case(user):
        fresh, _ = _fresh_months(_whole_months(period), user=user)
        stored = MonthFigure.objects.filter(month__in=fresh, figure=GROUPED).values_list("month", "key", "n")
        for month, key, n in stored:
            grouped[(month, *key.split("|"))] += n
    parts = _live_parts(period, fresh)
    if parts:
        grouped.update(counts.grouped(reportable_cases(user=user).filter(_raised_in(parts))))
    return grouped


def report_tally(*, user, period, now, limits):
    """Everything the reports page counts about the cases raised in `period` that `user` may count:
    stored months added up; months stored but changed since, their settled figures (teams, clauses) from
    storage and the rest live; every other day live."""
    tally, stored, settled = Tally(), [], []
    if reads_every_case(user):
        fresh, changed = _fresh_months(_whole_months(period), user=user)
        if fresh:
            tally, stored = _stored(fresh, now=now, limits=limits)
        settled = sorted({*changed, *fresh} - set(stored))
        if settled:
            tally += _settled(settled)
    cases = reportable_cases(user=user)
    count = {"now": now, "first_day": period.start, "limits": limits}
    if settled:
        unsettled = set(period.months()) - set(settled)
        parts = _live_parts(period, unsettled)
        tally += count_cases(cases.filter(_raised_in(parts)), settled=False, **count)
    parts = _live_parts(period, {*stored, *settled})
    if parts:
        tally += count_cases(cases.filter(_raised_in(parts)), **count)
    return tally
