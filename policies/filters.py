"""The filters of the lists of policy versions and clauses (the API's), and the clause number filter that
the case and disciplinary record lists share: clause numbers are the policy's."""

import functools

import django_filters
from django import forms
from django.core.cache import caches
from django.core.validators import RegexValidator
from django.db.models import Exists, OuterRef
from drf_spectacular.utils import extend_schema_field

from core.filters import FilterSet, IdFilter, QuickSelect

from .models import Clause, PolicyVersion, clause_number_order

CLAUSE_NUMBER = r"^\d{1,3}\.\d{1,3}$"


class ClauseNumberFilter(django_filters.CharFilter):
    """A clause number as the policy writes it, such as 5.2.

    With `cited`, a function that takes the list's queryset and returns the clause numbers it cites, the
    form offers those numbers to choose from (in reading order) and refuses any other: a page shows them as
    a list, and the API refuses another number with a 400 as the page shows it as an error. The numbers
    are read from the database at most once, and only when the form is shown or a number is given.
    """

    def __init__(self, *args, cited=None, **kwargs):
        self.cited = cited
        self.per_request = cited is not None  # the person's own list's numbers (core.filters.FilterSet)
        kwargs["validators"] = [RegexValidator(CLAUSE_NUMBER, "Give a clause number such as 5.2.")]
        kwargs.setdefault("help_text", "A clause number, such as 5.2.")
        super().__init__(*args, **kwargs)
        extend_schema_field({"type": "string", "pattern": CLAUSE_NUMBER, "description": kwargs["help_text"]})(
            self
        )

    @property
    def field(self):
        if self.cited is not None and not hasattr(self, "_field"):
            queryset = self.parent.queryset

            @functools.cache
            def choices():
                numbers = _cited_once_a_minute(self.cited, queryset, self.parent.request)
                return [("", "Any clause"), *[(number, number) for number in numbers]]

            extra = {key: value for key, value in self.extra.items() if key != "validators"}
            self._field = forms.ChoiceField(label=self.label, choices=choices, widget=QuickSelect, **extra)
        return super().field


def _cited_once_a_minute(cited, queryset, request):
    """cited(queryset), kept a minute in this process for this person and list: the numbers change rarely,
    and reading them probes an index once per clause on every page that shows the filter. A clause cited
    for the first time is offered within the minute. The list is named by its address and the person: the
    queryset a list starts from depends on nothing else (compiling it to SQL for a key costs as much)."""
    if request is None:
        return cited(queryset)
    key = f"cited-clauses:{cited.__module__}.{cited.__qualname__}:{request.user.pk}:{request.path}"
    return caches["process"].get_or_set(key, lambda: cited(queryset), timeout=60)


def cited_numbers(citations):
    """The numbers of the policy's clauses that these citations (a queryset of CaseClause or RecordClause)
    name, in reading order: 5.2 before 5.10.

    Asked of each of the policy's clauses (a few dozen) in the SELECT list: there PostgreSQL probes the
    (clause, case or record) index once per clause, where DISTINCT would read every citation (millions).
    """
    cited = Exists(citations.filter(clause=OuterRef("pk")))
    clauses = Clause.objects.annotate(cited=cited).values_list("number", "cited")
    return sorted({number for number, is_cited in clauses if is_cited}, key=clause_number_order)


class PolicyVersionFilter(FilterSet):
    policy = django_filters.CharFilter(field_name="policy__slug", help_text="The policy's slug.")
    status = django_filters.ChoiceFilter(choices=PolicyVersion.Status.choices)

    class Meta:
        model = PolicyVersion
        fields = ["policy", "status"]


class ClauseFilter(FilterSet):
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
