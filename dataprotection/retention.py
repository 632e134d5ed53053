"""The retention schedule applied (UK GDPR article 5(1)(e)): what is due, and `retention_apply`, which
anonymises or deletes it. Anything under a legal hold is left alone.

A record is due on the day its period ends: a concern closed at triage on 10 March 2026, kept a year, is
kept on 9 March 2027 and anonymised from 10 March 2027. Periods are calendar months (relativedelta: from
31 January, a month ends on the last day of February). Every query is set-based and read in batches of
ids, so that a million closed cases cost a few thousand queries, not a million.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_record
from business_use.models import DECIDED_STATES, BusinessUseRequest, State
from cases.models import Case, Evidence, Stage
from discipline.models import DisciplinaryRecord
from people.models import ANONYMISED_USERNAME

from .anonymise import (
    audit_entries_delete_before,
    business_use_anonymise,
    cases_anonymise,
    records_anonymise,
)
from .models import LegalHold, RecordKind, RetentionRule

BATCH = 1000
# A business use request ends with a decision, or when its requester withdraws it.
ENDED_STATES = (*DECIDED_STATES, State.WITHDRAWN)

# What each count is called, in the command's output and the audit entry.
LABELS = {
    RecordKind.CONCERN_CLOSED_AT_TRIAGE: "concerns closed at triage anonymised",
    RecordKind.CLOSED_CASE: "closed cases anonymised",
    RecordKind.EVIDENCE: "evidence files deleted",
    RecordKind.DISCIPLINARY_RECORD: "disciplinary records anonymised",
    RecordKind.BUSINESS_USE_REQUEST: "business use requests anonymised",
    RecordKind.AUDIT_ENTRY: "audit entries deleted",
}


def last_day_due(months, *, today):
    """The latest day an event may have happened on and be due today: its period (closing date plus the
    months, clamped to the month's end as relativedelta does) ends on or before today. On the last day of a
    month, events on any later day of the earlier month are due too (31 January + 1 month = 28 February)."""
    day = today - relativedelta(months=months)
    if (today + datetime.timedelta(days=1)).day == 1:
        day += relativedelta(day=31)
    return day


def cutoff(months, *, today):
    """The first moment that is not yet due: an event before it has been kept `months` by `today`."""
    next_day = last_day_due(months, today=today) + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(next_day, datetime.time()))


def held_cases():
    return LegalHold.objects.in_force().filter(case__isnull=False).values("case")


def held_people():
    return LegalHold.objects.in_force().filter(person__isnull=False).values("person")


def cases_due(rule, *, today):
    """The closed cases of the rule's kind whose period has ended, not anonymised and not held (a hold on
    the case, or on its reporter or the colleague it is about)."""
    stage = Stage.CLOSED_AT_TRIAGE if rule.kind == RecordKind.CONCERN_CLOSED_AT_TRIAGE else Stage.CLOSED
    return (
        Case.objects.filter(
            stage=stage, anonymised_at__isnull=True, stage_changed_at__lt=cutoff(rule.months, today=today)
        )
        .exclude(pk__in=held_cases())
        .exclude(reporter__in=held_people())
        .exclude(subject_person__in=held_people())
    )


def records_due(rule, *, today):
    """Disciplinary records of employees who left the rule's period ago, not held (nor their case)."""
    return (
        DisciplinaryRecord.objects.filter(employee__left_on__lte=last_day_due(rule.months, today=today))
        .exclude(employee__username=ANONYMISED_USERNAME)
        .exclude(employee__in=held_people())
        .exclude(case__in=held_cases())
    )


def business_use_due(rule, *, today):
    return (
        BusinessUseRequest.objects.filter(
            state__in=ENDED_STATES, state_changed_at__lt=cutoff(rule.months, today=today)
        )
        .exclude(requester__username=ANONYMISED_USERNAME)
        .exclude(requester__in=held_people())
    )


def audit_first_kept(rule, *, today):
    """The id of the oldest audit entry to keep (None: none is kept). Entries go only as a prefix of the
    log in id order, up to the first that is recent or about a held case or person."""
    keep = Q(at__gte=cutoff(rule.months, today=today)) | Q(case__in=held_cases()) | Q(actor__in=held_people())
    return AuditEntry.objects.filter(keep).order_by("pk").values_list("pk", flat=True).first()


