"""The filters of the case lists, one FilterSet for the governance head's All cases page, its downloads and
the API's list of cases: the same parameters, the same values, the same refusals."""

import datetime

import django_filters
from django import forms
from django.db.models import Count, Exists, OuterRef, Value
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field

from core.filters import (
    DATE_INPUT,
    ChosenIdFilter,
    FilterSet,
    QuickSelect,
    ValuesChoiceFilter,
    date_range_form,
)
from people.models import Team
from policies.filters import ClauseNumberFilter, cited_numbers
from policies.models import Policy
from reminders.models import Limits

from . import search, selectors
from .models import BREACH_OUTCOMES, CLOSED_STAGES, Case, CaseClause, Outcome, Platform, Stage, SubjectKind


def _cited(cases):
    return cited_numbers(CaseClause.objects.filter(case__in=cases.order_by().values("pk")))


# Outcomes one by one, and the groups the reports count: closed with any outcome, a breach found, not closed.
CLOSED, BREACH, NOT_CLOSED = "closed", "breach", "not_closed"
# What a case may be waiting for, as the reports' timings count it, and waiting past its limit.
TRIAGE, DECISION = "triage", "decision"
PAST_LIMIT = "_past_limit"
# The value of the repeat_subject filter.
REPEAT = "yes"
OUTCOME_CHOICES = [
    (CLOSED, "Closed, any outcome"),
    (BREACH, "Closed, a breach found"),
    *Outcome.choices,
    (NOT_CLOSED, "Not closed"),
]
# A case has an outcome exactly when it is at a closed stage (Case's closed_cases_have_an_outcome), so the
# groups filter on the stage's place, which case_stage_order_idx serves.
_CLOSED_ORDERS = [Stage.values.index(stage) for stage in CLOSED_STAGES]


def repeat_subjects(cases):
    """The colleagues named as the subject of more than one of `cases`, with how many (`n`): grouped in
    the database. The clause analytics count them, and the list's repeat_subject filter lists their cases."""
    named = cases.exclude(subject_person=None).order_by().values("subject_person")
    return named.annotate(n=Count("pk")).filter(n__gt=1)


