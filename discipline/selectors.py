"""Who may see disciplinary records, and the filtered lists: one door for the pages, exports and the API.

Only HR and the Head of Business and Governance see disciplinary records, and nobody sees a record about
themselves. Everyone else gets none.
"""

from django.db.models import Prefetch

from .models import WARNINGS, DisciplinaryRecord, RecordClause


def records_visible_to(user):
    if not user.is_authenticated or not user.is_active:
        return DisciplinaryRecord.objects.none()
    if not user.has_perm("discipline.view_disciplinary_records"):
        return DisciplinaryRecord.objects.none()
    return DisciplinaryRecord.objects.exclude(employee=user)


def own_record_references(user):
    """The references of the person's own records, which nobody reads of, even in the audit log."""
    return DisciplinaryRecord.objects.filter(employee=user).values("reference")


def record_for_user(*, user, reference):
    """One record, or None if it does not exist or the person may not see it."""
    return records_visible_to(user).filter(reference=reference).select_related(*_RELATED).first()


_RELATED = ("employee", "employee_team", "opened_by", "investigator", "heard_by", "appeal_heard_by", "case")

# Keys `filter_records` understands, for forms, exports and the API alike.
WARNING_STATES = ("live", "expired")


def filter_records(*, user, filters=None, today=None):
    """The records this person may see, filtered, newest first, with what a list or export shows.

    `filters` may hold: opened_from and opened_to (dates, inclusive), outcome (the outcome in force),
    team (a Team or its pk), employment_type, clause (a clause number such as "5.2"), warning ("live" or
    "expired"). Empty values are ignored.
    """
    filters = {key: value for key, value in (filters or {}).items() if value not in (None, "")}
    records = records_visible_to(user)
    if "opened_from" in filters:
        records = records.filter(opened_on__gte=filters["opened_from"])
    if "opened_to" in filters:
        records = records.filter(opened_on__lte=filters["opened_to"])
    if "outcome" in filters:
        records = records.filter(outcome_in_force=filters["outcome"])
    if "team" in filters:
        records = records.filter(employee_team=filters["team"])
    if "employment_type" in filters:
        records = records.filter(employment_type=filters["employment_type"])
    if "clause" in filters:
        records = records.filter(
            pk__in=RecordClause.objects.filter(number=filters["clause"]).values("record_id")
        )
    if filters.get("warning") == "live":
        records = records.live_warnings(today)
    elif filters.get("warning") == "expired":
        records = records.expired_warnings(today)
    clauses = RecordClause.objects.only("id", "record_id", "number").order_by(
        "clause__section__number", "clause__position", "pk"
    )
    return (
        records.select_related(*_RELATED)
        .prefetch_related(Prefetch("clauses", queryset=clauses))
        .order_by("-opened_on", "-pk")
    )


__all__ = [
    "WARNINGS",
    "WARNING_STATES",
    "filter_records",
    "record_for_user",
    "records_visible_to",
]
