"""The figures stored month by month (reports.services.month_figures_refresh) give exactly what counting
every case live gives: for whole months, partial months, a month with a case about the reader, a case
moved after its month was stored, and a case whose limit falls today."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission

from reports import selectors
from reports.models import MonthFigure, MonthRefresh
from reports.selectors import Period
from reports.services import month_figures_refresh
from tests.reports.moments import NOW, at

pytestmark = pytest.mark.django_db

PERIODS = [
    Period(datetime.date(2026, 1, 1), datetime.date(2026, 4, 30)),  # whole months
    Period(datetime.date(2025, 12, 1), datetime.date(2026, 5, 15)),  # to today
    Period(datetime.date(2026, 1, 9), datetime.date(2026, 3, 31)),  # from the middle of a month
]


def report(user, period, now=NOW):
    with time_machine.travel(now, tick=False):
        return selectors.governance_report(user=user, period=period, now=now).csv_rows()


def live(user, period, now=NOW):
    """The same report with nothing stored: every case counted."""
    stored = list(MonthFigure.objects.all()), list(MonthRefresh.objects.all())
    MonthFigure.objects.all().delete()
    MonthRefresh.objects.all().delete()
    rows = report(user, period, now)
    MonthFigure.objects.bulk_create(stored[0])
    MonthRefresh.objects.bulk_create(stored[1])
    return rows


def store(now=NOW):
    with time_machine.travel(now, tick=False):
        return month_figures_refresh(now=now)


def test_stored_months_give_the_live_figures(world, governance, supervisor):
    expected = {period: report(governance, period) for period in PERIODS}
    assert store() == 5  # December to April; May is this month, counted live
    assert store() == 0  # nothing changed
    for period in PERIODS:
        assert report(governance, period) == expected[period]


def test_the_stored_figures_are_what_is_read(world, governance, other_staff):
    store()
    # February's figures as stored, changed by hand: the page shows them, so February was read from them.
    MonthFigure.objects.filter(month=datetime.date(2026, 2, 1), figure="grouped").update(n=5)
    rows = report(governance, PERIODS[0])
    assert ("Cases raised by month", "Feb 2026", 5) in rows


def test_a_month_with_a_case_about_the_reader_is_counted_live(world, governance):
    # X (January) is about the governance head: their January leaves it out, the stored January has it.
    store()
    january = Period(datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))
    assert ("Cases raised by month", "Jan 2026", 2) in report(governance, january)


def test_a_case_moved_after_its_month_was_stored_is_counted_as_it_is_now(world, governance, move_at):
    store(now=at(2026, 5, 1, 9))
    move_at(at(2026, 5, 14, 10), world["C"], "start_action")
    rows = report(governance, PERIODS[0])
    assert rows == live(governance, PERIODS[0])
    assert ("Cases by stage now", "Action in progress", 1) in rows
    assert store() == 1  # February again


def test_a_case_waiting_with_its_limit_today_is_judged_to_the_minute(raise_at, staff, governance):
    # Raised Thursday 7 May 2026 10:00: four working days to triage end on Wednesday 13 May at 10:00.
    raise_at(at(2026, 5, 7, 10), staff)
    may = Period(datetime.date(2026, 5, 1), datetime.date(2026, 5, 31))
    june = at(2026, 6, 2, 9)
    store(now=june)
    for now, over in [(at(2026, 5, 13, 10), 0), (at(2026, 5, 13, 10, 1), 1), (at(2026, 5, 12, 23), 0)]:
        rows = report(governance, may, now=now)
        assert rows == live(governance, may, now=now)
        assert ("Time to triage", "Not done yet and past the limit of 4 working days", over) in rows


def test_a_reader_who_sees_only_their_cases_never_reads_stored_months(world, governance, supervisor):
    store()
    supervisor.user_permissions.add(Permission.objects.get(codename="view_reports"))
    supervisor = type(supervisor).objects.get(pk=supervisor.pk)
    assert not selectors.reads_every_case(supervisor)
    assert report(supervisor, PERIODS[0]) == live(supervisor, PERIODS[0])


def test_the_query_count_does_not_grow_with_the_stored_cases(
    raise_at, move_at, staff, other_staff, governance, django_assert_max_num_queries
):
    # As time goes: one case in January, stored on 1 February; 49 more from February on, stored in May.
    def raise_many(count, first_month):
        for n in range(count):
            case = raise_at(at(2026, first_month + n % 3, 1 + n % 27, 10), staff if n % 2 else other_staff)
            if n % 3 == 1:
                move_at(at(2026, 4, 29, 10), case, "start_triage")
                move_at(at(2026, 4, 30, 10), case, "refer")

    raise_many(1, first_month=1)
    store(now=at(2026, 2, 1, 1))
    report(governance, PERIODS[1])  # the first reading fills the working-day calendar
    # Whichever way each month is read (stored, stored but changed, live), a fixed number of queries; the
    # trend's twelve months, longer than this period, are counted beside it in a few more.
    most = 35
    with django_assert_max_num_queries(most):
        report(governance, PERIODS[1])
    raise_many(49, first_month=2)
    store()
    with django_assert_max_num_queries(most):
        rows = report(governance, PERIODS[1])
    assert sum(value for figure, _, value in rows if figure == "Cases raised by month") == 50
    assert rows == live(governance, PERIODS[1])


def test_a_changed_month_keeps_its_stored_teams_and_clauses_and_counts_the_rest_live(
    world, governance, move_at
):
    store(now=at(2026, 5, 1, 9))
    move_at(at(2026, 5, 14, 10), world["C"], "start_action")  # February changes
    # February's stored clause figure, changed by hand, shows: its settled figures are read from storage.
    MonthFigure.objects.filter(month=datetime.date(2026, 2, 1), figure="clause", key="6.4").update(n=7)
    rows = report(governance, PERIODS[0])
    assert ("Cases by clause possibly breached", "6.4", 7) in rows
    MonthFigure.objects.filter(month=datetime.date(2026, 2, 1), figure="clause", key="6.4").update(n=1)
    assert report(governance, PERIODS[0]) == live(governance, PERIODS[0])
