"""Who may see disciplinary records, and the filtered lists: one door for the pages, exports and the API.

Only HR and the Head of Business and Governance see disciplinary records, and nobody sees a record about
themselves. Everyone else gets none.
"""

import datetime
import functools

from django.db.models import F, Prefetch
from django.urls import reverse
from django.utils import timezone

from core.compiled import CompiledQuery
from core.pagination import CompiledPages
from core.text import day
from people.models import User
from policies.selectors import cited_clauses
from reminders.due import QueueQueries, WorkItem

from .models import (
    FINDINGS,
    HEARING_OR_APPEAL_WAITING,
    WARNINGS,
    DisciplinaryRecord,
    RecordClause,
    RecordEvent,
)


def records_visible_to(user):
    if not _sees_records(user):
        return DisciplinaryRecord.objects.none()
    return _records_not_about(user.pk)


def _sees_records(user):
    return user.is_authenticated and user.is_active and user.has_perm("discipline.view_disciplinary_records")


def _records_not_about(user_id):
    return DisciplinaryRecord.objects.exclude(employee=user_id)


def own_record_references(user):
    """The references of the person's own records, which nobody reads of, even in the audit log."""
    return DisciplinaryRecord.objects.filter(employee=user).values("reference")


def record_for_user(*, user, reference):
    """One record, or None if it does not exist or the person may not see it."""
    if not _sees_records(user):
        return None
    record = next(iter(_RECORD.objects(user.pk, reference)), None)
    return _with_people_on_record(record) if record else None


# The clauses of a record, as they read when captured: on every record page.
_cited = cited_clauses(RecordClause, "record")


def record_clauses(record):
    return _cited(record.pk)


def record_events(record):
    """The record's timeline, oldest first, with who recorded each step: by a query compiled once per
    process (core/compiled.py), on every view of a record."""
    return _EVENTS.objects(record.pk)


_EVENTS = CompiledQuery(
    lambda record_id: RecordEvent.objects.filter(record=record_id).select_related("actor")
)


def prior_live_warnings(record, today=None):
    """The employee's warnings still live today from their other records, to weigh beside an outcome
    (ACAS: a live warning may be taken into account). One query."""
    return list(
        DisciplinaryRecord.objects.live_warnings(today)
        .filter(employee_id=record.employee_id)
        .exclude(pk=record.pk)
        .only("reference", "outcome_in_force", "decided_on", "warning_expires_on", "allegation")
        .order_by("-warning_expires_on", "-pk")
    )


# The record's employee, their team and its case are joined to it; the people who acted on it are read in a
# second query: joined too (eight tables), PostgreSQL spent 9 ms planning a query it ran in 0.3 ms.
_JOINED = ("employee", "employee_team", "case")
_PEOPLE_ON_RECORD = ("opened_by", "investigator", "heard_by", "appeal_heard_by")

# On every record page: compiled once (core/compiled.py). The reference is unique: no ordering, which
# first() would add.
_RECORD = CompiledQuery(
    lambda user_id, reference: (
        _records_not_about(user_id).filter(reference=reference).select_related(*_JOINED).order_by()[:1]
    )
)
_PEOPLE = CompiledQuery(lambda *ids: User.objects.filter(pk__in=ids))


def _with_people_on_record(record):
    ids = [getattr(record, f"{name}_id") for name in _PEOPLE_ON_RECORD]
    people = {person.pk: person for person in _PEOPLE.objects(*[pk or 0 for pk in ids])}  # 0: nobody
    for name, pk in zip(_PEOPLE_ON_RECORD, ids, strict=True):
        setattr(record, name, people.get(pk))
    return record


# Keys `filter_records` understands, for forms, exports and the API alike.
WARNING_STATES = ("live", "expired")
# The outcome in force that is some action (FINDINGS), beside the outcomes one by one.
FINDING = "finding"


def filter_records(*, user, filters=None, today=None):
    """The records this person may see, filtered, newest first (the order keyset pages and the index on
    opened_on and id follow). Only the rows: each reader says what it shows of them (`for_list`, the API,
    the exports' columns), so that a list of 50 does not join the seven people and places a record names.

    `filters` may hold: opened_from and opened_to (dates, inclusive), decided_from (a date, inclusive),
    outcome (the outcome in force, or FINDING for any action), team (a Team or its pk), employment_type,
    policy (a Policy: records citing one of its clauses), clause (a clause number such as "5.2"; with a
    policy, that policy's clause), warning ("live" or "expired"). Empty values are ignored.
    """
    filters = {key: value for key, value in (filters or {}).items() if value not in (None, "")}
    records = records_visible_to(user)
    if "opened_from" in filters:
        records = records.filter(opened_on__gte=filters["opened_from"])
    if "opened_to" in filters:
        records = records.filter(opened_on__lte=filters["opened_to"])
    if "decided_from" in filters:
        records = records.filter(decided_on__gte=filters["decided_from"])
    if filters.get("outcome") == FINDING:
        records = records.filter(outcome_in_force__in=FINDINGS)
    elif "outcome" in filters:
        records = records.filter(outcome_in_force=filters["outcome"])
    if "team" in filters:
        records = records.filter(employee_team=filters["team"])
    if "employment_type" in filters:
        records = records.filter(employment_type=filters["employment_type"])
    if "policy" in filters or "clause" in filters:
        # One citation that is both: the policy's clause of that number, as the review pack counts them.
        cited = RecordClause.objects.all()
        if "policy" in filters:
            cited = cited.filter(clause__section__version__policy=filters["policy"])
        if "clause" in filters:
            cited = cited.filter(number=filters["clause"])
        records = records.filter(pk__in=cited.values("record_id"))
    if filters.get("warning") == "live":
        records = records.live_warnings(today)
    elif filters.get("warning") == "expired":
        records = records.expired_warnings(today)
    return records.order_by("-opened_on", "-pk")