def day_start(day):
    """The local midnight that starts `day`: days as ranges of a moment, which an index serves."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# Repeat subjects are grouped over the list the other filters make: bounded to one clause and at most a year
# (as the clause analytics link them), never all cases (a million rows grouped for one page).
REPEAT_LONGEST_PERIOD = datetime.timedelta(days=366)


# When a case was raised, as a range of created_at, which its index serves (days from local midnight to
# midnight, not a date of it): the moment each filter's value stands for, and the lookup.
_RAISED = {
    "raised_from": (day_start, "created_at__gte"),
    "raised_to": (lambda day: day_start(day + datetime.timedelta(days=1)), "created_at__lt"),
    "age": (lambda days: timezone.now() - datetime.timedelta(days=days), "created_at__lte"),
}


class _CaseFilterForm(date_range_form("raised_from", "raised_to")):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("repeat_subject"):
            start, end = cleaned.get("raised_from"), cleaned.get("raised_to")
            if not (cleaned.get("clause") and start and end and end - start <= REPEAT_LONGEST_PERIOD):
                self.add_error(
                    "repeat_subject",
                    "Repeat subjects are found within one clause and a period of at most a year: choose a "
                    "clause, and raised from and to dates.",
                )
        return cleaned


class CaseFilter(FilterSet):
    """Filters for a list of cases; each narrows the queryset it is given (a list from cases.selectors).

    `sort` orders the list by a column, as the All cases page's headings do ("-" for the reverse); without
    it the list keeps its own order (newest first). It is accepted by the API too, so that the page and the
    API take the same parameters.
    """

    q = django_filters.CharFilter(
        label="Search",
        min_length=search.MIN_LENGTH,
        max_length=100,
        method="filter_text",
        help_text="Words from what was seen or the links, part of a reference, a person's name or an "
        "evidence file name; at least three characters.",
    )
    # At least three characters: the trigram index (cases migration 0005) finds shorter parts only by
    # reading every reference, and one or two characters of SMP-2026-0042 narrow nothing.
    reference = django_filters.CharFilter(
        label="Reference contains",
        min_length=3,
        max_length=20,
        method="filter_reference",
        help_text="Part of a reference, at least three characters.",
    )
    stage = django_filters.ChoiceFilter(
        choices=Stage.choices,
        label="Stage",
        empty_label="Any stage",
        method="filter_stage",
        widget=QuickSelect,
    )
    platform = django_filters.ChoiceFilter(
        choices=Platform.choices, label="Platform", empty_label="Any platform", widget=QuickSelect
    )
    policy = extend_schema_field({"type": "string", "description": "The policy's slug."})(
        ValuesChoiceFilter(
            queryset=Policy.objects.order_by("title"),
            to_field_name="slug",
            label_field="title",
            field_name="policy_version__policy",
            label="Policy",
            empty_label="Any policy",
            widget=QuickSelect,
            help_text="The policy the concern was raised under, by its slug: with a clause, that policy's "
            "clause.",
        )
    )
    clause = ClauseNumberFilter(
        label="Clause",
        cited=_cited,
        method="filter_clause",
        help_text="Cases that may breach this clause, e.g. 5.2: one that a case you may see cites.",
    )
    subject_kind = django_filters.ChoiceFilter(
        choices=SubjectKind.choices,
        label="About",
        empty_label="Anyone",
        widget=QuickSelect,
        help_text="Who the concern is about.",
    )
    outcome = django_filters.ChoiceFilter(
        choices=OUTCOME_CHOICES,
        label="Outcome",
        empty_label="Any outcome",
        method="filter_outcome",
        widget=QuickSelect,
        help_text="How the case was closed: one outcome, any (closed), a breach found "
        "(resolved informally, content removed, a disciplinary or police referral), or not closed.",
    )
    team = ChosenIdFilter(
        field_name="reporter_team",
        queryset=Team.objects.all(),
        label_field="name",
        widget=QuickSelect,
        label="Reporter's team",
        empty_label="All teams",
        null_label="No team recorded",
        help_text="The id of the reporter's team, or 'none' for the cases with no team recorded (the "
        "reporter had none, or their team has since been deleted).",
    )
    age = extend_schema_field(
        {
            "type": "integer",
            "enum": list(selectors.AGE_CHOICES),
            "description": "Raised more than this many days ago.",
        }
    )(
        django_filters.TypedChoiceFilter(
            choices=[
                ("", "Any time"),
                *[(days, f"More than {days} days ago") for days in selectors.AGE_CHOICES],
            ],
            coerce=int,
            empty_value=None,
            label="Raised",
            method="filter_raised",
            widget=QuickSelect,
            help_text="Raised more than this many days ago.",
        )
    )
    raised_from = django_filters.DateFilter(
        method="filter_raised",
        label="Raised from",
        widget=DATE_INPUT,
        help_text="Raised on or after this day.",
    )
    raised_to = django_filters.DateFilter(
        method="filter_raised",
        label="Raised to",
        widget=DATE_INPUT,
        help_text="Raised on or before this day.",
    )
    closed_from = django_filters.DateFilter(
        method="filter_closed_from",
        label="Closed from",
        widget=DATE_INPUT,
        help_text="Closed (at triage or after review) on or after this day, and not reopened since.",
    )
    waiting = django_filters.ChoiceFilter(
        choices=[
            (TRIAGE, "Triage not done yet"),
            (TRIAGE + PAST_LIMIT, "Triage not done yet, past the limit"),
            (DECISION, "A decision not made yet"),
            (DECISION + PAST_LIMIT, "A decision not made yet, past the limit"),
        ],
        label="Waiting for",
        empty_label="Anything or nothing",
        method="filter_waiting",
        widget=QuickSelect,
        help_text="Cases whose triage is not done yet (never closed at triage nor referred), or referred "
        "cases whose decision is not made yet (action not started, not closed), as the reports count them; "
        "with '_past_limit', only those already past the limit in working days.",
    )
    time_to_triage = django_filters.ChoiceFilter(
        choices=[
            (selectors.WITHIN_REMINDER, "Within the reminder"),
            (selectors.AFTER_REMINDER, "After the reminder, within the limit"),
            (selectors.WITHIN_LIMIT, "Within the limit"),
            (selectors.OVER_LIMIT, "Over the limit (escalated)"),
        ],
        label="Time to triage",
        empty_label="Any, or not triaged yet",
        method="filter_taken",
        widget=QuickSelect,
        help_text="Cases whose first triage took the working days of this span, as the reports count "
        "them against the limits now: within the handler's reminder, after it and within the escalation "
        "limit, within the limit, or over it.",
    )
    time_to_decision = django_filters.ChoiceFilter(
        choices=[
            (selectors.WITHIN_REMINDER, "Within the reminder"),
            (selectors.AFTER_REMINDER, "After the reminder, within the limit"),
            (selectors.WITHIN_LIMIT, "Within the limit"),
            (selectors.OVER_LIMIT, "Over the limit"),
        ],
        label="Time to decision",
        empty_label="Any, or not decided yet",
        method="filter_taken",
        widget=QuickSelect,
        help_text="Referred cases whose first decision took the working days of this span, as the reports "
        "count them against the limit now (the governance head's reminder is the limit, so nothing is "
        "after the reminder and within it).",
    )
    # After every filter that narrows the list (filters apply in this order): "more than one of these".
    repeat_subject = django_filters.ChoiceFilter(
        choices=[(REPEAT, "The subject of more than one of these cases")],
        label="About someone",
        empty_label="Anyone or no one named",
        method="filter_repeat_subject",
        widget=QuickSelect,
        help_text="Only the cases about a colleague who is the subject of more than one case of the list "
        "as the other filters make it (the repeat subjects of the clause analytics).",
    )
    sort = django_filters.ChoiceFilter(
        choices=[(f"{sign}{key}", f"{sign}{key}") for key in selectors.SORTS for sign in ("", "-")],
        method="sort_by",
        widget=forms.HiddenInput,
        help_text="The column to sort by: reference, stage (in workflow order), raised, age or due (the "
        "soonest deadline first; cases with none, the closed ones, last either way); "
        "with '-' before it for the reverse order.",
    )

    class Meta:
        model = Case
        fields = []
        form = _CaseFilterForm

    # What the search found, for the page to say why each case matched (cases.search).
    findings = None

    def filter_text(self, queryset, name, value):
        cases, self.findings = search.search_cases(queryset, value.strip())
        return cases

    def filter_reference(self, queryset, name, value):
        # The part as a value the database wraps in % (and escapes), not the ORM: the SQL is then the same
        # for every part, so that All cases' compiled pages hold it (compiled_filters). The trigram index
        # still serves it: PostgreSQL works the pattern out before it plans.
        return queryset.filter(reference__icontains=Value(value))

    def filter_stage(self, queryset, name, value):
        # By its place in the workflow, the same rule as stage, so that case_stage_order_idx serves it.
        return queryset.filter(stage_order=Stage.values.index(value))

    def filter_outcome(self, queryset, name, value):
        if value == CLOSED:
            return queryset.filter(stage_order__in=_CLOSED_ORDERS)
        if value == NOT_CLOSED:
            return queryset.exclude(stage_order__in=_CLOSED_ORDERS)
        closed = queryset.filter(stage_order__in=_CLOSED_ORDERS)
        return closed.filter(outcome__in=BREACH_OUTCOMES if value == BREACH else [value])

    def filter_clause(self, queryset, name, value):
        # EXISTS: the database probes each listed case's clauses by index, or finds the clause's cases first.
        return queryset.filter(Exists(CaseClause.objects.filter(case=OuterRef("pk"), number=value)))

    def filter_raised(self, queryset, name, value):
        moment, lookup = _RAISED[name]
        return queryset.filter(**{lookup: moment(value)})

    def filter_closed_from(self, queryset, name, value):
        return queryset.closed_since(day_start(value))

    def filter_waiting(self, queryset, name, value):
        waiting = selectors.triage_not_done if value.startswith(TRIAGE) else selectors.decision_not_made
        return waiting(queryset, past_limit_at=timezone.now() if value.endswith(PAST_LIMIT) else None)

    def filter_taken(self, queryset, name, value):
        return selectors.taken_within(queryset, timing=_TIMINGS[name], span=value)

    def filter_repeat_subject(self, queryset, name, value):
        return queryset.filter(subject_person__in=repeat_subjects(queryset).values("subject_person"))

    def sort_by(self, queryset, name, value):
        return selectors.sorted_by(queryset, sort=value)


# All cases' compiled pages (cases.selectors.list_pages) hold the SQL of these filters and
# of when a case was raised (_RAISED, the moment an argument): the value of each of the first an argument of
# the query (a part of a reference too: filter_reference), one of the choices of the others written into it.
# The time taken to triage or decide, against limits that may change: its bounds in working days, found from
# the limits on each request, are arguments too (the shape says which of the two a span has).
# The rest (a search, a policy, repeat subjects) are built by the ORM on every request.
_COMPILED_ARGUMENTS = {"team": Team, "clause": str, "platform": str, "subject_kind": str, "reference": str}
# The time-taken filters' names, and the timing (selectors.timing_span) each filters by.
_TIMINGS = {"time_to_triage": "triage", "time_to_decision": "decision"}
_COMPILED_CHOICES = {
    "stage": set(Stage.values),
    "outcome": {value for value, _label in OUTCOME_CHOICES},
    "waiting": {TRIAGE, DECISION},
}


def compiled_filters(given):
    """The given filters (core.filters.given_filters of a CaseFilter) as the (shape, arguments) of a compiled
    page of All cases, the sort left out; None if any of them is not one a compiled page holds."""
    shape, arguments = [], []
    limits = None
    for name, value in given.items():
        if name == "sort":
            continue
        if name in _TIMINGS:
            limits = limits or Limits.current()
            bounds = selectors.timing_span(_TIMINGS[name], value, limits)
            shape.append((name, tuple(bound is not None for bound in bounds)))
            arguments += [bound for bound in bounds if bound is not None]
        elif name in _RAISED:
            shape.append((name, None))
            arguments.append(_RAISED[name][0](value))
        elif value in _COMPILED_CHOICES.get(name, ()):
            shape.append((name, value))
        elif isinstance(value, _COMPILED_ARGUMENTS.get(name, ())):
            shape.append((name, None))
            arguments.append(value.pk if isinstance(value, Team) else value)
        else:
            return None
    return tuple(shape), arguments


def narrow(cases, shape, arguments):
    """`cases` filtered by CaseFilter's own filters, in their order, as compiled_filters gave them."""
    filters = CaseFilter(queryset=cases).filters
    given = iter(arguments)
    for name, choice in shape:
        if name in _RAISED:  # the moment, given
            cases = cases.filter(**{_RAISED[name][1]: next(given)})
        elif name in _TIMINGS:  # which bounds, given
            # As values: Django refuses a plain number beyond the column's range before it reaches the SQL
            # (IntegerFieldOverflow), and a compiled query's stand-in for an argument is beyond it.
            more_than, up_to = (Value(next(given)) if bounded else None for bounded in choice)
            cases = selectors.taken_between(cases, timing=_TIMINGS[name], more_than=more_than, up_to=up_to)
        else:
            cases = filters[name].filter(cases, next(given) if choice is None else choice)
    return cases
