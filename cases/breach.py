"""The personal data breach clock (UK GDPR article 33).

A case flagged as disclosing personal data of a service user, carer or colleague starts a clock: every
Head of Information & Security is told at once and given `decide_breach` on the case; they are reminded
at 24 and 48 hours if no decision is recorded; at 60 hours the Head of Business and Governance is told;
the decision whether to report to the Information Commissioner's Office is due at 72 hours. Hours are
clock hours: article 33 counts calendar time, not working days. The limits live in
reminders.models.Limits; the sweep (reminders.sweep) fires the timers and calls the handlers below.

Notifications carry the case reference and the deadline, never names or what was posted.
"""

import datetime

from django.db import models, transaction
from django.utils import timezone

from audit.services import step_record
from core.errors import DomainError
from notifications.models import Kind
from notifications.services import notifications_clear, notify_many
from people.roles import Role
from people.selectors import role_holders
from reminders.models import Limits, Timer
from reminders.sweep import handles, timers_cancel

from . import access
from .models import BreachDecision, Case, CaseEvent, CaseUserObjectPermission


class BreachTimer(models.TextChoices):
    """The clock's kinds of timer; the subject of each is the flagged case."""

    REMINDER = "breach_reminder", "Remind: personal data breach decision"
    ESCALATION = "breach_escalation", "Escalate: personal data breach decision"


BREACH_TIMERS = tuple(BreachTimer)


def _deadline_words(case):
    return f"{timezone.localtime(case.breach_decision_due_at()):%d %b %Y %H:%M}"


def _link(case):
    return f"{case.get_absolute_url()}#breach-heading"


def breach_deciders_grant(*, case, heads=None):
    """Give every active Head of Information & Security, except the subject, `decide_breach` on the case.

    Run when the clock starts and again at each reminder, so a head appointed meanwhile is included.
    Returns those people. One query to find them (unless given), one to grant.
    """
    heads = list(role_holders(Role.INFOSEC) if heads is None else heads)
    heads = [head for head in heads if head.pk != case.subject_person_id]
    if heads:
        CaseUserObjectPermission.objects.assign_perm_to_many(
            "decide_breach", heads, case, ignore_conflicts=True
        )
    return heads


@transaction.atomic
def breach_clock_start(*, case, by):
    """Start the 72-hour clock on a case: tell the Head(s) of Information & Security, set the timers.

    The case row is claimed with a conditional update, so the clock starts once however often it is asked.
    """
    now = timezone.now()
    if not Case.objects.filter(pk=case.pk, personal_data_breach_at__isnull=True).update(
        personal_data_breach_at=now, updated_at=now
    ):
        raise DomainError(f"{case.reference} is already flagged as a possible personal data breach.")
    case.personal_data_breach_at = now

    limits = Limits.current()
    hours = [h for h in Limits.numbers(limits.breach_reminder_hours) if 0 < h < limits.breach_decision_hours]
    timers = [
        Timer(kind=BreachTimer.REMINDER, subject=case, note=str(h), due_at=now + datetime.timedelta(hours=h))
        for h in sorted(hours)
    ]
    timers.append(
        Timer(
            kind=BreachTimer.ESCALATION,
            subject=case,
            note=str(limits.breach_escalation_hours),
            due_at=now + datetime.timedelta(hours=limits.breach_escalation_hours),
        )
    )
    Timer.objects.bulk_create(timers)

    deadline = _deadline_words(case)
    heads = breach_deciders_grant(case=case)
    # With nobody in the role, the governance head must know at once rather than at 60 hours.
    recipients = heads or [p for p in role_holders(Role.GOVERNANCE) if p.pk != case.subject_person_id]
    notify_many(
        recipients=recipients,
        kind=Kind.PERSONAL_DATA_BREACH,
        title=f"Possible personal data breach on case {case.reference}: decide by {deadline}",
        link=_link(case),
        about=case,
    )
    step_record(
        CaseEvent(
            case=case,
            kind=CaseEvent.Kind.ACTION,
            actor=by,
            at=now,
            text=(
                "Flagged as a possible personal data breach (UK GDPR article 33). The decision whether to "
                f"report it to the Information Commissioner's Office is due by {deadline}."
            ),
        ),
        actor=by,
        case=case,
        what=f"flagged {case.reference} as a possible personal data breach",
    )
    return case


