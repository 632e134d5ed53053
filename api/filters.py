"""The filters of the API's lists. A value that does not fit is refused with a 400 that names the filter,
never ignored, so that a client does not take an unfiltered list for a filtered one."""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field

from cases.models import Case, CaseClause, Platform, Stage, SubjectKind
from discipline.models import DisciplinaryRecord, Outcome
from discipline.selectors import WARNING_STATES, filter_records
from people.models import User
from policies.models import Clause, PolicyVersion

# The largest key the database holds: anything above is refused rather than sent to it.
MAX_ID = 2**63 - 1
CLAUSE_NUMBER = r"^\d{1,3}\.\d{1,3}$"


class IdFilter(django_filters.NumberFilter):
    """An object's id: a whole number a database key can hold."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.update(min_value=1, max_value=MAX_ID)
        super().__init__(*args, **kwargs)
        # The schema says what the form field checks, so generated clients never send what it refuses.
        extend_schema_field(
            {"type": "integer", "minimum": 1, "maximum": MAX_ID, "description": kwargs.get("help_text", "")}
        )(self)


class ClauseNumberFilter(django_filters.CharFilter):
    """A clause number as the policy writes it, such as 5.2."""

    def __init__(self, *args, **kwargs):
        kwargs["validators"] = [RegexValidator(CLAUSE_NUMBER, "Give a clause number such as 5.2.")]
        kwargs.setdefault("help_text", "A clause number, such as 5.2.")
        super().__init__(*args, **kwargs)
        extend_schema_field({"type": "string", "pattern": CLAUSE_NUMBER, "description": kwargs["help_text"]})(
            self
        )


class PolicyVersionFilter(django_filters.FilterSet):
    policy = django_filters.CharFilter(field_name="policy__slug", help_text="The policy's slug.")
    status = django_filters.ChoiceFilter(choices=PolicyVersion.Status.choices)

    class Meta:
        model = PolicyVersion
        fields = ["policy", "status"]


class ClauseFilter(django_filters.FilterSet):
    policy = django_filters.CharFilter(
        field_name="section__version__policy__slug", help_text="The policy's slug."
    )
    version = IdFilter(field_name="section__version_id", help_text="The version's id.")
    status = django_filters.ChoiceFilter(
        field_name="section__version__status",
        choices=PolicyVersion.Status.choices,
        help_text="The version's status: approved for the clauses in force.",
    )
    number = ClauseNumberFilter(field_name="number")

    class Meta:
        model = Clause
        fields = ["policy", "version", "status", "number"]


class CaseFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=Stage.choices)
    platform = django_filters.ChoiceFilter(choices=Platform.choices)
    subject_kind = django_filters.ChoiceFilter(
        choices=SubjectKind.choices, help_text="Who the concern is about."
    )
    clause = ClauseNumberFilter(
        method="filter_clause", help_text="Cases that may breach this clause, e.g. 5.2."
    )
    raised_from = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", help_text="Raised on or after this day."
    )
    raised_to = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", help_text="Raised on or before this day."
    )

    class Meta:
        model = Case
        fields = ["stage", "platform", "subject_kind", "clause", "raised_from", "raised_to"]

    def filter_clause(self, queryset, name, value):
        return queryset.filter(pk__in=CaseClause.objects.filter(number=value).values("case_id"))


class DisciplinaryRecordFilter(django_filters.FilterSet):
    """The filters of discipline.selectors.filter_records, the one door for records, which applies them."""

    opened_from = django_filters.DateFilter(help_text="Opened on or after this day.")
    opened_to = django_filters.DateFilter(help_text="Opened on or before this day.")
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices, help_text="The outcome in force.")
    team = IdFilter(help_text="The id of the employee's team when the record was opened.")
    employment_type = django_filters.ChoiceFilter(choices=User.EmploymentType.choices)
    clause = ClauseNumberFilter(help_text="Records alleging a breach of this clause, e.g. 5.2.")
    warning = django_filters.ChoiceFilter(
        choices=[(state, state.capitalize()) for state in WARNING_STATES],
        help_text="live: a written warning still in force; expired: one that has lapsed.",
    )

    class Meta:
        model = DisciplinaryRecord
        fields = ["opened_from", "opened_to", "outcome", "team", "employment_type", "clause", "warning"]

    def filter_queryset(self, queryset):
        return filter_records(user=self.request.user, filters=self.form.cleaned_data)
