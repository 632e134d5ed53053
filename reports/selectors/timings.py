"""How long the period's cases took to be triaged and decided, in working days, against the limits.

Counted in the database: the working days each case took are stored on it (Case.triage_working_days and
decision_working_days, `working_days_taken` by cases.timers), so those done are one grouped query. Those
not done yet are judged against the limit from the moment they started (raised, referred) and the calendar
table (reports.models.CalendarDay, filled from reminders.calendar), so a period of any length is a few
grouped queries.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, Min
from django.utils import timezone

from cases.filters import DECISION, PAST_LIMIT, TRIAGE
from cases.models import CaseEvent, Stage
from cases.selectors import (
    AFTER_REMINDER,
    OVER_LIMIT,
    WITHIN_LIMIT,
    WITHIN_REMINDER,
    decision_limit,
    timing_span,
    triage_limit,
)

from ..models import CalendarDay
from .door import Row

# The value of All cases' `waiting` filter for each timing's cases not done yet.
WAITING_FILTERS = {"triage": TRIAGE, "decision": DECISION}
# All cases' filter of each timing's cases done, by the span of working days they took.
TAKEN_FILTERS = {"triage": "time_to_triage", "decision": "time_to_decision"}


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

    @property
    def within_limit_row(self):
        """The cases done within the limit, with the All cases filter that lists them."""
        return Row("Within the limit", self.within_limit, {TAKEN_FILTERS[self.key]: WITHIN_LIMIT})

    @property
    def waiting_row(self):
        """The cases not done yet, with the All cases filter that lists them (cases.selectors)."""
        return Row("Not done yet", self.waiting, {"waiting": WAITING_FILTERS[self.key]})

    @property
    def waiting_over_row(self):
        """The cases not done yet and past the limit now, with the filter that lists them."""
        return Row("Past the limit", self.waiting_over, {"waiting": WAITING_FILTERS[self.key] + PAST_LIMIT})

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


def _local(sql, part):
    """SQL and parameters for the local date or time of the moment `sql`, in this database's dialect."""
    tzname = timezone.get_current_timezone_name()
    cast = connection.ops.datetime_cast_date_sql if part == "date" else connection.ops.datetime_cast_time_sql
    sql, params = cast(sql, (), tzname)
    return sql, list(params)


def _sql(queryset):
    """The queryset's SQL and parameters, or (None, ()) if it can hold nothing (the reader has no right)."""
    try:
        return queryset.query.sql_with_params()
    except EmptyResultSet:
        return None, ()


@dataclass
class Measure:
    """One timing of a set of cases, in a form that adds up: {working days taken: cases} of those done;
    of those not done, how many (`waiting`) and how many past the limit (`over`) when counted case by case,
    or {day it started: cases} (`waiting_days`) when stored by month and judged against today later."""

    taken: Counter = field(default_factory=Counter)
    waiting: int = 0
    over: int = 0
    waiting_days: Counter = field(default_factory=Counter)

    def __iadd__(self, other):
        self.taken += other.taken
        self.waiting += other.waiting
        self.over += other.over
        self.waiting_days += other.waiting_days
        return self


def _taken(cases, column):
    """{working days taken: cases} of those of `cases` done, from the column stored on each."""
    done = cases.filter(**{f"{column}__isnull": False}).order_by().values_list(column)
    return Counter(dict(done.annotate(n=Count("pk"))))


def _waiting(started_sql, params, *, now, first_day, limit):
    """A Measure of the cases not done yet whose clocks started at the moments `started_sql` selects
    (`started`): how many there are, how many are past the limit, and on which days they started.

    Waiting past the limit is `now > add_working_days(started, limit)`: the limit's day is the one whose
    calendar number is `limit` more than the starting day's; past it once today's number is higher, or on
    that day once the time of day has passed (today being a working day).
    """
    if started_sql is None:
        return Measure()
    today = timezone.localtime(now)
    # Every day a waiting case was raised or referred on, from the first day counted to today.
    calendar = CalendarDay.objects.cover(first_day, today.date(), today=today.date())
    local = [_local("p.started", part) for part in ("date", "time")]
    local_params = [param for _, params in local for param in params]
    sql = f"""
        SELECT
            CASE
                WHEN s.number + %s < %s THEN 1
                WHEN s.number + %s = %s AND (%s OR q.start_time < %s) THEN 1
                ELSE 0
            END AS over,
            q.start_day,
            COUNT(*)
        FROM (
            SELECT {local[0][0]} AS start_day, {local[1][0]} AS start_time FROM ({started_sql}) p
        ) q
        INNER JOIN {CalendarDay._meta.db_table} s ON s.day = q.start_day
        GROUP BY 1, 2
    """  # noqa: S608 (compiled querysets and table names only: every value is a parameter)
    today_params = [limit, calendar.number, limit, calendar.number, not calendar.is_working]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*today_params, today.time().isoformat(), *local_params, *params])
        rows = cursor.fetchall()
    measure = Measure()
    for over, day, n in rows:
        measure.waiting += n
        measure.over += n if over else 0
        measure.waiting_days[_date(day)] += n
    return measure


