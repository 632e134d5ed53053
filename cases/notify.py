"""Who is told what about a case: the event notifications the case services send, and the one helper that
every case notification, these and the timers' (cases.timers), goes through.

Who is told: never the subject of a concern, whatever else they are (`case_messages` filters them out),
nor the person who did what is being told. Titles are neutral, a case reference and what is awaited, never
a name, a platform or what was posted; the link is the case page, which applies its own access rules.
"""

from django.urls import reverse

from notifications.models import Kind
from notifications.services import Message, notifications_clear, notify_each
from people.roles import Role
from people.selectors import role_holders

from .models import AWAITING_DECISION, CLOSED_STAGES, GOVERNANCE_STAGES, TRIAGE_STAGES

# What each piece of work's notifications are, so that doing the work clears them (notifications_clear):
# triage clears what asked for triage (routing, reminders, the escalation of an untriaged case), a
# decision on a referred case what asked for it, closing what asked for the reporter's feedback.
TRIAGE_KINDS = (Kind.CASE_ROUTED, Kind.TRIAGE_REMINDER, Kind.ESCALATION)
DECISION_KINDS = (Kind.CASE_REFERRED, Kind.TRIAGE_REMINDER)
CLOSING_KINDS = (Kind.REPORTER_FEEDBACK, Kind.ACTION_DUE)
BREACH_KINDS = (Kind.PERSONAL_DATA_BREACH, Kind.ESCALATION)
REFERRAL_KINDS = (Kind.REFERRAL_TO_HR,)


def case_messages(*, case, recipients, kind, title, exclude=(), about=None, link=None):
    """What to tell whom about a case. The one place that keeps its subject, and whoever acted, out of it.

    `about` is what the notification asks to be done (the case unless given), for clearing it later."""
    barred = {case.subject_person_id, *(person.pk for person in exclude if person is not None)}
    link = link or case.get_absolute_url()
    about = case if about is None else about
    return [Message(p, kind, title, link, about) for p in recipients if p is not None and p.pk not in barred]


def case_tell(**what):
    return notify_each(case_messages(**what))


def case_routed_notify(*, case):
    case_tell(
        case=case,
        recipients=[case.handler],
        kind=Kind.CASE_ROUTED,
        title=f"Case {case.reference} has been routed to you for triage",
    )


def case_reassigned_notify(*, case, by):
    case_tell(
        case=case,
        recipients=[case.handler],
        kind=Kind.CASE_ROUTED,
        title=f"Case {case.reference} has been assigned to you",
        exclude=[by],
    )


def case_referred_notify(*, case, by):
    case_tell(
        case=case,
        recipients=role_holders(Role.GOVERNANCE),
        kind=Kind.CASE_REFERRED,
        title=f"Case {case.reference} has been referred to you for a decision",
        exclude=[by],
    )


def reporter_message_notify(*, case, by):
    case_tell(
        case=case,
        recipients=[case.reporter],
        kind=Kind.REPORTER_MESSAGE,
        title=f"There is a new message for you about concern {case.reference}",
        exclude=[by],
    )


def answerers(case):
    """Who answers the reporter: the case's handler, and the governance head(s) while the case is with
    them (referred, under review, in action). The handlers' queue of messages from reporters
    (cases.work.reporter_messages_work) lists the same cases for the same people."""
    people = [case.handler]
    if case.stage in GOVERNANCE_STAGES:
        people += list(role_holders(Role.GOVERNANCE))
    return people


def from_reporter_notify(*, case, by, what):
    """The reporter sent a message or added evidence: those who answer them are told (`by` is the
    reporter, or None for an anonymous one)."""
    case_tell(
        case=case,
        recipients=answerers(case),
        kind=Kind.FROM_REPORTER,
        title=f"The reporter of case {case.reference} has {what}",
        exclude=[by],
    )


def case_withdrawn_notify(*, case, by):
    """The handler decides whether the policy requires the case to go on regardless (reopen_triage)."""
    case_tell(
        case=case,
        recipients=answerers(case),
        kind=Kind.CASE_WITHDRAWN,
        title=f"Case {case.reference} was withdrawn by its reporter: check whether it must continue",
        exclude=[by],
    )


def withdrawal_overruled_notify(*, case, by):
    """A withdrawn case was continued: the reporter sees it on their page, and is told to look."""
    case_tell(
        case=case,
        recipients=[case.reporter],
        kind=Kind.REPORTER_MESSAGE,
        title=f"Your concern {case.reference} is continuing",
        exclude=[by],
    )


def referral_to_hr_notify(*, referral, by):
    """HR are told of a disciplinary referral (clauses 2.4, 5.2), never the person referred nor the subject
    of the concern; cleared when a record is opened from it."""
    case_tell(
        case=referral.case,
        recipients=role_holders(Role.HR),
        kind=Kind.REFERRAL_TO_HR,
        title=f"A disciplinary referral from case {referral.case.reference} is waiting for HR",
        exclude=[by, referral.person],
        about=referral,
        link=reverse("cases:referral", args=[referral.pk]),
    )


def referral_opened_clear(*, referral):
    """A record was opened from the referral: nobody in HR needs to act on its notification any more."""
    notifications_clear(about=referral, kinds=REFERRAL_KINDS)


def case_work_done_clear(*, case, previous):
    """The case moved from `previous` to `case.stage`: clear the notifications of the work this finished,
    for everyone they went to."""
    done = set()
    if previous in TRIAGE_STAGES and case.stage not in TRIAGE_STAGES:
        done.update(TRIAGE_KINDS)
    if previous in AWAITING_DECISION and case.stage not in AWAITING_DECISION:
        done.update(DECISION_KINDS)
    if case.stage in CLOSED_STAGES:
        done.update(CLOSING_KINDS)
    if previous in CLOSED_STAGES and case.stage not in CLOSED_STAGES:
        done.add(Kind.CASE_WITHDRAWN)  # the handler decided: the withdrawn case continues
    if done:
        notifications_clear(about=case, kinds=done)


def removal_request_resolved_clear(*, removal_request):
    """Removed or not complied with: the overdue notice about the request has had its answer (2.5)."""
    notifications_clear(about=removal_request, kinds=(Kind.ACTION_DUE,))


def reporter_answered_clear(*, case):
    """A message to the reporter: the warnings standing now (to acknowledge them, or, months on, to give
    them feedback) are answered by it, as their timers are (cases.timers), and so is what the reporter
    sent (their messages and evidence)."""
    notifications_clear(about=case, kinds=(Kind.REPORTER_FEEDBACK, Kind.FROM_REPORTER))
