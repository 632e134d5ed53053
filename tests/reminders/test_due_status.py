"""The status pill of a deadline (reminders.due.due_status), counted on the working-day calendar."""

import datetime
import zoneinfo

import pytest

from reminders.calendar import is_working_day, working_days_after
from reminders.due import due_status

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Friday 4 December 2026, the working days around it, and Christmas.
FRIDAY = datetime.date(2026, 12, 4)
MONDAY = datetime.date(2026, 12, 7)


def at(day, hour=9):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


@pytest.mark.parametrize(
    ("due", "today", "text", "tone"),
    [
        (FRIDAY, FRIDAY, "due today", "today"),
        (MONDAY, FRIDAY, "due in 1 working day", "soon"),
        (datetime.date(2026, 12, 9), FRIDAY, "due in 3 working days", "later"),
        (FRIDAY, MONDAY, "overdue by 1 working day", "overdue"),  # across the weekend
        (datetime.date(2026, 12, 3), MONDAY, "overdue by 2 working days", "overdue"),
        # Christmas Day and Boxing Day (a Saturday; the bank holiday is on Monday 28th) are not working days.
        (datetime.date(2026, 12, 24), datetime.date(2026, 12, 29), "overdue by 1 working day", "overdue"),
        # A deadline on a day off just ahead reads in calendar days.
        (datetime.date(2026, 12, 5), FRIDAY, "due in 1 day", "soon"),
        (datetime.date(2026, 12, 5), datetime.date(2026, 12, 6), "overdue by 1 day", "overdue"),
        (None, FRIDAY, "no deadline", "none"),
    ],
)
def test_the_pill_counts_working_days(due, today, text, tone):
    status = due_status(due, now=at(today))
    assert (status.text, status.tone) == (text, tone)


def test_a_deadline_with_a_time_counts_by_its_day():
    assert due_status(at(FRIDAY, 17), now=at(FRIDAY, 9)).text == "due today"
    assert due_status(at(FRIDAY, 8), now=at(MONDAY, 9)).text == "overdue by 1 working day"


def test_the_breach_clock_counts_hours():
    now = at(FRIDAY, 9)
    assert (
        due_status(now + datetime.timedelta(hours=5, minutes=30), now=now, in_hours=True).text
        == "5 hours left"
    )
    assert due_status(now + datetime.timedelta(hours=50), now=now, in_hours=True).tone == "soon"
    late = due_status(now - datetime.timedelta(hours=2, minutes=10), now=now, in_hours=True)
    assert (late.text, late.tone) == ("overdue by 3 hours", "overdue")
    assert due_status(now - datetime.timedelta(hours=2), now=now, in_hours=True).text == "overdue by 2 hours"
    assert (
        due_status(now + datetime.timedelta(minutes=20), now=now, in_hours=True).text
        == "less than an hour left"
    )


def test_working_days_over_years_match_counting_day_by_day():
    assert working_days_after(datetime.date(2025, 12, 31), datetime.date(2026, 12, 31)) == 253
    start, end = datetime.date(2019, 3, 7), datetime.date(2026, 11, 2)
    day, count = start, 0
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    assert working_days_after(start, end) == count
    assert working_days_after(end, start) == 0
