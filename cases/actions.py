"""What the Head of Business and Governance does about a case (clauses 2.4, 2.5 and 9.2).

Each action is recorded with who, when and its evidence, in one transaction with a timeline event and an
audit entry. Any action other than legal advice means action is in progress on the case.
"""

from django.db import transaction
from django.utils import timezone

from audit.services import step_record
from core.errors import DomainError
from core.text import day, one_line
from people.selectors import staff_members
from policies.models import clause_number_order

from . import access, notify, timers
from .models import (
    CaseEvent,
    DisciplinaryReferral,
    LegalAdvice,
    Platform,
    PlatformNotice,
    PoliceReferral,
    RemovalRequest,
    Stage,
)
from .playbook_models import ActionKind
from .playbook_timers import playbook_timers_on_action
from .services import _lock, case_start_action

ACTION_STAGES = (Stage.UNDER_REVIEW, Stage.ACTION_IN_PROGRESS)


def action_refusal(case):
    """Why no action can be recorded on the case at its stage, or None if it can."""
    if case.stage in ACTION_STAGES:
        return None
    return f"Actions are recorded during the governance review; this case is “{case.get_stage_display()}”."


def disciplinary_candidates(*, case):
    """Who may be referred to HR on this case: any member of staff, past or present, but the reporter."""
    return staff_members().exclude(pk=case.reporter_id)


def _begin(case, by):
    """Lock the case and check that this person may record an action on it now."""
    case = _lock(case)
    if access.case_relation(by, case) != access.GOVERNANCE:
        raise DomainError("Only the Head of Business and Governance records actions on a case.")
    refusal = action_refusal(case)
    if refusal:
        raise DomainError(refusal)
    return case


def _not_in_future(value, what):
    if value > timezone.localdate():
        raise DomainError(f"The {what} cannot be in the future.")


def _record(*, case, by, text, what, kind=None):
    """The timeline and audit entries of a step; a new action of `kind` is done for the playbook steps
    that expected it."""
    if kind:
        playbook_timers_on_action(case=case, kind=kind)
    step_record(
        CaseEvent(case=case, kind=CaseEvent.Kind.ACTION, actor=by, text=text),
        actor=by,
        case=case,
        what=f"{what} on {case.reference}",
    )


@transaction.atomic
def legal_advice_record(*, case, by, advised_on, summary, adviser=""):
    """Clause 9.2: the governance head "can take legal advice". Recording it does not change the stage."""
    case = _begin(case, by)
    summary, adviser = (summary or "").strip(), (adviser or "").strip()
    if not summary:
        raise DomainError("Summarise the advice.")
    _not_in_future(advised_on, "date of the advice")
    advice = LegalAdvice.objects.create(
        case=case, recorded_by=by, advised_on=advised_on, adviser=adviser, summary=summary
    )
    source = f" from {adviser}" if adviser else ""
    _record(
        case=case,
        by=by,
        text=f"Legal advice of {day(advised_on)}{source}: {one_line(summary)}",
        what="recorded legal advice",
        kind=ActionKind.LEGAL_ADVICE,
    )
    return advice


@transaction.atomic
def removal_request_record(*, case, by, requested_from, sent_on, deadline, staff_member=None):
    """Clause 2.5: a request to remove a posting, with a deadline."""
    case = _begin(case, by)
    requested_from = (requested_from or "").strip() or (str(staff_member) if staff_member else "")
    if not requested_from:
        raise DomainError("Say to whom the removal request was sent.")
    if staff_member is not None and not staff_members().filter(pk=staff_member.pk).exists():
        raise DomainError(f"{staff_member} is not a member of staff.")
    _not_in_future(sent_on, "date the request was sent")
    if deadline < sent_on:
        raise DomainError("The deadline cannot be before the date the request was sent.")
    request = RemovalRequest.objects.create(
        case=case,
        recorded_by=by,
        requested_from=requested_from,
        staff_member=staff_member,
        sent_on=sent_on,
        deadline=deadline,
    )
    timers.case_timers_on_removal_request(removal_request=request)
    _record(
        case=case,
        by=by,
        text=f"Removal request sent to {requested_from} on {day(sent_on)}, to be removed by {day(deadline)}.",
        what=f"recorded a removal request to {requested_from}",
        kind=ActionKind.REMOVAL_REQUEST,
    )
    case_start_action(case=case, by=by)
    return request


@transaction.atomic
def removal_request_resolve(*, removal_request, by, status):
    """The posting was removed, or the request was not complied with (which clause 2.5 makes a
    disciplinary matter in itself when the request was to staff)."""
    case = _begin(removal_request.case, by)
    request = RemovalRequest.objects.select_for_update().get(pk=removal_request.pk)
    if status not in (RemovalRequest.Status.REMOVED, RemovalRequest.Status.NOT_COMPLIED):
        raise DomainError("Say whether the posting was removed or the request was not complied with.")
    if request.status != RemovalRequest.Status.PENDING:
        raise DomainError(f"This removal request has already been marked “{request.get_status_display()}”.")
    request.status = status
    request.resolved_at = timezone.now()
    request.resolved_by = by
    request.save(update_fields=["status", "resolved_at", "resolved_by"])
    timers.case_timers_on_removal_resolved(removal_request=request)
    notify.removal_request_resolved_clear(removal_request=request)
    outcome = request.get_status_display().lower()
    _record(
        case=case,
        by=by,
        text=f"Removal request to {request.requested_from} of {day(request.sent_on)}: {outcome}.",
        what=f"marked the removal request to {request.requested_from} {outcome}",
    )
    return request


