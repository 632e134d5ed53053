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
