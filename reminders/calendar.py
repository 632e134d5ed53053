"""Working days in England and Wales: Monday to Friday, less the bank holidays (python-holidays)."""

import datetime
from functools import lru_cache

import holidays
from django.utils import timezone


@lru_cache(maxsize=64)
def _bank_holidays(year):
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day):
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(moment, days):
    """The same local time `days` working days after `moment` (a datetime or a date).

    Counting starts from the next working day, so a case raised on a Friday afternoon with 2 working
    days to triage is due on Tuesday afternoon, and one raised on a bank holiday counts from the day after.
    """
    is_datetime = isinstance(moment, datetime.datetime)
    local = timezone.localtime(moment) if is_datetime else moment
    day = local.date() if is_datetime else local
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    if not is_datetime:
        return day
    naive = datetime.datetime.combine(day, local.time().replace(tzinfo=None))
    return timezone.make_aware(naive, timezone.get_current_timezone())


# Asked for every row of every work list (its due day against today): the same spans again and again.
@lru_cache(maxsize=4096)
def working_days_after(start, end):
    """The working days after `start` up to and including `end` (dates): 1 from Friday to Monday, 0 if
    `end` is not after `start`. Whole weeks by arithmetic, so years apart cost no more than days."""
    if end <= start:
        return 0
    weeks, rest = divmod((end - start).days, 7)
    tail = start + datetime.timedelta(weeks=weeks)
    weekdays = weeks * 5 + sum((tail + datetime.timedelta(days=i)).weekday() < 5 for i in range(1, rest + 1))
    holidays = sum(
        start < day <= end and day.weekday() < 5
        for year in range(start.year, end.year + 1)
        for day in _bank_holidays(year)
    )
    return weekdays - holidays


def working_days_taken(start, end):
    """The fewest working days n such that `end` is no later than add_working_days(start, n).

    The measure the reminders use: something done on the day it arrived took 1 working day; a case raised
    on Friday afternoon and triaged on Monday morning took 1; triaged on Monday after the time of day it
    arrived on Friday, 2. Nothing is 0 unless it took no time at all.
    """
    start, end = timezone.localtime(start), timezone.localtime(end)
    if end <= start:
        return 0
    whole = working_days_after(start.date(), end.date())
    if is_working_day(end.date()) and end.time() <= start.time() and whole:
        return whole
    return whole + 1