def _date(day):
    """A day from the database: SQLite gives it as text."""
    return day if isinstance(day, datetime.date) else datetime.date.fromisoformat(day)


def median_of(histogram):
    """The median of the values counted in {value: how many}, as statistics.median gives it."""
    total = sum(histogram.values())
    if not total:
        return None
    middle, seen, low = (total - 1) // 2, 0, None
    for value in sorted(histogram):
        seen += histogram[value]
        if low is None and seen > middle:
            low = value
        if seen > total // 2:
            median = low if total % 2 else (low + value) / 2
            return int(median) if float(median).is_integer() else median
    return None


def timings_of(measure, *, kind, limits):
    """The Timings shown for a Measure of the triage or the decision, against the limits: its bands are
    the spans of cases.selectors.timing_span, each with the All cases filter that lists its cases."""
    if kind == "triage":
        reminder, escalation = limits.triage_reminder_working_days, limits.triage_escalation_working_days
        bands = [
            (WITHIN_REMINDER, f"Within {reminder} working days"),
            (AFTER_REMINDER, f"{reminder + 1} to {escalation} working days (after the reminder)"),
            (OVER_LIMIT, f"Over {escalation} working days (escalated to the Head of Service)"),
        ]
        if escalation <= reminder:
            bands = [
                (WITHIN_LIMIT, f"Within {escalation} working days"),
                (OVER_LIMIT, f"Over {escalation} working days"),
            ]
        title, reminder = "Time to triage", reminder if reminder < escalation else None
    else:
        limit = decision_limit(limits)
        bands = [(WITHIN_LIMIT, f"Within {limit} working days"), (OVER_LIMIT, f"Over {limit} working days")]
        title, reminder = "Time to decision", None
    histogram = measure.taken
    rows = []
    for span, label in bands:
        more_than, up_to = timing_span(kind, span, limits)
        n = sum(
            count
            for days, count in histogram.items()
            if (more_than is None or days > more_than) and (up_to is None or days <= up_to)
        )
        rows.append(Row(label, n, {TAKEN_FILTERS[kind]: span}))
    limit = triage_limit(limits) if kind == "triage" else decision_limit(limits)
    return Timings(kind, title, rows, limit, median_of(histogram), measure.waiting, measure.over, reminder)


def measure_triage(cases, *, now, first_day, limits):
    """From raising to the end of triage: the first move out of triage, by referral or by closing it
    (cases.timers: starting triage does not stop the clock). Against the escalation limit; reopened
    cases are measured by their first triage."""
    cases = cases.order_by()
    waiting_sql, params = _sql(cases.filter(triage_working_days__isnull=True).values(started=F("created_at")))
    measure = _waiting(waiting_sql, params, now=now, first_day=first_day, limit=triage_limit(limits))
    measure.taken = _taken(cases, "triage_working_days")
    return measure


def measure_decision(cases, *, now, first_day, limits):
    """From referral to the governance head's decision: the first move after the referral out of
    "referred" and "under review", to taking action or closing (cases.timers: *decided*). Those waiting
    are the referred cases not decided yet, from their first referral."""
    cases = cases.order_by()
    waiting = CaseEvent.objects.filter(
        kind=CaseEvent.Kind.STAGE,
        to_stage=Stage.REFERRED,
        case__in=cases.filter(decision_working_days__isnull=True).values("pk"),
    )
    waiting_sql, params = _sql(waiting.order_by().values("case_id").annotate(started=Min("at")))
    measure = _waiting(waiting_sql, params, now=now, first_day=first_day, limit=decision_limit(limits))
    measure.taken = _taken(cases, "decision_working_days")
    return measure
