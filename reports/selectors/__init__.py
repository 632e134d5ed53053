"""The figures of the governance reports and of a policy's review pack (clause 10.1), by subject:

- door: who may read them, the period, and `reportable_cases`, where every figure starts;
- counts: cases by month, stage, platform, clause, team and outcome;
- timings: working days to triage and to decision, against the limits;
- tally: all of the page's counts for a period, from the stored months and the rest counted live;
- trend: the main figures month by month over twelve months;
- coverage: acknowledgement of a version by team;
- review: the review pack.

Everything is aggregated in the database; this module puts the reports page together.
"""

from dataclasses import dataclass

from django.utils import timezone

from reminders.calendar import working_days_taken
from reminders.models import Limits

from . import counts
from .coverage import Coverage, TeamCoverage, acknowledgement_coverage
from .door import (
    NO_CLAUSE,
    NO_TEAM,
    Period,
    Row,
    cases_raised,
    may_see_reports,
    reads_every_case,
    reportable_cases,
)
from .review import BREACH_OUTCOMES, DISCIPLINARY_FINDINGS, ReviewPack, breaches_by_clause, review_pack
from .tally import report_tally
from .timings import Timings, timings_of
from .trend import Trend, twelve_month_trend

__all__ = [
    "BREACH_OUTCOMES",
    "DISCIPLINARY_FINDINGS",
    "NO_CLAUSE",
    "NO_TEAM",
    "Coverage",
    "Figure",
    "GovernanceReport",
    "Period",
    "ReviewPack",
    "Row",
    "TeamCoverage",
    "Timings",
    "Trend",
    "acknowledgement_coverage",
    "breaches_by_clause",
    "cases_by_clause",
    "cases_by_month",
    "cases_by_outcome",
    "cases_by_platform",
    "cases_by_stage",
    "cases_by_team",
    "cases_raised",
    "governance_figures",
    "governance_report",
    "may_see_reports",
    "reads_every_case",
    "reportable_cases",
    "review_pack",
    "time_to_decision",
    "time_to_triage",
    "working_days_taken",
]


# --- Everything on the reports page --------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    rows: list
    label_heading: str
    value_heading: str = "Cases"


def _tally(user, period, now=None, limits=None):
    return report_tally(
        user=user, period=period, now=now or timezone.now(), limits=limits or Limits.current()
    )


def cases_by_month(*, user, period):
    return counts.month_rows(_tally(user, period), period)


def cases_by_stage(*, user, period):
    return counts.stage_rows(_tally(user, period))


def cases_by_platform(*, user, period):
    return counts.platform_rows(_tally(user, period))


def cases_by_outcome(*, user, period):
    return counts.outcome_rows(_tally(user, period))


def cases_by_team(*, user, period):
    return counts.team_rows(_tally(user, period))


def cases_by_clause(*, user, period):
    return counts.clause_rows(_tally(user, period))


def time_to_triage(*, user, period, now=None, limits=None):
    limits = limits or Limits.current()
    return timings_of(_tally(user, period, now, limits).triage, kind="triage", limits=limits)


def time_to_decision(*, user, period, now=None, limits=None):
    limits = limits or Limits.current()
    return timings_of(_tally(user, period, now, limits).decision, kind="decision", limits=limits)


def governance_figures(tally, period):
    """The counts of the reports page, in the order they are shown."""
    return [
        Figure("month", "Cases raised by month", counts.month_rows(tally, period), "Month"),
        Figure("stage", "Cases by stage now", counts.stage_rows(tally), "Stage"),
        Figure("platform", "Cases by platform", counts.platform_rows(tally), "Platform"),
        Figure("clause", "Cases by clause possibly breached", counts.clause_rows(tally), "Clause"),
        Figure("team", "Cases by the reporter's team", counts.team_rows(tally), "Team"),
        Figure("outcome", "Cases by outcome", counts.outcome_rows(tally), "Outcome"),
    ]


@dataclass(frozen=True)
class GovernanceReport:
    """Everything on the reports page, which is also everything in its CSV."""

    period: Period
    figures: list
    timings: list
    coverage: list
    trend: Trend

    @property
    def total(self):
        return sum(row.value for row in self.figures[0].rows)

    def csv_rows(self):
        """(figure, label, value) for every figure, in the page's order."""
        rows = [(figure.title, row.label, row.value) for figure in self.figures for row in figure.rows]
        for series in self.trend.series:
            title = f"Trend to {self.trend.period.end:%d %b %Y}: {series.title}"
            rows += [(title, row.label, row.value) for row in series.rows]
        for timings in self.timings:
            rows += [(timings.title, row.label, row.value) for row in timings.rows()]
        for coverage in self.coverage:
            title = (
                f"Acknowledgement of the {coverage.version.policy.title}, version {coverage.version.number}"
            )
            for team in [*coverage.teams, coverage.total]:
                rows += [
                    (title, f"{team.team}: staff", team.staff),
                    (title, f"{team.team}: acknowledged", team.acknowledged),
                ]
        return rows


def governance_report(*, user, period, now=None):
    now, limits = now or timezone.now(), Limits.current()
    tally = report_tally(user=user, period=period, now=now, limits=limits)
    return GovernanceReport(
        period=period,
        figures=governance_figures(tally, period),
        timings=[
            timings_of(tally.triage, kind="triage", limits=limits),
            timings_of(tally.decision, kind="decision", limits=limits),
        ],
        coverage=acknowledgement_coverage(viewer=user),
        trend=twelve_month_trend(user=user, period=period, tally=tally),
    )
