"""Data protection services: legal holds, subject access requests and erasure requests. Each change is
audited in the same transaction."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_record
from core.errors import DomainError

from .models import LegalHold


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