@transaction.atomic
def platform_notice_record(*, case, by, platform, sent_on, reference="", summary=""):
    """Clause 9.2: notifying the social media provider about comments posted on their site."""
    case = _begin(case, by)
    if platform not in Platform.values:
        raise DomainError("Choose the platform that was notified.")
    _not_in_future(sent_on, "date the notice was sent")
    notice = PlatformNotice.objects.create(
        case=case,
        recorded_by=by,
        platform=platform,
        sent_on=sent_on,
        reference=(reference or "").strip(),
        summary=(summary or "").strip(),
    )
    their_reference = f"; their reference {notice.reference}" if notice.reference else ""
    name = notice.get_platform_display()
    _record(
        case=case,
        by=by,
        text=f"Notice sent to {name} on {day(sent_on)}{their_reference}.",
        what=f"recorded a notice to {name}",
        kind=ActionKind.PLATFORM_NOTICE,
    )
    case_start_action(case=case, by=by)
    return notice


@transaction.atomic
def police_referral_record(*, case, by, reference, referred_on, force="", summary=""):
    """Clause 9.2: involving the police to consider criminal implications."""
    case = _begin(case, by)
    reference, force = (reference or "").strip(), (force or "").strip()
    if not reference:
        raise DomainError("Give the police reference.")
    _not_in_future(referred_on, "date of the referral")
    referral = PoliceReferral.objects.create(
        case=case,
        recorded_by=by,
        reference=reference,
        force=force,
        referred_on=referred_on,
        summary=(summary or "").strip(),
    )
    police = force or "the police"
    _record(
        case=case,
        by=by,
        text=f"Referred to {police} on {day(referred_on)}; police reference {reference}.",
        what="recorded a police referral",
        kind=ActionKind.POLICE_REFERRAL,
    )
    case_start_action(case=case, by=by)
    return referral


def non_compliance_allegation(removal_request):
    return f"Did not comply with the removal request of {day(removal_request.sent_on)} (clause 2.5)."


@transaction.atomic
def disciplinary_referral_record(
    *, case, by, person, allegation, clauses_breached, severity, removal_request=None
):
    """Clauses 2.4 and 5.2: refer a member of staff to HR for misconduct or gross misconduct.

    With `removal_request`, the referral is for failing to comply with it (clause 2.5): the request must
    have been to that person and marked as not complied with.
    """
    case = _begin(case, by)
    if person.pk == case.reporter_id:
        raise DomainError("The person who raised the concern cannot be referred on their own case.")
    if not staff_members().filter(pk=person.pk).exists():
        raise DomainError(f"{person} is not, and has not been, a member of staff.")
    if severity not in DisciplinaryReferral.Severity.values:
        raise DomainError("Choose misconduct or gross misconduct.")
    clauses = list(clauses_breached or ())
    if not clauses:
        raise DomainError("Choose at least one clause the person is thought to have breached.")
    if any(clause.case_id != case.pk for clause in clauses):
        raise DomainError("Choose clauses of this case.")
    if removal_request is not None:
        removal_request = RemovalRequest.objects.filter(pk=removal_request.pk, case=case).first()
        if removal_request is None:
            raise DomainError("That removal request is not part of this case.")
        if removal_request.status != RemovalRequest.Status.NOT_COMPLIED:
            raise DomainError("Only a removal request that was not complied with can lead to a referral.")
        if removal_request.staff_member_id != person.pk:
            raise DomainError(f"That removal request was not made to {person}.")
    allegation = (allegation or "").strip()
    if not allegation and removal_request is not None:
        allegation = non_compliance_allegation(removal_request)
    if not allegation:
        raise DomainError("Describe the allegation.")
    referral = DisciplinaryReferral.objects.create(
        case=case,
        recorded_by=by,
        person=person,
        allegation=allegation,
        severity=severity,
        removal_request=removal_request,
    )
    referral.clauses_breached.set(clauses)
    notify.referral_to_hr_notify(referral=referral, by=by)
    numbers = sorted({clause.number for clause in clauses}, key=clause_number_order)
    _record(
        case=case,
        by=by,
        text=(
            f"Referred {person} to HR for {referral.get_severity_display().lower()} "
            f"({'clauses' if len(numbers) > 1 else 'clause'} {', '.join(numbers)}): {one_line(allegation)}"
        ),
        what=f"recorded a disciplinary referral of {person}",
        kind=ActionKind.DISCIPLINARY_REFERRAL,
    )
    case_start_action(case=case, by=by)
    return referral
