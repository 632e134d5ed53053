"""Business rules for disciplinary records (ACAS Code of Practice on disciplinary procedures).

Only HR keep records: every change is one transaction that locks the record, checks that the step is the
one STEP_ORDER allows next, and writes the record, a RecordEvent and an audit entry together. Nothing else
changes a record; the Head of Business and Governance reads them.
"""

from django.db import transaction
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_record, step_record
from cases import selectors as case_selectors
from cases.models import DisciplinaryReferral, ReferenceCounter
from cases.notify import referral_opened_clear
from cases.services import clause_text
from core.errors import DomainError
from core.text import day, one_line
from people.selectors import staff_members
from policies.models import clause_number_order

from .letters import LETTER_AFTER, letter_ready, letter_values, render_letter_text, template_refusal
from .models import (
    STEP_ORDER,
    WARNINGS,
    AppealOutcome,
    DisciplinaryRecord,
    LetterTemplate,
    Outcome,
    RecordClause,
    RecordEvent,
    Severity,
    Step,
    WarningPeriods,
)
from .selectors import records_visible_to

MANAGE = "discipline.manage_disciplinary_records"
REFERENCE_PREFIX = "DR"

# What each step records, for messages such as "The outcome cannot be recorded before the hearing".
RECORDS = {
    Step.OPENED: "the record",
    Step.INVESTIGATED: "the investigation",
    Step.INVITED: "the invitation to a hearing",
    Step.HEARD: "the hearing",
    Step.DECIDED: "the outcome",
    Step.APPEAL_LODGED: "an appeal",
    Step.APPEAL_DECIDED: "the appeal's outcome",
}
_POSITION = {step: position for position, step in enumerate(Step)}


def can_manage(user):
    return user.is_active and user.has_perm(MANAGE)


def _check_manager(by):
    if not can_manage(by):
        raise DomainError("Only HR can open or change disciplinary records.")


def step_refusal(*, record, step):
    """Why `step` cannot be recorded next on the record, or None if it can. The one place for the order."""
    before = STEP_ORDER.get(step)
    if before is None:
        return "That is not a step of the disciplinary procedure."
    if record.step == before:
        return None
    if _POSITION[Step(record.step)] >= _POSITION[Step(step)]:
        return (
            f"{RECORDS[step].capitalize()} has already been recorded on {record.reference}. "
            "Nothing was changed."
        )
    return (
        f"{RECORDS[step].capitalize()} cannot be recorded before {RECORDS[before]}: {record.reference} is at "
        f"“{record.get_step_display()}”."
    )


def _begin(record, by, step):
    """Lock the record, check that this person may change it and that `step` comes next."""
    _check_manager(by)
    locked = records_visible_to(by).select_for_update().filter(pk=record.pk).first()
    if locked is None:
        raise DomainError("You cannot change this disciplinary record.")
    refusal = step_refusal(record=locked, step=step)
    if refusal:
        raise DomainError(refusal)
    return locked


def _finish(*, record, by, step, fields, text, what):
    record.step = step
    record.save(update_fields=[*fields, "step", "updated_at"])
    step_record(
        RecordEvent(record=record, step=step, actor=by, text=text),
        actor=by,
        case=record.case,
        what=f"{what} on disciplinary record {record.reference}",
        details={"record": record.reference},
    )
    return record


# --- Dates ------------------------------------------------------------------------------------------------


def _not_in_future(value, what):
    if value > timezone.localdate():
        raise DomainError(f"The {what} cannot be in the future.")


def _not_before(value, earlier, what, earlier_what):
    if earlier is not None and value < earlier:
        raise DomainError(f"The {what} cannot be before {earlier_what} ({day(earlier)}).")


def _required(value, message):
    value = (value or "").strip()
    if not value:
        raise DomainError(message)
    return value


def _not_the_employee(record, person, role):
    if person.pk == record.employee_id:
        raise DomainError(f"{person} is the employee this record is about and cannot be {role}.")


# --- Opening a record -------------------------------------------------------------------------------------