@transaction.atomic
def breach_flag(*, case, by):
    """A handler or the governance head flags a case after it was raised: the clock starts now."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if access.case_relation(by, case) not in (access.HANDLER, access.GOVERNANCE):
        raise DomainError("You cannot flag this case as a personal data breach.")
    if case.personal_data_breach_at is not None:
        raise DomainError(f"{case.reference} is already flagged as a possible personal data breach.")
    return breach_clock_start(case=case, by=by)


@transaction.atomic
def breach_decision_record(*, case, by, reported_to_ico, reasons, ico_reference=""):
    """Record, once, whether the breach was reported to the ICO and why; the clock's timers stop."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if access.case_relation(by, case) not in (access.INFOSEC, access.GOVERNANCE):
        raise DomainError("You cannot record the personal data breach decision on this case.")
    if case.personal_data_breach_at is None:
        raise DomainError(f"{case.reference} is not flagged as a possible personal data breach.")
    if BreachDecision.objects.filter(case=case).exists():
        raise DomainError("The decision on this breach has already been recorded; it cannot be changed.")
    reasons = (reasons or "").strip()
    ico_reference = (ico_reference or "").strip()
    if not reasons:
        raise DomainError("Give the reasons for the decision.")
    if reported_to_ico and not ico_reference:
        raise DomainError("Give the ICO's reference for the report.")
    now = timezone.now()
    late = case.breach_decision_is_overdue(now)
    decision = BreachDecision.objects.create(
        case=case,
        reported_to_ico=bool(reported_to_ico),
        reasons=reasons,
        ico_reference=ico_reference,
        decided_by=by,
        decided_at=now,
    )
    timers_cancel(case, kind__in=BREACH_TIMERS)
    notifications_clear(about=case, kinds=(Kind.PERSONAL_DATA_BREACH, Kind.ESCALATION))
    if reported_to_ico:
        what = f"Reported to the Information Commissioner's Office (reference {ico_reference})."
    else:
        what = "Not reported to the Information Commissioner's Office."
    if late:
        what += f" Recorded after the {Limits.current().breach_decision_hours}-hour deadline."
    step_record(
        CaseEvent(
            case=case,
            kind=CaseEvent.Kind.ACTION,
            actor=by,
            at=now,
            text=f"Personal data breach decision: {what}\nReasons: {reasons}",
        ),
        actor=by,
        case=case,
        what=f"recorded the personal data breach decision on {case.reference}",
    )
    return decision


def _waiting_cases(timers):
    """The flagged cases of these timers with no decision yet, each once (late sweeps bring several), in
    the order their timers fell due. Two queries, whatever the number of timers."""
    ids = dict.fromkeys(t.subject_id for t in timers)
    cases = Case.objects.filter(personal_data_breach_at__isnull=False).in_bulk(list(ids))
    decided = set(BreachDecision.objects.filter(case_id__in=cases).values_list("case_id", flat=True))
    return [cases[pk] for pk in ids if pk in cases and pk not in decided]


@handles(BreachTimer.REMINDER)
def breach_reminders_send(*, timers, now):
    cases = _waiting_cases(timers)
    heads = list(role_holders(Role.INFOSEC)) if cases else []
    for case in cases:
        recipients = breach_deciders_grant(case=case, heads=heads)
        notify_many(
            recipients=recipients,
            kind=Kind.PERSONAL_DATA_BREACH,
            title=(
                f"Reminder: decide by {_deadline_words(case)} whether to report the possible personal "
                f"data breach on case {case.reference}"
            ),
            link=_link(case),
            about=case,
        )


@handles(BreachTimer.ESCALATION)
def breach_escalations_send(*, timers, now):
    cases = _waiting_cases(timers)
    heads = list(role_holders(Role.GOVERNANCE)) if cases else []
    for case in cases:
        deadline = _deadline_words(case)
        hours = round((now - case.personal_data_breach_at).total_seconds() / 3600)
        notify_many(
            recipients=[head for head in heads if head.pk != case.subject_person_id],
            kind=Kind.ESCALATION,
            title=(
                f"Escalated: no decision yet on the possible personal data breach on case {case.reference}"
                f" (due by {deadline})"
            ),
            link=_link(case),
            about=case,
        )
        step_record(
            CaseEvent(
                case=case,
                kind=CaseEvent.Kind.ESCALATED,
                actor=None,
                at=now,
                text=(
                    f"No decision on reporting the possible personal data breach after {hours} hours: "
                    f"escalated to the Head of Business and Governance. The decision is due by {deadline}."
                ),
            ),
            actor=None,
            case=case,
            what=f"escalated the personal data breach decision on {case.reference}",
        )
