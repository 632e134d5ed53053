"""Anonymising records in place, a batch of ids at a time, in set-based updates: identities, free text and
files go; dates, clause numbers, platform, stage and outcome stay, so that the reports still count them.

One function per kind of record. `apply_retention` and a granted erasure request both call these, so that
what "anonymised" means is written once.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from audit import chain
from business_use.models import BusinessUseEvent, BusinessUseRequest
from cases.models import (
    AnonymousReceipt,
    BreachDecision,
    Case,
    CaseEvent,
    CaseUserObjectPermission,
    CaseWitness,
    DisciplinaryReferral,
    Evidence,
    LegalAdvice,
    PlatformNotice,
    PoliceReferral,
    RemovalRequest,
)
from discipline.models import DisciplinaryRecord, RecordEvent
from people.models import ANONYMISED_USERNAME, User

# Where a required column must hold some words (a breach decision always gives reasons).
ANONYMISED_TEXT = "[anonymised]"


def anonymised_person():
    """The one inactive account that anonymised records point to where a person is required (a case's
    reporter, the employee of a record): it names nobody and cannot sign in."""
    person = User.objects.filter(username=ANONYMISED_USERNAME).first()
    if person is None:
        person, _ = User.objects.get_or_create(
            username=ANONYMISED_USERNAME,
            defaults={
                "first_name": "Anonymised",
                "is_active": False,
                "password": "!",  # an unusable password, as set_unusable_password() makes
                "left_on": datetime.date(2000, 1, 1),
                "access_ended_at": timezone.now(),
            },
        )
    return person


def evidence_delete(evidence):
    """Delete evidence rows, and their files once the transaction commits (a file deleted before a rollback
    could not be put back). Each file through its field's storage, so that any wrapper around the storage
    (encryption) still applies. Returns how many files went."""
    files = [item.file for item in evidence.only("pk", "file", "case_id") if item.file]
    evidence.delete()
    for file in files:
        transaction.on_commit(lambda file=file: file.delete(save=False))
    return len(files)


@transaction.atomic
def cases_anonymise(case_ids, *, now=None):
    """Anonymise these cases, their timeline, actions and evidence. Returns the number of evidence files
    deleted."""
    now = now or timezone.now()
    nobody = anonymised_person()
    Case.objects.filter(pk__in=case_ids).update(
        reporter=nobody,
        subject_person=None,
        subject_description="",
        links="",
        description="",
        routing_note="",
        handler=None,
        anonymised_at=now,
        # The reports store their monthly figures again where cases changed; the counts stay the same.
        updated_at=now,
    )
    CaseEvent.objects.filter(case_id__in=case_ids).update(text="", actor=None)
    # The reporter's and handler's rights on the case: nobody follows or handles an anonymised case.
    CaseUserObjectPermission.objects.filter(content_object_id__in=case_ids).delete()
    # The people named as witnesses: an anonymised case names nobody.
    CaseWitness.objects.filter(case_id__in=case_ids).delete()
    # An anonymous reporter's receipt key opens nothing any more.
    AnonymousReceipt.objects.filter(case_id__in=case_ids).delete()
    LegalAdvice.objects.filter(case_id__in=case_ids).update(adviser="", summary="", recorded_by=nobody)
    RemovalRequest.objects.filter(case_id__in=case_ids).update(
        requested_from="", staff_member=None, resolved_by=None, recorded_by=nobody
    )
    PlatformNotice.objects.filter(case_id__in=case_ids).update(reference="", summary="", recorded_by=nobody)
    PoliceReferral.objects.filter(case_id__in=case_ids).update(reference="", summary="", recorded_by=nobody)
    DisciplinaryReferral.objects.filter(case_id__in=case_ids).update(
        person=nobody, allegation="", recorded_by=nobody
    )
    BreachDecision.objects.filter(case_id__in=case_ids).update(reasons=ANONYMISED_TEXT, decided_by=nobody)
    return evidence_delete(Evidence.objects.filter(case_id__in=case_ids))


@transaction.atomic
def records_anonymise(record_ids, *, now=None):
    """Anonymise these disciplinary records: the steps, dates and outcomes stay; who and why go."""
    now = now or timezone.now()
    nobody = anonymised_person()
    DisciplinaryRecord.objects.filter(pk__in=record_ids).update(
        employee=nobody,
        allegation="",
        opened_by=nobody,
        investigator=None,
        investigation_summary="",
        invitation_notes="",
        invited_companion="",
        heard_by=None,
        companion="",
        hearing_attendees="",
        hearing_notes="",
        outcome_reasons="",
        appeal_grounds="",
        appeal_heard_by=None,
        appeal_reasons="",
        updated_at=now,
    )
    RecordEvent.objects.filter(record_id__in=record_ids).update(text="", actor=nobody)


@transaction.atomic
def business_use_anonymise(request_ids, *, now=None):
    """Anonymise these business use requests: the kind, account, purpose, dates and state stay."""
    nobody = anonymised_person()
    BusinessUseRequest.objects.filter(pk__in=request_ids).update(
        requester=nobody,
        approver=None,
        routing_note="",
        recommended_for="",
        content="",
        links="",
        decision_text="",
        published_where="",
        published_link="",
    )
    BusinessUseEvent.objects.filter(request_id__in=request_ids).update(text="", actor=None)


def audit_entries_delete_before(first_kept_pk, *, batch=10_000):
    """Delete the audit entries before `first_kept_pk` (None: every entry but the newest), oldest first.

    The audit app keeps its chain whole across the deletion (audit.chain.delete_oldest records where the
    kept chain begins, so that verify_audit checks it from there). Returns how many were deleted."""
    return chain.delete_oldest(first_kept_pk, batch=batch)
