"""Reads for the case lists. Every list starts from a queryset of cases.access, the one door, so that who
may see what is decided in the database in one place; the subject of a concern is in none of them."""

from django.db.models import Prefetch, Q
from django.utils import timezone

from . import access
from .models import (
    CLOSED_STAGES,
    GOVERNANCE_STAGES,
    TRIAGE_STAGES,
    Case,
    CaseClause,
    DisciplinaryReferral,
)

# The columns the full list may be sorted by, and what each means in the database. `stage` sorts in
# workflow order (Case.stage_order), `age` from the youngest case to the oldest. Each ends with the primary
# key, in the direction of the column before it, so that every row has one place (keyset pages) and the
# order is that of an index: reference's unique one, created_at's, case_stage_order_idx.
SORTS = {
    "reference": ["reference"],
    "stage": ["stage_order", "created_at"],
    "raised": ["created_at"],
    "age": ["-created_at"],
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


def leavers_open_cases(*, user):
    """Open cases whose handler has left, for the Head of Business and Governance to reassign; the oldest
    first. A handler whose leaving date has come counts before the sweep has carried it out."""
    if not user.has_perm("cases.manage_all_cases"):
        return Case.objects.none()
    left = Q(handler__is_active=False) | Q(handler__left_on__lte=timezone.localdate())
    return (
        access.cases_handled_by(user)
        .exclude(stage__in=CLOSED_STAGES)
        .filter(left)
        .select_related("handler", "reporter_team")
        .order_by("created_at", "pk")
    )


def sort_fields(*, sort):
    """The ORDER BY for a sort key such as "stage" or "-raised"; unknown keys give the default."""
    key = sort.removeprefix("-") if sort else ""
    if key not in SORTS:
        return sort_fields(sort=DEFAULT_SORT)
    fields = SORTS[key]
    if sort.startswith("-"):
        fields = [field.removeprefix("-") if field.startswith("-") else f"-{field}" for field in fields]
    return [*fields, "-pk" if fields[-1].startswith("-") else "pk"]


def all_cases(*, user, sort=DEFAULT_SORT):
    """Every case the person may manage, sorted, with what the list shows; none for anyone else.

    Filtered by cases.filters.CaseFilter, the filters of the page, its downloads and the API alike.
    """
    if not user.has_perm("cases.manage_all_cases"):
        return Case.objects.none()
    return (
        access.cases_handled_by(user)
        .select_related("handler", "reporter_team")
        .prefetch_related(Prefetch("clauses", queryset=_case_clauses()))
        .order_by(*sort_fields(sort=sort))
    )


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
