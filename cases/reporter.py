"""What the reporter does on their case after raising it: write to the handler, add evidence.

`by` is the reporter's account, or None for the anonymous reporter of an anonymous case, whose receipt
key the caller (cases.views.anonymous) has checked: nothing here records who or where they are.
"""

from django.db import transaction

from audit.services import step_record
from core.errors import DomainError

from . import access
from .evidence import evidence_add
from .models import Case, CaseEvent


def _check_reporter(case, by, what):
    if by is None:
        if not case.is_anonymous:
            raise DomainError(f"You cannot {what} on this case.")
    elif access.case_relation(by, case) != access.REPORTER:
        raise DomainError(f"You cannot {what} on this case.")
    if case.is_closed:
        raise DomainError(f"This concern is closed: you cannot {what} on it.")


@transaction.atomic
def reporter_send_message(*, case, by, text):
    """The reporter writes to whoever handles their concern; the handler reads it on the case timeline."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check_reporter(case, by, "send a message")
    text = (text or "").strip()
    if not text:
        raise DomainError("Write the message before sending it.")
    return step_record(
        CaseEvent(
            case=case, kind=CaseEvent.Kind.REPORTER_MESSAGE, actor=by, text=text, visible_to_reporter=True
        ),
        actor=by,
        case=case,
        what=f"the reporter sent a message on {case.reference}",
    )


def reporter_add_evidence(*, case, files, by, note=""):
    """The reporter adds evidence to their open concern (checked and sealed as at raising), with a note
    to the handler if they wrote one."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        _check_reporter(case, by, "add evidence")
        added = evidence_add(case=case, by=by, files=files, record_event=False)
        names = ", ".join(evidence.original_name for evidence in added)
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.EVIDENCE,
            actor=by,
            text=f"Added evidence: {names}",
            visible_to_reporter=True,
        )
        if (note or "").strip():
            reporter_send_message(case=case, by=by, text=note)
    return added