def reference_allocate(*, year):
    """The next record reference for the year, e.g. DR-2026-0007. Locks its counter row."""
    ReferenceCounter.objects.get_or_create(prefix=REFERENCE_PREFIX, year=year)
    counter = ReferenceCounter.objects.select_for_update().get(prefix=REFERENCE_PREFIX, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{REFERENCE_PREFIX}-{year}-{counter.last_number:04d}"


def _open(*, by, employee, allegation, severity, clauses, case=None, referral=None, opened_on=None):
    """Create the record with its clause snapshots: `clauses` are (clause, number, text) as they read."""
    if employee.pk == by.pk:
        raise DomainError("You cannot open a disciplinary record about yourself; ask another HR officer.")
    if not staff_members().filter(pk=employee.pk).exists():
        raise DomainError(f"{employee} is not, and has not been, a member of staff.")
    if severity not in Severity.values:
        raise DomainError("Choose misconduct or gross misconduct.")
    allegation = _required(allegation, "Describe the allegation.")
    if not clauses:
        raise DomainError("Choose at least one clause the employee is alleged to have breached.")
    opened_on = opened_on or timezone.localdate()
    _not_in_future(opened_on, "date the record was opened")
    record = DisciplinaryRecord.objects.create(
        reference=reference_allocate(year=opened_on.year),
        referral=referral,
        case=case,
        employee=employee,
        employee_team=employee.team,
        employment_type=employee.employment_type,
        allegation=allegation,
        severity=severity,
        opened_by=by,
        opened_on=opened_on,
    )
    RecordClause.objects.bulk_create(
        RecordClause(record=record, clause=clause, number=number, text=text)
        for clause, number, text in clauses
    )
    numbers = sorted({number for _, number, _ in clauses}, key=clause_number_order)
    source = f"the disciplinary referral on {case.reference}" if referral else "HR"
    step_record(
        RecordEvent(
            record=record,
            step=Step.OPENED,
            actor=by,
            text=(
                f"Opened from {source}: {record.get_severity_display().lower()} "
                f"({'clauses' if len(numbers) > 1 else 'clause'} {', '.join(numbers)}). "
                f"{one_line(allegation)}"
            ),
        ),
        actor=by,
        case=case,
        what=f"opened disciplinary record {record.reference} about {employee}",
        details={"record": record.reference},
    )
    return record


@transaction.atomic
def record_open_from_referral(*, referral, by):
    """HR open a record from a disciplinary referral on a case (clauses 2.4 and 5.2): the employee,
    allegation, severity and clauses come from the referral, the clauses as they read when the concern
    was raised. One record per referral."""
    _check_manager(by)
    if referral.person_id == by.pk:
        raise DomainError("You cannot open a disciplinary record about yourself; ask another HR officer.")
    if case_selectors.referral_for_user(user=by, pk=referral.pk) is None:
        raise DomainError("You cannot open a record from this referral.")
    # Locking the referral makes a second HR officer opening the same referral wait, then be told.
    referral = DisciplinaryReferral.objects.select_for_update().get(pk=referral.pk)
    existing = DisciplinaryRecord.objects.filter(referral=referral).first()
    if existing is not None:
        raise DomainError(f"Disciplinary record {existing.reference} is already open for this referral.")
    snapshots = [(c.clause, c.number, c.text) for c in referral.clauses_breached.select_related("clause")]
    referral_opened_clear(referral=referral)
    return _open(
        by=by,
        employee=referral.person,
        allegation=referral.allegation,
        severity=referral.severity,
        clauses=snapshots,
        case=referral.case,
        referral=referral,
    )


@transaction.atomic
def record_open(*, by, employee, allegation, severity, clauses, case=None, opened_on=None):
    """HR open a record directly, choosing clauses of the current policy; their text is kept as it reads
    now. `opened_on` (not in the future) lets HR enter a process that began before today."""
    _check_manager(by)
    clauses = list(clauses or ())
    if any(not clause.section.version.is_current for clause in clauses):
        raise DomainError("Choose clauses from the current version of the policy.")
    snapshots = [(clause, clause.number, clause_text(clause)) for clause in clauses]
    return _open(
        by=by,
        employee=employee,
        allegation=allegation,
        severity=severity,
        clauses=snapshots,
        case=case,
        opened_on=opened_on,
    )


# --- The ACAS steps ---------------------------------------------------------------------------------------


@transaction.atomic
def record_investigation(*, record, by, investigator, summary, completed_on):
    """The investigation is complete: who carried it out, what it found, and when."""
    record = _begin(record, by, Step.INVESTIGATED)
    _not_the_employee(record, investigator, "the investigator")
    summary = _required(summary, "Summarise what the investigation found.")
    _not_in_future(completed_on, "date the investigation was completed")
    _not_before(completed_on, record.opened_on, "investigation", "the record was opened")
    record.investigator, record.investigation_summary = investigator, summary
    record.investigation_completed_on = completed_on
    return _finish(
        record=record,
        by=by,
        step=Step.INVESTIGATED,
        fields=["investigator", "investigation_summary", "investigation_completed_on"],
        text=f"Investigation by {investigator} completed on {day(completed_on)}: {one_line(summary)}",
        what="recorded the investigation",
    )


@transaction.atomic
def record_invitation(
    *,
    record,
    by,
    sent_on,
    hearing_arranged_for,
    hearing_time,
    hearing_place,
    told_of_right_to_be_accompanied,
    invited_companion="",
    notes="",
):
    """The employee was invited to a hearing in writing: its date, time and place, and (ACAS) their right to
    be accompanied by a colleague or trade union representative, with who that will be if known."""
    record = _begin(record, by, Step.INVITED)
    _not_in_future(sent_on, "date the invitation was sent")
    _not_before(sent_on, record.investigation_completed_on, "invitation", "the investigation was completed")
    _not_before(hearing_arranged_for, sent_on, "hearing", "the invitation was sent")
    if hearing_time is None:
        raise DomainError("Give the time of the hearing.")
    hearing_place = _required(hearing_place, "Say where the hearing will be held.")
    if not told_of_right_to_be_accompanied:
        raise DomainError(
            "The invitation must tell the employee of their right to be accompanied by a colleague or a "
            "trade union representative (ACAS Code of Practice)."
        )
    record.invitation_sent_on, record.hearing_arranged_for = sent_on, hearing_arranged_for
    record.hearing_time, record.hearing_place = hearing_time, hearing_place
    record.told_of_right_to_be_accompanied = True
    record.invited_companion = (invited_companion or "").strip()
    record.invitation_notes = (notes or "").strip()
    return _finish(
        record=record,
        by=by,
        step=Step.INVITED,
        fields=[
            "invitation_sent_on",
            "hearing_arranged_for",
            "hearing_time",
            "hearing_place",
            "told_of_right_to_be_accompanied",
            "invited_companion",
            "invitation_notes",
        ],
        text=(
            f"Written invitation sent on {day(sent_on)} to a hearing on {day(hearing_arranged_for)} at "
            f"{hearing_time:%H:%M}, {one_line(hearing_place)}; told of the right to be accompanied."
            + (f" Companion named: {record.invited_companion}." if record.invited_companion else "")
        ),
        what="recorded the invitation to a hearing",
    )


@transaction.atomic
def record_hearing(*, record, by, held_on, heard_by, attendees, notes, companion=""):
    """The hearing was held: when, who heard it, who attended, notes of what was said, and who accompanied
    the employee, if anyone."""
    record = _begin(record, by, Step.HEARD)
    _not_the_employee(record, heard_by, "the person hearing it")
    _not_in_future(held_on, "date of the hearing")
    _not_before(held_on, record.invitation_sent_on, "hearing", "the written invitation was sent")
    attendees = _required(attendees, "Say who attended the hearing.")
    notes = _required(notes, "Give the notes of the hearing.")
    companion = (companion or "").strip()
    record.hearing_held_on, record.heard_by = held_on, heard_by
    record.companion, record.hearing_attendees, record.hearing_notes = companion, attendees, notes
    accompanied = f"accompanied by {companion}" if companion else "not accompanied"
    return _finish(
        record=record,
        by=by,
        step=Step.HEARD,
        fields=["hearing_held_on", "heard_by", "companion", "hearing_attendees", "hearing_notes"],
        text=f"Hearing held on {day(held_on)} by {heard_by}; the employee was {accompanied}.",
        what="recorded the hearing",
    )


def _warning_expiry(outcome, given, decided_on):
    """The expiry of a warning: the one given, or the default period from `decided_on`."""
    if outcome not in WARNINGS:
        if given:
            raise DomainError("Only a first or final written warning has an expiry date.")
        return None
    expires_on = given or WarningPeriods.current().default_expiry(outcome, decided_on)
    if expires_on <= decided_on:
        raise DomainError(f"The warning must expire after the decision ({day(decided_on)}).")
    return expires_on


def _in_force_text(record):
    text = record.get_outcome_in_force_display()
    if record.warning_expires_on:
        text += f", expiring on {day(record.warning_expires_on)}"
    return text


@transaction.atomic
def record_outcome(*, record, by, outcome, reasons, decided_on, warning_expires_on=None):
    """The outcome of the hearing, with reasons. A warning expires after the period given, or by default
    after the period in WarningPeriods (first written 12 months, final written 24 months)."""
    record = _begin(record, by, Step.DECIDED)
    if outcome not in Outcome.values:
        raise DomainError("Choose the outcome.")
    reasons = _required(reasons, "Give the reasons for the outcome.")
    _not_in_future(decided_on, "date of the decision")
    _not_before(decided_on, record.hearing_held_on, "decision", "the hearing")
    record.outcome, record.outcome_reasons, record.decided_on = outcome, reasons, decided_on
    record.outcome_in_force = outcome
    record.warning_expires_on = _warning_expiry(outcome, warning_expires_on, decided_on)
    return _finish(
        record=record,
        by=by,
        step=Step.DECIDED,
        fields=["outcome", "outcome_reasons", "decided_on", "outcome_in_force", "warning_expires_on"],
        text=f"Outcome decided on {day(decided_on)}: {_in_force_text(record)}. {one_line(reasons)}",
        what="recorded the outcome",
    )


@transaction.atomic
def record_appeal(*, record, by, lodged_on, grounds):
    """The employee appealed against the outcome."""
    record = _begin(record, by, Step.APPEAL_LODGED)
    grounds = _required(grounds, "Give the grounds of the appeal.")
    _not_in_future(lodged_on, "date the appeal was lodged")
    _not_before(lodged_on, record.decided_on, "appeal", "the decision")
    record.appeal_lodged_on, record.appeal_grounds = lodged_on, grounds
    return _finish(
        record=record,
        by=by,
        step=Step.APPEAL_LODGED,
        fields=["appeal_lodged_on", "appeal_grounds"],
        text=f"Appeal lodged on {day(lodged_on)}: {one_line(grounds)}",
        what="recorded an appeal",
    )


def _severity(outcome):
    return Outcome.values.index(outcome)


@transaction.atomic
def record_appeal_outcome(
    *, record, by, heard_on, heard_by, appeal_outcome, reasons, new_outcome="", new_warning_expires_on=None
):
    """The appeal was heard and decided. UPHELD keeps the outcome in force; OVERTURNED sets it to no action;
    VARIED replaces it with `new_outcome`, which may not be more severe (an appeal must not increase the
    sanction). A varied warning runs by default from the original decision, when it was first given."""
    record = _begin(record, by, Step.APPEAL_DECIDED)
    _not_the_employee(record, heard_by, "the person hearing the appeal")
    if appeal_outcome not in AppealOutcome.values:
        raise DomainError("Choose the outcome of the appeal.")
    reasons = _required(reasons, "Give the reasons for the appeal decision.")
    _not_in_future(heard_on, "date the appeal was heard")
    _not_before(heard_on, record.appeal_lodged_on, "appeal hearing", "the appeal was lodged")
    if appeal_outcome != AppealOutcome.VARIED and (new_outcome or new_warning_expires_on):
        raise DomainError("A new outcome is given only when the decision is varied.")

    if appeal_outcome == AppealOutcome.OVERTURNED:
        record.outcome_in_force, record.warning_expires_on = Outcome.NO_ACTION, None
    elif appeal_outcome == AppealOutcome.VARIED:
        if new_outcome not in Outcome.values:
            raise DomainError("Choose the outcome the decision is varied to.")
        if new_outcome == Outcome.NO_ACTION:
            raise DomainError("To set the outcome aside entirely, choose “Decision overturned”.")
        if new_outcome == record.outcome:
            raise DomainError("The varied outcome is the same as the original; choose “upheld” instead.")
        if _severity(new_outcome) > _severity(record.outcome):
            raise DomainError("An appeal cannot increase the sanction: choose a less severe outcome.")
        record.outcome_in_force = new_outcome
        record.warning_expires_on = _warning_expiry(new_outcome, new_warning_expires_on, record.decided_on)
    record.appeal_heard_on, record.appeal_heard_by = heard_on, heard_by
    record.appeal_outcome, record.appeal_reasons = appeal_outcome, reasons
    return _finish(
        record=record,
        by=by,
        step=Step.APPEAL_DECIDED,
        fields=[
            "appeal_heard_on",
            "appeal_heard_by",
            "appeal_outcome",
            "appeal_reasons",
            "outcome_in_force",
            "warning_expires_on",
        ],
        text=(
            f"Appeal heard on {day(heard_on)} by {heard_by}: {record.get_appeal_outcome_display()}. "
            f"In force: {_in_force_text(record)}. {one_line(reasons)}"
        ),
        what="recorded the appeal's outcome",
    )


@transaction.atomic
def warning_periods_change(*, by, first_written_warning_months, final_written_warning_months):
    """Change how long warnings stay live by default. Warnings already given keep their expiry dates."""
    _check_manager(by)
    periods = WarningPeriods.current()
    before = (periods.first_written_warning_months, periods.final_written_warning_months)
    periods.first_written_warning_months = first_written_warning_months
    periods.final_written_warning_months = final_written_warning_months
    periods.full_clean()
    periods.save()
    audit_record(
        actor=by,
        action=AuditEntry.Action.CHANGE,
        what=(
            f"changed the warning periods from {before[0]} and {before[1]} months to "
            f"{first_written_warning_months} and {final_written_warning_months} months"
        ),
    )
    return periods


# --- Letters ----------------------------------------------------------------------------------------------


@transaction.atomic
def letter_template_change(*, by, template, subject, body):
    """HR change the wording of a letter. Letters already sent are not kept here; the next one uses it."""
    _check_manager(by)
    subject, body = _required(subject, "Give the letter's subject."), _required(body, "Write the letter.")
    for text in (subject, body):
        if refusal := template_refusal(text):
            raise DomainError(refusal)
    template.subject, template.body, template.updated_by = subject, body, by
    template.save(update_fields=["subject", "body", "updated_by", "updated_at"])
    audit_record(
        actor=by,
        action=AuditEntry.Action.CHANGE,
        what=f"changed the letter template “{template.get_kind_display()}”",
    )
    return template


def letter_produce(*, record, kind, by, format):
    """The letter of `kind` for the record, as (subject, text) filled with the record's values; audited as
    an export of the record, since it carries its contents out of the app."""
    _check_manager(by)
    template = LetterTemplate.objects.filter(kind=kind).first()
    if template is None:
        raise DomainError("That letter has no template: ask an administrator to run the migrations.")
    if not letter_ready(record, kind):
        raise DomainError(
            f"The letter “{template.get_kind_display()}” can be produced once {RECORDS[LETTER_AFTER[kind]]} "
            f"is recorded; {record.reference} is at “{record.get_step_display()}”."
        )
    numbers = record.clauses.order_by("clause__section__number", "clause__position").values_list(
        "number", flat=True
    )
    values = letter_values(record, sender=by, clause_numbers=numbers)
    subject = render_letter_text(template.subject, values)
    text = render_letter_text(template.body, values)
    audit_record(
        actor=by,
        action=AuditEntry.Action.EXPORT,
        case=record.case,
        what=f"produced the letter “{template.get_kind_display()}” on disciplinary record {record.reference} "
        f"as {format}",
        details={"record": record.reference},
    )
    return subject, text
