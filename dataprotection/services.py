"""Data protection services: legal holds, subject access requests and erasure requests. Each change is
audited in the same transaction."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_record
from business_use.models import BusinessUseRequest
from cases.models import CLOSED_STAGES, Case
from core.errors import DomainError
from discipline.models import DisciplinaryRecord
from reminders.sweep import timers_cancel

from . import retention, timers
from .anonymise import business_use_anonymise, cases_anonymise, records_anonymise
from .models import ErasureRequest, LegalHold, SubjectAccessRequest, one_calendar_month_after
from .subject_access import subject_access_archive


@transaction.atomic
def legal_hold_place(*, by, reason, case=None, person=None):
    """Hold a case, or everything about a person, out of the retention schedule until lifted."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason for the legal hold.")
    if (case is None) == (person is None):
        raise DomainError("A legal hold is on one case or on one person.")
    if LegalHold.objects.in_force().filter(case=case, person=person).exists():
        raise DomainError("There is already a legal hold on this.")
    try:
        with transaction.atomic():
            hold = LegalHold.objects.create(case=case, person=person, reason=reason, placed_by=by)
    except IntegrityError as error:  # placed by someone else at the same moment
        raise DomainError("There is already a legal hold on this.") from error
    audit_record(
        actor=by,
        action=AuditEntry.Action.CHANGE,
        case=case,
        what=f"placed a legal hold on {case.reference if case else 'a person'}",
        details={"legal_hold": hold.pk, **({"person": person.username} if person else {})},
    )
    return hold


@transaction.atomic
def legal_hold_lift(*, hold, by, reason):
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason for lifting the legal hold.")
    lifted = LegalHold.objects.filter(pk=hold.pk, lifted_at__isnull=True).update(
        lifted_at=timezone.now(), lifted_by=by, lift_reason=reason
    )
    if not lifted:
        raise DomainError("This legal hold has already been lifted.")
    hold.refresh_from_db()
    audit_record(
        actor=by,
        action=AuditEntry.Action.CHANGE,
        case=hold.case,
        what=f"lifted the legal hold on {hold.case.reference if hold.case else 'a person'}",
        details={"legal_hold": hold.pk, **({"person": hold.person.username} if hold.person else {})},
    )
    return hold


# --- Subject access requests (article 15) ----------------------------------------------------------------


@transaction.atomic
def subject_access_record(*, person, requested_by, received_on, by):
    """Record a request; it is due one calendar month after it was received, with a reminder a week before
    and an escalation from the day after (dataprotection.timers)."""
    if received_on > timezone.localdate():
        raise DomainError("The date received cannot be in the future.")
    if person.pk == by.pk:
        raise DomainError("Someone else records and answers a request about you.")
    request = SubjectAccessRequest.objects.create(
        person=person,
        requested_by=requested_by.strip(),
        received_on=received_on,
        due_on=one_calendar_month_after(received_on),
        recorded_by=by,
    )
    timers.subject_access_timers_start(request)
    audit_record(
        actor=by,
        action=AuditEntry.Action.CHANGE,
        what=f"recorded subject access request {request.pk}",
        details={"subject_access_request": request.pk, "person": person.username},
    )
    return request


def subject_access_export(*, person, by, out, request=None):
    """Write the archive about `person` to `out` and audit it (the counts, never the content). With the
    request it answers, the request is answered and its reminders stop."""
    counts = subject_access_archive(person=person, out=out)
    with transaction.atomic():
        if request is not None:
            SubjectAccessRequest.objects.filter(pk=request.pk, answered_at__isnull=True).update(
                answered_at=timezone.now()
            )
            timers_cancel(request)
        audit_record(
            actor=by,
            action=AuditEntry.Action.EXPORT,
            what=f"produced the subject access archive of {person.username}",
            details={
                "subject_access_request": request.pk if request else None,
                "person": person.username,
                "rows": counts,
            },
        )
    return counts


# --- Erasure requests (article 17) ---------------------------------------------------------------------


def erasable(person):
    """What a granted erasure request anonymises now: the closed cases the person raised or that are about
    them, their disciplinary records and their ended business use requests. Open cases and requests are left
    to finish (close them first); anything under a legal hold is left alone."""
    held = retention.held_cases()
    return {
        "cases": Case.objects.filter(stage__in=CLOSED_STAGES, anonymised_at__isnull=True)
        .filter(Q(reporter=person) | Q(subject_person=person))
        .exclude(pk__in=held),
        "records": DisciplinaryRecord.objects.filter(employee=person).exclude(case__in=held),
        "business_use": BusinessUseRequest.objects.filter(requester=person, state__in=retention.ENDED_STATES),
    }


@transaction.atomic
def erasure_decide(*, person, requested_by, received_on, decision, ground, reason, by):
    """Record an erasure request with its decision. Granted: the person's data is anonymised now, by the
    same functions as the retention schedule. Refused: the legal ground (article 17(3)) and why."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason for the decision.")
    if person.pk == by.pk:
        raise DomainError("Someone else decides on a request about you.")
    if decision == ErasureRequest.Decision.REFUSED and not ground:
        raise DomainError("Choose the legal ground for refusing.")
    if decision == ErasureRequest.Decision.GRANTED:
        ground = ""
        if LegalHold.objects.in_force().filter(person=person).exists():
            raise DomainError("Everything about this person is under a legal hold: lift it first, or refuse.")
    counts = {}
    if decision == ErasureRequest.Decision.GRANTED:
        due = erasable(person)
        case_ids = list(due["cases"].values_list("pk", flat=True))
        record_ids = list(due["records"].values_list("pk", flat=True))
        request_ids = list(due["business_use"].values_list("pk", flat=True))
        counts = {
            "cases anonymised": len(case_ids),
            "evidence files deleted": cases_anonymise(case_ids) if case_ids else 0,
            "disciplinary records anonymised": len(record_ids),
            "business use requests anonymised": len(request_ids),
        }
        if record_ids:
            records_anonymise(record_ids)
        if request_ids:
            business_use_anonymise(request_ids)
    erasure = ErasureRequest.objects.create(
        person=person,
        requested_by=requested_by.strip(),
        received_on=received_on,
        decision=decision,
        ground=ground,
        reason=reason,
        decided_by=by,
        counts=counts,
    )
    audit_record(
        actor=by,
        action=AuditEntry.Action.CHANGE,
        what=f"decided erasure request {erasure.pk}: {erasure.decision}",
        details={"erasure_request": erasure.pk, "person": person.username, "counts": counts},
    )
    return erasure
