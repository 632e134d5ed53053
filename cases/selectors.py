"""Reads for the case lists. Every list starts from a queryset of cases.access, the one door, so that who
may see what is decided in the database in one place; the subject of a concern is in none of them."""

import datetime

from django.db import models
from django.db.models import Prefetch, Value, When
from django.utils import timezone

from policies.models import clause_number_order

from . import access
from .models import GOVERNANCE_STAGES, TRIAGE_STAGES, Case, CaseClause, DisciplinaryReferral, Stage

# The columns the full list may be sorted by, and what each means in the database. `stage` sorts in
# workflow order, `age` from the youngest case to the oldest.
SORTS = {
    "reference": ["reference"],
    "stage": ["stage_order", "created_at"],
    "raised": ["created_at", "reference"],
    "age": ["-created_at", "-reference"],
}
DEFAULT_SORT = "-raised"
AGE_CHOICES = (7, 30, 90)


def _case_clauses(*fields):
    # Only what a list shows of each clause, in the policy's order, without joining the case again.
    clauses = CaseClause.objects.only("id", "case_id", "number", *fields)
    return clauses.order_by("clause__section__number", "clause__position", "pk")


def my_reports(*, user):
    """The concerns this person raised, newest first. Nothing about who handles them."""
    return (
        access.cases_reported_by(user)
        .only("id", "reference", "stage", "created_at")
        .order_by("-created_at", "-pk")
    )


def triage_queue(*, user):
    """Cases assigned to this person that are waiting for triage, the longest waiting first.

    Filtered on handler as well: for the Head of Business and Governance cases_handled_by is every case,
    but their triage queue is only the cases routed to them.
    """
    return (
        access.cases_handled_by(user)
        .filter(stage__in=TRIAGE_STAGES, handler=user)
        .select_related("reporter_team")
        .order_by("created_at", "pk")
    )


def governance_queue(*, user):
    """Referred cases and those under review or in action, for the Head of Business and Governance."""
    if not user.has_perm("cases.manage_all_cases"):
        return Case.objects.none()
    return (
        access.cases_handled_by(user)
        .filter(stage__in=GOVERNANCE_STAGES)
        .select_related("handler", "reporter_team")
        .order_by("stage_changed_at", "pk")
    )


def _stage_order():
    return models.Case(
        *[When(stage=stage, then=Value(position)) for position, stage in enumerate(Stage.values)],
        default=Value(len(Stage.values)),
        output_field=models.IntegerField(),
    )


def sort_fields(*, sort):
    """The ORDER BY for a sort key such as "stage" or "-raised"; unknown keys give the default."""
    key = sort.removeprefix("-") if sort else ""
    if key not in SORTS:
        return sort_fields(sort=DEFAULT_SORT)
    fields = SORTS[key]
    if sort.startswith("-"):
        fields = [field.removeprefix("-") if field.startswith("-") else f"-{field}" for field in fields]
    return [*fields, "pk"]


def all_cases(*, user, filters=None, sort=DEFAULT_SORT, now=None):
    """Every case the person may manage, filtered and sorted; none for anyone else.

    `filters` may hold: stage, platform, clause (a clause number such as "5.2"), category (who the concern
    is about), team (the reporter's team), age (older than this many days), reference (part of one).
    Empty values are ignored.
    """
    if not user.has_perm("cases.manage_all_cases"):
        return Case.objects.none()
    filters = {key: value for key, value in (filters or {}).items() if value not in (None, "")}
    cases = access.cases_handled_by(user)
    if "stage" in filters:
        cases = cases.filter(stage=filters["stage"])
    if "platform" in filters:
        cases = cases.filter(platform=filters["platform"])
    if "clause" in filters:
        cases = cases.filter(pk__in=CaseClause.objects.filter(number=filters["clause"]).values("case_id"))
    if "category" in filters:
        cases = cases.filter(subject_kind=filters["category"])
    if "team" in filters:
        cases = cases.filter(reporter_team=filters["team"])
    if "age" in filters:
        now = now or timezone.now()
        cases = cases.filter(created_at__lte=now - datetime.timedelta(days=int(filters["age"])))
    if "reference" in filters:
        cases = cases.filter(reference__icontains=filters["reference"].strip())
    return (
        cases.select_related("handler", "reporter_team")
        .prefetch_related(Prefetch("clauses", queryset=_case_clauses()))
        .annotate(stage_order=_stage_order())
        .order_by(*sort_fields(sort=sort))
    )


def clause_numbers_in_use(*, user):
    """The clause numbers of the cases this person may manage, in reading order (5.2 before 5.10)."""
    if not user.has_perm("cases.manage_all_cases"):
        return []
    clauses = CaseClause.objects.filter(case__in=access.cases_handled_by(user)).order_by()
    numbers = set(clauses.values_list("number", flat=True).distinct())
    return sorted(numbers, key=clause_number_order)


def referrals_to_hr(*, user):
    """Disciplinary referrals made to HR, newest first, for those who may see them.

    Nobody sees a referral about themselves, or one on a case they are the subject of.
    """
    if not user.is_active or not user.has_perm("cases.view_referrals_to_hr"):
        return DisciplinaryReferral.objects.none()
    return (
        DisciplinaryReferral.objects.exclude(person=user)
        .exclude(case__subject_person=user)
        .select_related("case", "person", "recorded_by", "disciplinary_record")
        .prefetch_related(Prefetch("clauses_breached", queryset=_case_clauses("text")))
        .order_by("-recorded_at", "-pk")
    )


def referral_for_user(*, user, pk):
    """One referral to HR, or None if it does not exist or the person may not see it."""
    return referrals_to_hr(user=user).filter(pk=pk).first()
