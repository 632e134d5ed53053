"""Who may read the reports, the period they count, and the one door every figure starts from.

Every figure starts from `reportable_cases`, which is cases.access.cases_handled_by for those who hold
cases.view_reports and nothing for anyone else: the one door applies, so a case the reader is the
subject of is in no figure. A case is counted in a period when it was *raised* in it (its `created_at`,
in local time).
"""

import datetime
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from cases import access
from cases.models import Case

NO_TEAM = "No team recorded"
NO_CLAUSE = "No clause recorded"


# --- Periods and rows ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """The days from `start` to `end`, both included."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def last_twelve_months(cls, today):
        """This month and the eleven before it, to today: twelve whole bars on the month chart."""
        return cls(start=today.replace(day=1) - relativedelta(months=11), end=today)

    def bounds(self):
        """The first and the first-after moments of the period, in local time, for index-friendly filters."""
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min)
        end = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min)
        return timezone.make_aware(start, zone), timezone.make_aware(end, zone)

    def months(self):
        month, last = self.start.replace(day=1), self.end.replace(day=1)
        months = []
        while month <= last:
            months.append(month)
            month += relativedelta(months=1)
        return months

    def as_filters(self):
        return {"raised_from": self.start.isoformat(), "raised_to": self.end.isoformat()}

    def month_filters(self, month):
        """The filters of the days of `month` (its first day) within the period."""
        last = month + relativedelta(months=1) - datetime.timedelta(days=1)
        return Period(max(month, self.start), min(last, self.end)).as_filters()


@dataclass(frozen=True)
class Row:
    label: str
    value: int
    # The All cases filters (cases.filters.CaseFilter) that list the cases behind the value, with the
    # period's; None where no filter does (acknowledgements, cases whose team is gone). Not part
    # of the figure: two rows with the same label and value are equal.
    filters: dict | None = field(default=None, compare=False)


# --- The door ------------------------------------------------------------------------------------------


def may_see_reports(user):
    return user.is_authenticated and user.is_active and user.has_perm("cases.view_reports")


def reads_every_case(user):
    """Whether the reports count every case for this person (less those about them): the one door gives
    the governance head every case, anyone else only those they handle."""
    return may_see_reports(user) and user.has_perm("cases.manage_all_cases")


def reportable_cases(*, user):
    """Every case the reports may count for this person: through the one door, and only with the right."""
    if not may_see_reports(user):
        return Case.objects.none()
    return access.cases_handled_by(user)


def cases_raised(*, user, period):
    start, end = period.bounds()
    return reportable_cases(user=user).filter(created_at__gte=start, created_at__lt=end)
