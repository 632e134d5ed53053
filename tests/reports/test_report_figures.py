"""The figures of the governance reports for the known cases of conftest.py: counts by month (with the
empty month), stage, platform, clause, team and outcome; working-day timings against the limits."""

import datetime

import pytest

from cases.models import Outcome, Stage
from reminders.calendar import add_working_days
from reminders.models import Limits
from reports import selectors
from reports.selectors import Period, Row
from tests.factories import TeamFactory
from tests.reports.moments import NOW, at

pytestmark = pytest.mark.django_db

PERIOD = Period(datetime.date(2026, 1, 1), datetime.date(2026, 4, 30))


def as_dict(rows):
    return {row.label: row.value for row in rows}


def test_cases_by_month_include_the_months_with_none(world, governance):
    assert selectors.cases_by_month(user=governance, period=PERIOD) == [
        Row("Jan 2026", 2),
        Row("Feb 2026", 1),
        Row("Mar 2026", 0),
        Row("Apr 2026", 1),
    ]


def test_the_period_counts_cases_raised_in_it_both_days_included(world, governance):
    january = Period(datetime.date(2026, 1, 5), datetime.date(2026, 1, 9))
    assert selectors.cases_by_month(user=governance, period=january) == [Row("Jan 2026", 2)]
    one_day = Period(datetime.date(2026, 1, 9), datetime.date(2026, 1, 9))
    assert as_dict(selectors.cases_by_platform(user=governance, period=one_day))["X (Twitter)"] == 1
    assert sum(as_dict(selectors.cases_by_platform(user=governance, period=one_day)).values()) == 1
    december = Period(datetime.date(2025, 12, 1), datetime.date(2025, 12, 31))
    assert selectors.cases_by_month(user=governance, period=december) == [Row("Dec 2025", 1)]


def test_a_case_at_local_midnight_is_in_the_local_day(raise_at, staff, governance):
    # 00:30 on 1 June in London is 23:30 on 31 May in UTC: it belongs to June.
    raise_at(at(2026, 6, 1, 0, 30), staff)
    june = Period(datetime.date(2026, 5, 1), datetime.date(2026, 6, 30))
    assert selectors.cases_by_month(user=governance, period=june) == [Row("May 2026", 0), Row("Jun 2026", 1)]


def test_cases_by_stage_platform_team_and_outcome(world, governance):
    stages = as_dict(selectors.cases_by_stage(user=governance, period=PERIOD))
    assert list(stages) == Stage.labels
    assert stages == {
        **dict.fromkeys(Stage.labels, 0),
        "Closed": 1,
        "Closed at triage": 2,
        "Under governance review": 1,
    }
    platforms = as_dict(selectors.cases_by_platform(user=governance, period=PERIOD))
    assert {label: n for label, n in platforms.items() if n} == {
        "Facebook": 1,
        "X (Twitter)": 1,
        "LinkedIn": 1,
        "A blog or website": 1,
    }
    # Retired platforms (Google+, Wikipedia) have no row in a period without cases on them.
    assert "Google+" not in platforms and "Wikipedia" not in platforms
    assert selectors.cases_by_team(user=governance, period=PERIOD) == [
        Row("Community Support", 2),
        Row("Supported Living", 2),
    ]
    outcomes = as_dict(selectors.cases_by_outcome(user=governance, period=PERIOD))
    assert outcomes == {
        **dict.fromkeys(Outcome.labels, 0),
        "Content removed": 1,
        "No further action (closed at triage)": 2,
        "Not closed": 1,
    }


def test_teams_with_no_cases_are_shown_and_cases_without_a_team_too(world, governance, staff):
    TeamFactory(name="Apprentices")
    world["C"].__class__.objects.filter(pk=world["C"].pk).update(reporter_team=None)
    assert selectors.cases_by_team(user=governance, period=PERIOD) == [
        Row("Apprentices", 0),
        Row("Community Support", 1),
        Row("Supported Living", 2),
        Row(selectors.NO_TEAM, 1),
    ]


def test_cases_by_clause_in_reading_order(world, governance, raise_at, clause, staff):
    # 10.2 is after 5.3 in the policy though before it as text.
    raise_at(at(2026, 4, 20), staff, clauses=[clause("10.2"), clause("5.2")])
    assert selectors.cases_by_clause(user=governance, period=PERIOD) == [
        Row("5.2", 3),
        Row("5.3", 1),
        Row("6.4", 1),
        Row("10.2", 1),
    ]


def test_a_case_about_the_reader_is_in_none_of_their_figures(world, governance, supervisor):
    # X is about the governance head: January has A and B only, and 5.2 is named by those two.
    assert as_dict(selectors.cases_by_clause(user=governance, period=PERIOD))["5.2"] == 2
    assert not selectors.reportable_cases(user=governance).filter(pk=world["X"].pk).exists()


def test_nobody_without_the_right_gets_any_figure(world, supervisor, hr):
    for person in (supervisor, hr):
        assert not selectors.reportable_cases(user=person).exists()
        assert sum(row.value for row in selectors.cases_by_month(user=person, period=PERIOD)) == 0
        assert selectors.time_to_triage(user=person, period=PERIOD, now=NOW).measured == 0


