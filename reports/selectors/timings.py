"""How long the period's cases took to be triaged and decided, in working days, against the limits.

Counted in the database: each case's pair of moments (raised and triaged, referred and decided) comes
from its stage events, and the working days between them from the calendar table (reports.models.
CalendarDay, filled from reminders.calendar), so a period of any length is a few grouped queries. The
SQL gives the same answer as `working_days_taken`, which stays as its definition.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Min
from django.utils import timezone

from cases.filters import DECISION, PAST_LIMIT, TRIAGE
from cases.models import AWAITING_DECISION, TRIAGE_STAGES, CaseEvent, Stage
from cases.selectors import decision_limit, triage_limit
from reminders.calendar import is_working_day

from ..models import CalendarDay
from .door import Row

# The value of All cases' `waiting` filter for each timing's cases not done yet.
WAITING_FILTERS = {"triage": TRIAGE, "decision": DECISION}


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


def _stage_moves(cases, **conditions):
    """The first stage move of each of `cases` that meets the conditions: (case_id, at)."""
    return _sql(
        CaseEvent.objects.filter(kind=CaseEvent.Kind.STAGE, case__in=cases.values("pk"), **conditions)
        .order_by()
        .values("case_id")
        .annotate(at=Min("at"))
    )


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


def _measure(pairs_sql, params, *, now, first_day, limit):
    """Measure the pairs (started, done) of `pairs_sql`: a Measure with the working days taken of those
    done, and of the others how many there are, how many are past the limit, and on which days they started.

    `working_days_taken` in SQL: the working days after the day it started up to the day it was done
    (the difference of their calendar numbers), and one more unless it was done on a working day no
    later in the day than it started. Waiting past the limit is `now > add_working_days(started, limit)`:
    the limit's day is the one whose number is `limit` more than the starting day's; past it once today's
    number is higher, or on that day once the time of day has passed (today being a working day).
    """
    if pairs_sql is None:
        return Measure()
    today = timezone.localtime(now)
    # Every day a case was raised, referred or decided on, from the first day counted to today.
    calendar = CalendarDay.objects.cover(first_day, today.date(), today=today.date())
    local = [_local(column, part) for column in ("p.started", "p.done") for part in ("date", "time")]
    local_params = [param for _, params in local for param in params]
    sql = f"""
        SELECT
            CASE
                WHEN q.done IS NULL THEN NULL
                WHEN q.done <= q.started THEN 0
                WHEN d.is_working AND q.done_time <= q.start_time AND d.number > s.number
                    THEN d.number - s.number
                ELSE d.number - s.number + 1
            END AS taken,
            CASE
                WHEN q.done IS NOT NULL THEN NULL
                WHEN s.number + %s < %s THEN 1
                WHEN s.number + %s = %s AND (%s OR q.start_time < %s) THEN 1
                ELSE 0
            END AS over,
            CASE WHEN q.done IS NULL THEN q.start_day END AS waiting_day,
            COUNT(*)
        FROM (
            SELECT p.started, p.done,
                {local[0][0]} AS start_day, {local[1][0]} AS start_time,
                {local[2][0]} AS done_day, {local[3][0]} AS done_time
            FROM ({pairs_sql}) p
        ) q
        INNER JOIN {CalendarDay._meta.db_table} s ON s.day = q.start_day
        LEFT JOIN {CalendarDay._meta.db_table} d ON d.day = q.done_day
        GROUP BY 1, 2, 3
    """  # noqa: S608 (compiled querysets and table names only: every value is a parameter)
    today_params = [limit, calendar.number, limit, calendar.number, not calendar.is_working]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*today_params, today.time().isoformat(), *local_params, *params])
        rows = cursor.fetchall()
    measure = Measure()
    for days, over, day, n in rows:
        if days is None:
            measure.waiting += n
            measure.over += n if over else 0
            # SQLite gives the day as text.
            measure.waiting_days[
                day if isinstance(day, datetime.date) else datetime.date.fromisoformat(day)
            ] += n
        else:
            measure.taken[days] += n
    return measure


def _date(day):
    """A day from the database: SQLite gives it as text."""
    return day if isinstance(day, datetime.date) else datetime.date.fromisoformat(day)


def _median(histogram):
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
    """The Timings shown for a Measure of the triage or the decision, against the limits."""
    if kind == "triage":
        reminder, escalation = limits.triage_reminder_working_days, limits.triage_escalation_working_days
        bands = [
            (reminder, f"Within {reminder} working days"),
            (escalation, f"{reminder + 1} to {escalation} working days (after the reminder)"),
            f"Over {escalation} working days (escalated to the Head of Service)",
        ]
        if escalation <= reminder:
            bands = [(escalation, f"Within {escalation} working days"), f"Over {escalation} working days"]
        reminder = reminder if reminder < escalation else None
        return _timings(
            measure, limit=escalation, bands=bands, key=kind, title="Time to triage", reminder=reminder
        )
    limit = limits.governance_reminder_working_days
    bands = [(limit, f"Within {limit} working days"), f"Over {limit} working days"]
    return _timings(measure, limit=limit, bands=bands, key=kind, title="Time to decision")


def _timings(measure, *, limit, bands, key, title, reminder=None):
    """`bands` of (up to this many working days, label), then the label for over the last."""
    histogram = measure.taken
    *spans, over_label = bands
    counts, floor = [], -1
    for ceiling, label in spans:
        counts.append(Row(label, sum(n for days, n in histogram.items() if floor < days <= ceiling)))
        floor = ceiling
    counts.append(Row(over_label, sum(n for days, n in histogram.items() if days > floor)))
    return Timings(key, title, counts, limit, _median(histogram), measure.waiting, measure.over, reminder)


def measure_triage(cases, *, now, first_day, limits):
    """From raising to the end of triage: the first move out of triage, by referral or by closing it
    (cases.timers: starting triage does not stop the clock). Against the escalation limit; reopened
    cases are measured by their first triage."""
    cases = cases.order_by()
    cases_sql, cases_params = _sql(cases.values("pk", "created_at"))
    triaged_sql, triaged_params = _stage_moves(
        cases, from_stage__in=TRIAGE_STAGES, to_stage__in=_outside(TRIAGE_STAGES)
    )
    pairs = None
    if cases_sql is not None:
        pairs = f"""
        SELECT c.created_at AS started, t.at AS done
        FROM ({cases_sql}) c LEFT JOIN ({triaged_sql}) t ON t.case_id = c.pk
    """  # noqa: S608 (as in _measure)
    params = [*cases_params, *triaged_params]
    return _measure(pairs, params, now=now, first_day=first_day, limit=triage_limit(limits))


def measure_decision(cases, *, now, first_day, limits):
    """From referral to the governance head's decision: the first move after the referral out of
    "referred" and "under review", to taking action or closing (cases.timers: *decided*)."""
    referred_sql, referred_params = _stage_moves(cases.order_by(), to_stage=Stage.REFERRED)
    decided = [str(stage) for stage in (*AWAITING_DECISION, *_outside(AWAITING_DECISION))]
    awaiting = ", ".join(["%s"] * len(AWAITING_DECISION))
    outside = ", ".join(["%s"] * (len(decided) - len(AWAITING_DECISION)))
    pairs = None
    if referred_sql is not None:
        pairs = f"""
        SELECT r.at AS started, MIN(e.at) AS done
        FROM ({referred_sql}) r
        LEFT JOIN {CaseEvent._meta.db_table} e ON e.case_id = r.case_id AND e.kind = %s
            AND e.from_stage IN ({awaiting}) AND e.to_stage IN ({outside}) AND e.at >= r.at
        GROUP BY r.case_id, r.at
    """  # noqa: S608 (as in _measure)
    params = [*referred_params, str(CaseEvent.Kind.STAGE), *decided]
    return _measure(pairs, params, now=now, first_day=first_day, limit=decision_limit(limits))


def _outside(stages):
    return [stage for stage in Stage.values if stage not in stages]
