"""The trend of the main figures over twelve months: of the cases raised each month, how many there are,
how many are closed now and how many found a breach.

Counted by the month a case was raised, like every figure of the page, so that the stored monthly figures
(reports.models.MonthFigure) give them: the page's own tally when its period holds the twelve months, else
a count of those months alone (tally.grouped_counts).
"""

from collections import Counter
from dataclasses import dataclass

from cases.filters import BREACH, CLOSED
from cases.models import BREACH_OUTCOMES

from .counts import MONTH, OUTCOME
from .door import Period, Row
from .tally import grouped_counts

# (key, title, which outcomes count, the outcome filter of All cases that lists them).
SERIES = [
    ("raised", "Concerns raised", None, None),
    ("closed", "Of those, closed now", lambda outcome: outcome != "", CLOSED),
    ("breach", "Of those, a breach found", lambda outcome: outcome in BREACH_OUTCOMES, BREACH),
]


@dataclass(frozen=True)
class Series:
    key: str
    title: str
    rows: list  # A Row per month.


@dataclass(frozen=True)
class Trend:
    period: Period
    series: list

    @property
    def months(self):
        return [row.label for row in self.series[0].rows]


def trend_of(grouped, period):
    """The Trend of the months of `period` from grouped counts {(month, stage, outcome, platform): n}."""
    series = []
    for key, title, counts_outcome, outcome_filter in SERIES:
        by_month = Counter()
        for group, n in grouped.items():
            if counts_outcome is None or counts_outcome(group[OUTCOME]):
                by_month[group[MONTH]] += n
        rows = []
        for month in period.months():
            filters = period.month_filters(month)
            if outcome_filter:
                filters["outcome"] = outcome_filter
            rows.append(Row(f"{month:%b %Y}", by_month.get(month, 0), filters))
        series.append(Series(key, title, rows))
    return Trend(period, series)


def twelve_month_trend(*, user, period, tally):
    """The trend of the twelve months to the end of `period` (this month and the eleven before it), from
    the page's `tally` of `period` when it holds them."""
    months = Period.last_twelve_months(period.end)
    if period.start <= months.start:
        grouped = tally.grouped
    else:
        grouped = grouped_counts(user=user, period=months)
    return trend_of(grouped, months)