# --- Working days --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (at(2026, 1, 5, 10), at(2026, 1, 5, 10), 0),  # no time at all
        (at(2026, 1, 5, 10), at(2026, 1, 5, 16), 1),  # the same day
        (at(2026, 1, 5, 10), at(2026, 1, 6, 10), 1),  # a working day later, to the minute
        (at(2026, 1, 5, 10), at(2026, 1, 6, 10, 1), 2),
        (at(2026, 1, 9, 15), at(2026, 1, 10, 11), 1),  # Friday to Saturday
        (at(2026, 1, 9, 15), at(2026, 1, 12, 14), 1),  # Friday afternoon to Monday before that time
        (at(2026, 1, 9, 15), at(2026, 1, 12, 16), 2),
        (at(2026, 1, 10, 10), at(2026, 1, 12, 9), 1),  # raised on a Saturday
        (at(2026, 4, 2, 10), at(2026, 4, 7, 9), 1),  # over Easter: Good Friday and Easter Monday
        (at(2026, 4, 2, 10), at(2026, 4, 8, 9), 2),
        (at(2026, 12, 24, 10), at(2026, 12, 29, 10), 1),  # Christmas and Boxing Day (moved to the 28th)
    ],
)
def test_working_days_taken(start, end, days):
    assert selectors.working_days_taken(start, end) == days


@pytest.mark.parametrize("limit", [1, 2, 4, 10])
@pytest.mark.parametrize("start", [at(2026, 1, 9, 15), at(2026, 4, 1, 9), at(2026, 5, 22, 17, 30)])
def test_working_days_taken_agrees_with_the_reminders(start, limit):
    """The limit's own moment is within it; a minute later is not."""
    due = add_working_days(start, limit)
    assert selectors.working_days_taken(start, due) == limit
    assert selectors.working_days_taken(start, due + datetime.timedelta(minutes=1)) == limit + 1


def test_time_to_triage_against_the_reminder_and_escalation_limits(world, governance):
    timings = selectors.time_to_triage(user=governance, period=PERIOD, now=NOW)
    # A took 3, B 1, C 6, D 1 (Easter).
    assert timings.bands == [
        Row("Within 2 working days", 2),
        Row("3 to 4 working days (after the reminder)", 1),
        Row("Over 4 working days (escalated to the Head of Service)", 1),
    ]
    assert (timings.within_limit, timings.over_limit, timings.limit) == (3, 1, 4)
    assert timings.median == 2
    assert (timings.waiting, timings.waiting_over) == (0, 0)


def test_time_to_triage_follows_the_limits(world, governance):
    limits = Limits.current()
    limits.triage_reminder_working_days, limits.triage_escalation_working_days = 1, 3
    limits.save()
    timings = selectors.time_to_triage(user=governance, period=PERIOD, now=NOW)
    assert as_dict(timings.bands) == {
        "Within 1 working days": 2,
        "2 to 3 working days (after the reminder)": 1,
        "Over 3 working days (escalated to the Head of Service)": 1,
    }


def test_cases_still_in_triage_are_waiting_and_past_the_limit_once_over_it(
    raise_at, move_at, staff, governance
):
    case = raise_at(at(2026, 1, 5, 10), staff)
    move_at(at(2026, 1, 5, 11), case, "start_triage")  # starting triage does not stop the clock
    timings = selectors.time_to_triage(user=governance, period=PERIOD, now=at(2026, 1, 9, 10))
    assert (timings.measured, timings.waiting, timings.waiting_over) == (0, 1, 0)
    timings = selectors.time_to_triage(user=governance, period=PERIOD, now=at(2026, 1, 9, 10, 1))
    assert (timings.waiting, timings.waiting_over) == (1, 1)
    assert timings.median is None


def test_a_reopened_case_is_measured_by_its_first_triage(world, move_at, governance):
    move_at(at(2026, 3, 2, 9), world["B"], "reopen_triage")
    move_at(at(2026, 3, 20, 9), world["B"], "close_at_triage")
    timings = selectors.time_to_triage(user=governance, period=PERIOD, now=NOW)
    assert as_dict(timings.bands)["Within 2 working days"] == 2


def test_time_to_decision_from_referral_to_action_or_closing(world, governance, raise_at, move_at, staff):
    timings = selectors.time_to_decision(user=governance, period=PERIOD, now=NOW)
    # A decided in 8 working days; C still under review since 9 February, long past 10.
    assert timings.bands == [Row("Within 10 working days", 1), Row("Over 10 working days", 0)]
    assert timings.median == 8
    assert (timings.waiting, timings.waiting_over) == (1, 1)

    # E: referred Monday 9 March 09:00, action started Tuesday 24 March 09:30: 12 working days.
    e = raise_at(at(2026, 3, 5, 9), staff)
    move_at(at(2026, 3, 5, 10), e, "start_triage")
    move_at(at(2026, 3, 9, 9), e, "refer")
    move_at(at(2026, 3, 10, 9), e, "start_review")
    move_at(at(2026, 3, 24, 9, 30), e, "start_action")
    timings = selectors.time_to_decision(user=governance, period=PERIOD, now=NOW)
    assert timings.bands == [Row("Within 10 working days", 1), Row("Over 10 working days", 1)]
    assert timings.median == 10  # the median of 8 and 12


def test_acknowledgement_coverage_by_team(policy, governance, staff, other_staff, supervisor, hr):
    from policies.services import acknowledgement_record

    version = policy.current_version()
    for person in (staff, supervisor):
        acknowledgement_record(version=version, user=person)
    [coverage] = selectors.acknowledgement_coverage(viewer=governance)
    assert coverage.version == version
    rows = {row.team: (row.staff, row.acknowledged, row.percent) for row in coverage.teams}
    # Community Support: staff, supervisor, head of service. Supported Living: staff2, supervisor2.
    # No team: the governance head and HR.
    assert rows == {
        "Community Support": (3, 2, 67),
        "Supported Living": (2, 0, 0),
        selectors.NO_TEAM: (2, 0, 0),
    }
    assert (coverage.total.staff, coverage.total.acknowledged) == (7, 2)
