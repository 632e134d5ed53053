"""Every move of the business use table, from every state each kind can reach: allowed only where the
table says, by the people it names, writing the state, a timeline event and an audit entry together."""

import pytest

from audit.models import AuditEntry
from business_use import services
from business_use.models import MOVES, BusinessUseEvent, Kind, State
from core.errors import DomainError
from tests.business_use.conftest import KIND_STATES, MOVE_DETAILS

pytestmark = pytest.mark.django_db

ALL_ACTORS = ["requester", "approver", "communications", "adviser"]


def _doer(move):
    """The person the table lets make the move (the first it names)."""
    return sorted(MOVES[move].by)[0]


@pytest.mark.parametrize("move", [name for name in MOVES if name != "resubmit"])
@pytest.mark.parametrize(("kind", "state"), KIND_STATES)
def test_move_is_allowed_only_where_the_table_says(make_request, actors, move, kind, state):
    spec = MOVES[move]
    request = make_request(kind, state)
    events, audits = request.events.count(), AuditEntry.objects.count()
    allowed = kind in spec.kinds and state in spec.sources
    if allowed:
        moved = services.business_use_move(request=request, by=actors[_doer(move)], move=move, **MOVE_DETAILS)
        assert moved.state == spec.target
        assert request.events.count() == events + 1
        assert request.events.last().label == spec.label
        assert AuditEntry.objects.count() == audits + 1
    else:
        with pytest.raises(DomainError):
            services.business_use_move(request=request, by=actors[_doer(move)], move=move, **MOVE_DETAILS)
        request.refresh_from_db()
        assert request.state == state
        assert request.events.count() == events
        assert AuditEntry.objects.count() == audits


@pytest.mark.parametrize("move", [name for name in MOVES if name != "resubmit"])
def test_only_the_people_the_table_names_make_a_move(make_request, actors, governance, move):
    spec = MOVES[move]
    kind, state = next((k, s) for k, s in KIND_STATES if k in spec.kinds and s in spec.sources)
    request = make_request(kind, state)
    refused = [actors[who] for who in ALL_ACTORS if who not in spec.by] + [governance]
    for person in refused:
        if person.pk == actors[_doer(move)].pk:
            continue
        with pytest.raises(DomainError, match="You cannot"):
            services.business_use_move(request=request, by=person, move=move, **MOVE_DETAILS)
    request.refresh_from_db()
    assert request.state == state


def test_the_adviser_only_answers_questions_about_acceptable_sites(make_request, actors):
    sites = make_request(Kind.ADVICE)
    answered = services.business_use_move(request=sites, by=actors["adviser"], move="answer", text="Yes.")
    assert answered.state == State.ANSWERED
    general = make_request(Kind.ADVICE, topic="using_social_media")
    with pytest.raises(DomainError, match="You cannot"):
        services.business_use_move(request=general, by=actors["adviser"], move="answer", text="Yes.")


@pytest.mark.parametrize(
    ("kind", "move"),
    [
        (Kind.OFFICIAL_POST, "request_changes"),
        (Kind.OFFICIAL_POST, "supervisor_decline"),
        (Kind.RECOMMENDATION, "communications_decline"),
        (Kind.ADVICE, "answer"),
    ],
)
def test_a_reason_or_answer_is_required(make_request, actors, kind, move):
    request = make_request(kind)
    with pytest.raises(DomainError, match="reason|answer"):
        services.business_use_move(request=request, by=actors[_doer(move)], move=move, text="  ")
    request.refresh_from_db()
    assert request.state == services.KINDS[kind].first_state


def test_publishing_records_where_and_when(make_request, actors):
    request = make_request(Kind.OFFICIAL_POST, State.WITH_COMMUNICATIONS)
    with pytest.raises(DomainError, match="where"):
        services.business_use_move(request=request, by=actors["communications"], move="publish")
    published = services.business_use_move(
        request=request,
        by=actors["communications"],
        move="publish",
        published_where="focus Facebook",
        published_link="https://facebook.example/focus/1",
    )
    assert published.published_at is not None
    assert published.published_link == "https://facebook.example/focus/1"
    assert "focus Facebook" in published.events.last().text


def test_resubmit_is_only_for_the_requester_after_changes_were_asked_for(make_request, actors):
    waiting = make_request(Kind.OFFICIAL_POST)
    with pytest.raises(DomainError):
        services.business_use_resubmit(request=waiting, by=actors["requester"], content="New text.")
    changes = make_request(Kind.OFFICIAL_POST, State.CHANGES_REQUESTED)
    with pytest.raises(DomainError, match="You cannot"):
        services.business_use_resubmit(request=changes, by=actors["approver"], content="New text.")
    resubmitted = services.business_use_resubmit(request=changes, by=actors["requester"], content="New text.")
    assert resubmitted.state == State.WITH_SUPERVISOR
    assert resubmitted.content == "New text."
    assert resubmitted.events.last().label == "Resubmit"


def test_resubmit_cannot_go_through_the_move_service(make_request, actors):
    changes = make_request(Kind.OFFICIAL_POST, State.CHANGES_REQUESTED)
    with pytest.raises(DomainError, match="not a step"):
        services.business_use_move(request=changes, by=actors["requester"], move="resubmit")


def test_a_stale_page_is_told_nothing_changed(make_request, actors):
    request = make_request(Kind.OFFICIAL_POST)
    services.business_use_move(request=request, by=actors["requester"], move="withdraw")
    with pytest.raises(DomainError, match="moved on"):
        services.business_use_move(
            request=request,
            by=actors["approver"],
            move="approve_content",
            expected_state=State.WITH_SUPERVISOR,
        )


def test_allowed_moves_are_what_the_table_gives_this_person(make_request, actors, governance):
    request = make_request(Kind.OFFICIAL_POST)
    names = lambda person: {m.name for m in services.allowed_moves(request=request, user=person)}  # noqa: E731
    assert names(actors["approver"]) == {"approve_content", "request_changes", "supervisor_decline"}
    assert names(actors["requester"]) == {"withdraw"}
    assert names(actors["communications"]) == set()
    assert names(governance) == set()


def test_every_change_writes_one_event(make_request):
    request = make_request(Kind.OFFICIAL_POST, State.PUBLISHED)
    labels = list(BusinessUseEvent.objects.filter(request=request).values_list("label", flat=True))
    assert labels == ["Submitted", MOVES["approve_content"].label, MOVES["publish"].label]