# What HR's list draws of each record, and nothing more.
LIST_FIELDS = (
    "reference",
    "severity",
    "step",
    "hearing_arranged_for",
    "outcome_in_force",
    "warning_expires_on",
    "opened_on",
    "employee__first_name",
    "employee__last_name",
    "employee__username",
    "employee_team__name",
)


def for_list(records):
    """The records with only what HR's list shows: the employee's name and team, in the same query."""
    return records.select_related("employee", "employee_team").only(*LIST_FIELDS)


def record_pages(user, *, size):
    """The readers of the pages of HR's list of the records this person may see, unfiltered (`for_list`),
    compiled once per process (core.pagination.CompiledPages): the list is opened far more often than it is
    filtered. None to read for someone who may see none."""
    if not _sees_records(user):
        return {}
    return _record_pages(size).readers(user.pk)


@functools.cache
def _record_pages(size):
    return CompiledPages(lambda user_id: for_list(_records_not_about(user_id)), size)


def with_clause_numbers(records):
    """The records with their clause numbers, in the policy's order, in one more query per page."""
    clauses = RecordClause.objects.only("id", "record_id", "number").order_by(
        "clause__section__number", "clause__position", "pk"
    )
    return records.prefetch_related(Prefetch("clauses", queryset=clauses))


__all__ = [
    "FINDING",
    "WARNINGS",
    "WARNING_STATES",
    "filter_records",
    "record_pages",
    "for_list",
    "prior_live_warnings",
    "record_clauses",
    "record_for_user",
    "records_visible_to",
    "with_clause_numbers",
]


# --- HR's work queues (the home page) --------------------------------------------------------------------

# Warnings expiring within this many days are shown, so HR can see them end.
WARNINGS_EXPIRING_DAYS = 30


def hearings_and_appeals_work(*, user):
    """Hearings arranged and not yet held, by their date, then appeals lodged and not yet decided; only for
    those who keep the records (HR)."""
    if not user.has_perm("discipline.manage_disciplinary_records"):
        return None
    return _HEARINGS_AND_APPEALS.queue(
        "hearings",
        "Hearings and appeals",
        [user.pk],
        _hearing_or_appeal,
        reverse("discipline:list"),
        empty=not _sees_records(user),
    )


_HEARINGS_AND_APPEALS = QueueQueries(
    DisciplinaryRecord,
    lambda user_id: _records_not_about(user_id).filter(HEARING_OR_APPEAL_WAITING),
    lambda records: records.only(
        "id", "reference", "hearing_arranged_for", "hearing_held_on", "appeal_lodged_on", "appeal_outcome"
    ).order_by(F("hearing_arranged_for").asc(nulls_last=True), "appeal_lodged_on", "pk"),
)


def _hearing_or_appeal(record):
    if record.hearing_held_on is None and record.hearing_arranged_for is not None:
        what, due = "Hearing", record.hearing_arranged_for
    else:
        what, due = f"Appeal lodged on {day(record.appeal_lodged_on)}: to hear and decide", None
    return WorkItem(record.reference, record.get_absolute_url(), what, due)


def warnings_expiring_work(*, user, today=None):
    """Live warnings that expire within WARNINGS_EXPIRING_DAYS, the soonest first (HR)."""
    if not user.has_perm("discipline.manage_disciplinary_records"):
        return None
    today = today or timezone.localdate()
    return _WARNINGS_EXPIRING.queue(
        "warnings",
        "Warnings expiring",
        [user.pk, today, today + datetime.timedelta(days=WARNINGS_EXPIRING_DAYS)],
        lambda record: WorkItem(
            record.reference,
            record.get_absolute_url(),
            f"{record.get_outcome_in_force_display()} expires",
            record.warning_expires_on,
        ),
        reverse("discipline:list"),
        empty=not _sees_records(user),
    )


_WARNINGS_EXPIRING = QueueQueries(
    DisciplinaryRecord,
    lambda user_id, after, until: _records_not_about(user_id).filter(
        outcome_in_force__in=WARNINGS, warning_expires_on__gt=after, warning_expires_on__lte=until
    ),
    lambda records: records.only("id", "reference", "outcome_in_force", "warning_expires_on").order_by(
        "warning_expires_on", "pk"
    ),
)