def _batches(queryset, order=("pk",)):
    """Ids of the queryset, a batch at a time. Each batch is anonymised before the next is read, and
    anonymised rows no longer match, so the query always starts from the front: in an order an index gives,
    so that each batch reads a thousand rows, not every row that is due."""
    while True:
        ids = list(queryset.order_by(*order).values_list("pk", flat=True)[:BATCH])
        if not ids:
            return
        yield ids


def retention_due(*, today=None):
    """What apply_retention would do today: {kind: count}, and {kind: a few references}."""
    today = today or timezone.localdate()
    rules = RetentionRule.schedule()
    counts, examples = {}, {}
    for kind in (RecordKind.CONCERN_CLOSED_AT_TRIAGE, RecordKind.CLOSED_CASE):
        due = cases_due(rules[kind], today=today)
        counts[kind] = due.count()
        examples[kind] = list(due.order_by("pk").values_list("reference", flat=True)[:20])
    counts[RecordKind.EVIDENCE] = Evidence.objects.filter(
        Q(case__in=cases_due(rules[RecordKind.CONCERN_CLOSED_AT_TRIAGE], today=today).values("pk"))
        | Q(case__in=cases_due(rules[RecordKind.CLOSED_CASE], today=today).values("pk"))
    ).count()
    records = records_due(rules[RecordKind.DISCIPLINARY_RECORD], today=today)
    counts[RecordKind.DISCIPLINARY_RECORD] = records.count()
    examples[RecordKind.DISCIPLINARY_RECORD] = list(
        records.order_by("pk").values_list("reference", flat=True)[:20]
    )
    requests = business_use_due(rules[RecordKind.BUSINESS_USE_REQUEST], today=today)
    counts[RecordKind.BUSINESS_USE_REQUEST] = requests.count()
    examples[RecordKind.BUSINESS_USE_REQUEST] = [
        request.reference for request in requests.order_by("pk").only("pk", "created_at")[:20]
    ]
    first_kept = audit_first_kept(rules[RecordKind.AUDIT_ENTRY], today=today)
    entries = AuditEntry.objects.all() if first_kept is None else AuditEntry.objects.filter(pk__lt=first_kept)
    counts[RecordKind.AUDIT_ENTRY] = entries.count()
    return {LABELS[kind]: count for kind, count in counts.items()}, {
        LABELS[kind]: refs for kind, refs in examples.items()
    }


def retention_apply(*, now=None):
    """Anonymise or delete everything the schedule says is due, skipping what is held, and write one audit
    entry with the counts (never what was in them). Returns {label: count}."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    rules = RetentionRule.schedule()
    counts = dict.fromkeys(LABELS.values(), 0)
    for kind in (RecordKind.CONCERN_CLOSED_AT_TRIAGE, RecordKind.CLOSED_CASE):
        # By closing time: the order of the index of closed cases not yet anonymised.
        for ids in _batches(cases_due(rules[kind], today=today), order=("stage_changed_at", "pk")):
            counts[LABELS[RecordKind.EVIDENCE]] += cases_anonymise(ids, now=now)
            counts[LABELS[kind]] += len(ids)
    for ids in _batches(records_due(rules[RecordKind.DISCIPLINARY_RECORD], today=today)):
        records_anonymise(ids, now=now)
        counts[LABELS[RecordKind.DISCIPLINARY_RECORD]] += len(ids)
    for ids in _batches(business_use_due(rules[RecordKind.BUSINESS_USE_REQUEST], today=today)):
        business_use_anonymise(ids, now=now)
        counts[LABELS[RecordKind.BUSINESS_USE_REQUEST]] += len(ids)
    first_kept = audit_first_kept(rules[RecordKind.AUDIT_ENTRY], today=today)
    counts[LABELS[RecordKind.AUDIT_ENTRY]] = audit_entries_delete_before(first_kept)
    audit_record(
        actor=None,
        action=AuditEntry.Action.CHANGE,
        what="applied the retention schedule",
        details={"retention": counts},
    )
    return counts
