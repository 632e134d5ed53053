"""Who is told what about a case: the event notifications the case services send, and the one helper that
every case notification, these and the timers' (cases.timers), goes through.

Who is told: never the subject of a concern, whatever else they are (`case_messages` filters them out),
nor the person who did what is being told. Titles are neutral, a case reference and what is awaited, never
a name, a platform or what was posted; the link is the case page, which applies its own access rules.
"""

from notifications.models import Kind
from notifications.services import Message, notify_each
from people.roles import Role
from people.selectors import role_holders


def case_messages(*, case, recipients, kind, title, exclude=()):
    """What to tell whom about a case. The one place that keeps its subject, and whoever acted, out of it."""
    barred = {case.subject_person_id, *(person.pk for person in exclude if person is not None)}
    link = case.get_absolute_url()
    return [Message(p, kind, title, link) for p in recipients if p is not None and p.pk not in barred]


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
