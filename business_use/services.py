"""Business rules for business use requests. Every change is one transaction that writes the request, its
timeline event and an audit entry together, and tells whoever must act or hear of it."""

from django.db import transaction
from django.utils import timezone

from audit.services import step_record
from cases.models import Route
from cases.services import routing_target
from core.errors import DomainError
from notifications.models import Kind as NotificationKind
from notifications.services import notifications_clear, notify, notify_many

from . import access
from .models import KINDS, MOVES, BusinessUseEvent, BusinessUseRequest, Kind, OfficialAccount, State
from .selectors import who_must_act
from .timers import business_use_timers_on_step

# The fields a requester fills in; which of them a kind uses is decided by its form (forms.KIND_FORMS).
REQUEST_FIELDS = (
    "account",
    "site",
    "purpose",
    "from_date",
    "to_date",
    "recommended_for",
    "topic",
    "content",
    "links",
)


def allowed_moves(*, request, user):
    """The moves the table allows from the request's state to this person."""
    relations = access.request_relations(user, request)
    return [move for move in request.moves_from_here() if relations & move.by]


def _route(request, *, by):
    """Send the request to its first step: the requester's supervisor (6.1, 6.4), or the CBUCP."""
    target = KINDS[request.kind].first_state
    if target == State.WITH_SUPERVISOR:
        try:
            request.approver, request.routing_note = routing_target(reporter=by, route=Route.SUPERVISOR)
        except DomainError as error:
            raise DomainError(
                "There is nobody to approve this request. Please tell the Head of Business and Governance."
            ) from error
    else:
        request.approver, request.routing_note = None, "Sent to the communications team (CBUCP)."
    return target


def _check_account(request):
    """A post goes on an account in use in the register of official accounts (6.1)."""
    if request.kind == Kind.OFFICIAL_POST and not (
        request.account and OfficialAccount.objects.in_use().filter(code=request.account).exists()
    ):
        raise DomainError("Choose one of the official accounts in the register.")


def _clean(fields):
    return {
        name: value.strip() if isinstance(value, str) else value
        for name, value in fields.items()
        if name in REQUEST_FIELDS
    }


@transaction.atomic
def business_use_submit(*, requester, kind, **fields):
    """A member of staff asks to use social media for focus business; the request goes to its first step."""
    if not requester.is_active:
        raise DomainError("Your account cannot make requests.")
    if kind not in KINDS:
        raise DomainError("Choose what kind of request this is.")
    now = timezone.now()
    request = BusinessUseRequest(kind=kind, requester=requester, created_at=now, **_clean(fields))
    _check_account(request)
    request.state = _route(request, by=requester)
    request.state_changed_at = now
    if request.state == State.WITH_COMMUNICATIONS:
        request.reached_communications_at = now
    request.save()
    _record(request, by=requester, label="Submitted", from_state="", text=request.routing_note)
    business_use_timers_on_step(request=request)
    _tell_who_must_act(request)
    return request


@transaction.atomic
def business_use_resubmit(*, request, by, **fields):
    """The requester edits a request they were asked to change and sends it back to their supervisor."""
    request = _lock(request)
    _check_move(request, by, MOVES["resubmit"])
    for name, value in _clean(fields).items():
        setattr(request, name, value)
    _check_account(request)
    # Route again: the supervisor may have left since.
    _route(request, by=request.requester)
    request.save()
    return _apply(request, by=by, move=MOVES["resubmit"], text=request.routing_note)


@transaction.atomic
def business_use_move(
    *,
    request,
    by,
    move,
    text="",
    published_at=None,
    published_where="",
    published_link="",
    expected_state=None,
):
    """Move a request along the workflow. Refused, with nothing changed, unless the table allows it.

    `expected_state` is the state the person saw: if someone else acted meanwhile, they are told.
    """
    request = _lock(request)
    spec = MOVES.get(move)
    if spec is None or spec.name == "resubmit":
        raise DomainError("That is not a step of the workflow.")
    if expected_state is not None and request.state != expected_state:
        raise DomainError(
            f"{request.reference} has moved on since you opened it: it is now "
            f"“{request.get_state_display()}”. Nothing was changed."
        )
    _check_move(request, by, spec)
    text = (text or "").strip()
    if spec.needs_reason and not text:
        raise DomainError("Give the reason.")
    if spec.needs_answer and not text:
        raise DomainError("Write the answer.")
    if spec.records_publication:
        published_where = (published_where or "").strip()
        if not published_where:
            raise DomainError("Say where it was posted.")
        request.published_at = published_at or timezone.now()
        request.published_where = published_where
        request.published_link = (published_link or "").strip()
    if spec.needs_reason or spec.needs_answer:
        request.decision_text = text
    return _apply(request, by=by, move=spec, text=text)


def _lock(request):
    return BusinessUseRequest.objects.select_for_update().get(pk=request.pk)


def _check_move(request, by, spec):
    if request.kind not in spec.kinds:
        raise DomainError(f"“{spec.label}” is not a step for this kind of request.")
    if request.state not in spec.sources:
        raise DomainError(
            f"A request that is “{request.get_state_display()}” cannot be moved to "
            f"“{State(spec.target).label}”."
        )
    if not access.request_relations(by, request) & spec.by:
        raise DomainError(f"You cannot {spec.label.lower()} on this request.")


def _apply(request, *, by, move, text=""):
    previous = request.state
    now = timezone.now()
    request.state, request.state_changed_at = move.target, now
    if move.target == State.WITH_COMMUNICATIONS and request.reached_communications_at is None:
        request.reached_communications_at = now
    request.save()
    if move.records_publication:
        where = f"{request.published_where}, {timezone.localtime(request.published_at):%d %b %Y %H:%M}"
        text = f"{where}. {request.published_link}".strip() if request.published_link else where
    _record(request, by=by, label=move.label, from_state=previous, text=text)
    business_use_timers_on_step(request=request)
    # The step asked of whoever it waited for is taken, by them or another: their notifications are done.
    notifications_clear(about=request, kinds=(NotificationKind.BUSINESS_USE_WAITING,))
    if move.decides:
        _tell_requester(request)
    else:
        _tell_who_must_act(request)
    return request


def _record(request, *, by, label, from_state, text=""):
    step_record(
        BusinessUseEvent(
            request=request, actor=by, from_state=from_state, to_state=request.state, label=label, text=text
        ),
        actor=by,
        what=f"business use request {request.reference}: {label.lower()}",
        details={"business_use_request": request.pk, "from": from_state, "to": request.state},
    )


def _tell_who_must_act(request):
    link = request.get_absolute_url()
    if request.state == State.WITH_SUPERVISOR:
        title = f"A business use request is waiting for your approval: {request.reference}"
    elif request.state == State.WITH_COMMUNICATIONS:
        title = f"A business use request is waiting for the communications team: {request.reference}"
    else:
        return
    notify_many(
        recipients=who_must_act(request),
        kind=NotificationKind.BUSINESS_USE_WAITING,
        title=title,
        link=link,
        about=request,
    )


def _tell_requester(request):
    notify(
        recipient=request.requester,
        kind=NotificationKind.BUSINESS_USE_DECIDED,
        title=f"Your business use request {request.reference} is now: {request.get_state_display().lower()}",
        link=request.get_absolute_url(),
    )
