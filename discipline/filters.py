"""The filters of the disciplinary record list: one FilterSet for HR's page, its CSV and Excel downloads and
the API's list of records, with the same parameters, values and refusals."""

import django_filters
from drf_spectacular.utils import extend_schema_field

from core.filters import (
    DATE_INPUT,
    ChosenIdFilter,
    FilterSet,
    QuickSelect,
    ValuesChoiceFilter,
    date_range_form,
    given_filters,
)
from people.models import Team, User
from policies.filters import ClauseNumberFilter, cited_numbers
from policies.models import Policy

from .models import DisciplinaryRecord, Outcome, RecordClause
from .selectors import FINDING, WARNING_STATES, filter_records

_WARNING_LABELS = {"live": "Live warnings", "expired": "Expired warnings"}


def _cited(records):
    return cited_numbers(RecordClause.objects.filter(record__in=records.order_by().values("pk")))


class RecordFilter(FilterSet):
    """The filters of discipline.selectors.filter_records, the one door for records, which applies them to
    the records the person may see (the queryset given is only where the clause numbers offered come from).

    `today` (by default the local date) is the day a warning is live or expired on.
    """

    opened_from = django_filters.DateFilter(
        label="Opened from", widget=DATE_INPUT, help_text="Opened on or after this day."
    )
    opened_to = django_filters.DateFilter(
        label="Opened to", widget=DATE_INPUT, help_text="Opened on or before this day."
    )
    decided_from = django_filters.DateFilter(
        label="Decided from", widget=DATE_INPUT, help_text="Decided on or after this day."
    )
    outcome = django_filters.ChoiceFilter(
        choices=[(FINDING, "Some action (a breach found)"), *Outcome.choices],
        label="Outcome in force",
        empty_label="Any outcome",
        help_text="The outcome in force, or 'finding' for any action (informal action, a warning or "
        "dismissal).",
    )
    team = ChosenIdFilter(
        queryset=Team.objects.all(),
        label_field="name",
        widget=QuickSelect,
        label="Team",
        empty_label="All teams",
        help_text="The id of the employee's team when the record was opened.",
    )
    employment_type = django_filters.ChoiceFilter(
        choices=User.EmploymentType.choices, label="Employment type", empty_label="Any type"
    )
    policy = extend_schema_field({"type": "string", "description": "The policy's slug."})(
        ValuesChoiceFilter(
            queryset=Policy.objects.order_by("title"),
            to_field_name="slug",
            label_field="title",
            label="Policy",
            empty_label="Any policy",
            widget=QuickSelect,
            help_text="Records citing a clause of this policy, by its slug: with a clause, that policy's "
            "clause.",
        )
    )
    clause = ClauseNumberFilter(
        label="Clause",
        cited=_cited,
        help_text="Records alleging a breach of this clause, e.g. 5.2: one that a record you may see cites.",
    )
    warning = django_filters.ChoiceFilter(
        choices=[(state, _WARNING_LABELS[state]) for state in WARNING_STATES],
        label="Warning",
        empty_label="Any",
        help_text="live: a written warning still in force; expired: one that has lapsed.",
    )

    class Meta:
        model = DisciplinaryRecord
        fields = []
        form = date_range_form("opened_from", "opened_to")

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            self._qs = filter_records(user=self.request.user, filters=given_filters(self), today=self.today)
        return self._qs
