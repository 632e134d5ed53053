"""The working days counted in the database (reports.models.CalendarDay for the cases waiting, cases.
timings_sql for those done before the counts were stored) must be exactly what reminders.calendar gives,
over weekends, bank holidays, year ends and clock changes."""

import datetime

import pytest
from django.db import connection

from cases.models import CaseEvent, Stage
from cases.timings_sql import case_working_days_fill
from reminders.calendar import add_working_days
from reports import selectors
from reports.models import CalendarDay
from reports.selectors import Period
from tests.reports.moments import at

pytestmark = pytest.mark.django_db

# (raised, triaged): each raised on a day of its own, so that a one-day period holds that case alone.
PAIRS = [
    (at(2026, 1, 5, 10), at(2026, 1, 5, 10)),  # no time at all
    (at(2026, 1, 6, 10), at(2026, 1, 6, 9)),  # an event before the raising: 0
    (at(2026, 1, 7, 10), at(2026, 1, 8, 10)),  # a working day later, to the minute
    (at(2026, 1, 8, 10), at(2026, 1, 9, 10, 1)),
    (at(2026, 1, 9, 15), at(2026, 1, 10, 11)),  # Friday to Saturday
    (at(2026, 1, 16, 15), at(2026, 1, 19, 14)),  # Friday afternoon to Monday before that time
    (at(2026, 1, 23, 15), at(2026, 1, 26, 16)),
    (at(2026, 1, 24, 10), at(2026, 1, 26, 9)),  # raised on a Saturday
    (at(2026, 3, 27, 23, 30), at(2026, 3, 30, 0, 30)),  # over the clocks going forward (29 March)
    (at(2026, 4, 2, 10), at(2026, 4, 7, 9)),  # over Easter: Good Friday and Easter Monday
    (at(2026, 4, 3, 10), at(2026, 4, 8, 9)),  # raised on Good Friday
    (at(2026, 4, 30, 16), at(2026, 5, 5, 16)),  # the early May bank holiday
    (at(2026, 5, 22, 17, 30), at(2026, 5, 27, 17, 30)),  # the spring bank holiday
    (at(2026, 8, 28, 9), at(2026, 9, 1, 8, 59)),  # the summer bank holiday
    (at(2026, 10, 23, 0, 30), at(2026, 10, 26, 0, 30)),  # over the clocks going back (25 October)
    (at(2026, 12, 24, 10), at(2026, 12, 29, 10)),  # Christmas and Boxing Day (moved to the 28th)
    (at(2026, 12, 31, 12), at(2027, 1, 4, 11)),  # over the year end and New Year's Day
    (at(2026, 12, 30, 12), at(2027, 2, 15, 12)),  # weeks later, into the next year
    (at(2025, 12, 19, 18), at(2026, 1, 2, 9)),  # from one year's Christmas into the next year
]


@pytest.fixture
def triaged(raise_at, staff):
    def _triaged(raised, done):
        case = raise_at(raised, staff)
        # The stage move itself, and the working days it took counted in SQL from the moments of the
        # events, as for the cases made before they were stored (cases.timings_sql).
        CaseEvent.objects.create(
            case=case, kind=CaseEvent.Kind.STAGE, at=done, from_stage=Stage.SUBMITTED, to_stage=Stage.REFERRED
        )
        case_working_days_fill(connection)
        return case

    return _triaged


@pytest.mark.parametrize(("raised", "done"), PAIRS)
def test_the_sql_counts_the_working_days_the_calendar_counts(triaged, governance, raised, done):
    triaged(raised, done)
    day = Period(raised.date(), raised.date())
    timings = selectors.time_to_triage(user=governance, period=day, now=at(2027, 3, 1))
    assert timings.measured == 1
    assert timings.median == selectors.working_days_taken(raised, done)


def test_every_pair_at_once_gives_the_same_bands_as_counting_one_by_one(triaged, governance):
    for raised, done in PAIRS:
        triaged(raised, done)
    everything = Period(datetime.date(2025, 12, 1), datetime.date(2026, 12, 31))
    timings = selectors.time_to_triage(user=governance, period=everything, now=at(2027, 3, 1))
    taken = sorted(selectors.working_days_taken(raised, done) for raised, done in PAIRS)
    assert timings.measured == len(PAIRS)
    assert [row.value for row in timings.bands] == [
        sum(1 for days in taken if days <= 2),
        sum(1 for days in taken if 2 < days <= 4),
        sum(1 for days in taken if days > 4),
    ]
    assert timings.median == taken[len(taken) // 2]


@pytest.mark.parametrize(
    "raised",
    [
        at(2026, 1, 9, 15),  # due Thursday (4 working days)
        at(2026, 4, 1, 9),  # over Easter
        at(2026, 12, 23, 17, 30),  # over Christmas and Boxing Day
        at(2026, 12, 31, 0, 30),  # over New Year's Day
    ],
)
def test_waiting_past_the_limit_is_when_the_reminders_say(raise_at, staff, governance, raised):
    raise_at(raised, staff)
    day = Period(raised.date(), raised.date())
    due = add_working_days(raised, 4)  # the escalation limit
    for now, over in [
        (due - datetime.timedelta(days=1), 0),
        (due, 0),
        (due + datetime.timedelta(minutes=1), 1),
        (due + datetime.timedelta(days=1), 1),
        (due + datetime.timedelta(days=30), 1),
    ]:
        timings = selectors.time_to_triage(user=governance, period=day, now=now)
        assert (timings.waiting, timings.waiting_over) == (1, over), now


def test_the_calendar_numbers_the_working_days_as_the_reminders_do():
    CalendarDay.objects.cover(datetime.date(2026, 3, 1), datetime.date(2027, 1, 31))
    days = {day.day: day for day in CalendarDay.objects.all()}
    start = datetime.date(2026, 1, 1)
    assert min(days) == start and max(days) == datetime.date(2027, 12, 31)
    for offset in range(0, 700, 7):
        first = start + datetime.timedelta(days=offset)
        for n in (1, 3, 10):
            due = add_working_days(first, n)
            assert days[due].number - days[first].number == n
            assert days[due].is_working


def test_extending_the_calendar_back_renumbers_it_and_forward_continues_it():
    CalendarDay.objects.cover(datetime.date(2026, 6, 1), datetime.date(2026, 6, 1))
    CalendarDay.objects.cover(datetime.date(2028, 6, 1), datetime.date(2028, 6, 1))
    CalendarDay.objects.cover(datetime.date(2024, 6, 1), datetime.date(2024, 6, 1))
    days = list(CalendarDay.objects.all())
    assert (days[0].day, days[-1].day) == (datetime.date(2024, 1, 1), datetime.date(2028, 12, 31))
    assert len(days) == (days[-1].day - days[0].day).days + 1
    assert [day.number for day in days] == [
        sum(d.is_working for d in days[: index + 1]) for index in range(len(days))
    ]
