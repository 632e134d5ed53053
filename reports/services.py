"""Storing the reports' figures month by month, so that the page adds up months instead of counting every
case (reports.selectors.tally decides when a stored month may be used)."""

import datetime

from django.db import transaction
from django.utils import timezone

from cases.models import Case
from reminders.models import Limits

from .models import MonthFigure, MonthRefresh
from .selectors.tally import count_cases, month_period

# A case moved just before a month is stored may be committed just after its figures were read: a month is
# stored as of a little earlier than its figures were counted, so that such a move makes it stale.
MARGIN = datetime.timedelta(minutes=5)


def months_to_store(now):
    """Every month from the first case's to the last whole one that is not stored or has a case that
    changed since (the current month is counted live: its cases change all day)."""
    first = Case.objects.order_by("created_at").values_list("created_at", flat=True).first()
    if first is None:
        return []
    month = timezone.localtime(first).date().replace(day=1)
    this_month = timezone.localdate(now).replace(day=1)
    refreshed = dict(MonthRefresh.objects.values_list("month", "refreshed_at"))
    months = []
    while month < this_month:
        period = month_period(month)
        start, end = period.bounds()
        raised = Case.objects.filter(created_at__gte=start, created_at__lt=end)
        if month not in refreshed or raised.filter(updated_at__gt=refreshed[month]).exists():
            months.append(month)
        month = period.end + datetime.timedelta(days=1)
    return months


def month_figures_refresh(now=None):
    """Store the figures of every month that needs it (months_to_store); the number of months stored."""
    now = now or timezone.now()
    limits, months = Limits.current(), months_to_store(now)
    for month in months:
        as_of = timezone.now() - MARGIN
        start, end = month_period(month).bounds()
        # Every case, without the door: a reader's own door is applied when the months are read.
        cases = Case.objects.filter(created_at__gte=start, created_at__lt=end)
        tally = count_cases(cases, now=now, first_day=month, limits=limits)
        with transaction.atomic():
            MonthFigure.objects.filter(month=month).delete()
            MonthFigure.objects.bulk_create(tally.figure_rows(month))
            MonthRefresh.objects.update_or_create(month=month, defaults={"refreshed_at": as_of})
    return len(months)
