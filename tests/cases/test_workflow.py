"""The workflow table: every allowed move, every refused one, and two people acting at once."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from audit.models import AuditEntry
from cases import services
from cases.models import MOVES, Case, CaseEvent, Outcome, Stage
from core.errors import DomainError
from tests.confirm import confirmed

pytestmark = pytest.mark.django_db

ALLOWED = {(source, move.name) for move in MOVES.values() for source in move.sources}
# The moves made on the handler's page; the reporter's withdrawal is tested in test_reporter_withdraw.py.
HANDLERS_MOVES = {name: spec for name, spec in MOVES.items() if "reporter" not in spec.by}


def move(client, case, name, **data):
    return client.post(
        reverse("cases:move", args=[case.reference]),
        confirmed(
            {
                "move": name,
                f"{name}-expected_stage": data.pop("expected_stage", case.stage),
                **{f"{name}-{key}": value for key, value in data.items()},
            }
        ),
        follow=True,
    )


@pytest.mark.parametrize("source, name", sorted((s, n) for s, n in ALLOWED if n in HANDLERS_MOVES))
def test_every_allowed_move(client, case_about_colleague, move_to, governance, source, name):
    case = move_to(case_about_colleague, source)
    spec = MOVES[name]
    by = governance if spec.by == {"governance"} else case.handler
    client.force_login(by)
    response = move(client, case, name, reason="Because.", outcome=Outcome.NO_BREACH)
    case.refresh_from_db()
    assert case.stage == spec.target, response.context and response.text
    event = case.events.filter(kind=CaseEvent.Kind.STAGE).last()
    assert (event.from_stage, event.to_stage, event.actor) == (source, spec.target, by)
    assert AuditEntry.objects.filter(case=case, actor=by, what__contains="moved").exists()


@pytest.mark.parametrize(
    "source, name",
    sorted((stage, name) for stage in Stage.values for name in MOVES if (stage, name) not in ALLOWED),
)
def test_every_move_the_table_does_not_allow_is_refused_and_changes_nothing(
    case_about_colleague, move_to, governance, source, name
):
    case = move_to(case_about_colleague, source)
    events = case.events.count()
    with pytest.raises(DomainError, match="cannot be moved to"):
        services.case_move(case=case, by=governance, move=name, reason="Because.", outcome=Outcome.NO_BREACH)
    case.refresh_from_db()
    assert case.stage == source
    assert case.events.count() == events


@pytest.mark.parametrize("name", ["start_review", "start_action", "close", "reopen_review"])
def test_the_handler_cannot_make_governance_moves(client, case_about_colleague, move_to, name):
    source = MOVES[name].sources[0]
    case = move_to(case_about_colleague, source)
    # The handler keeps seeing the case after referral; the move is simply not theirs to make.
    client.force_login(case.handler)
    response = move(client, case, name, reason="x", outcome=Outcome.NO_BREACH)
    assert response.status_code == 400
    assert "You cannot" in response.context["page_error"]
    case.refresh_from_db()
    assert case.stage == source


@pytest.mark.parametrize("who", ["handler", "governance"])
def test_only_the_reporter_withdraws_a_concern(client, case_about_colleague, governance, who):
    case = case_about_colleague
    client.force_login(case.handler if who == "handler" else governance)
    response = move(client, case, "withdraw", reason="On their behalf.")
    assert response.status_code == 400
    assert "You cannot" in response.context["page_error"]
    case.refresh_from_db()
    assert (case.stage, case.withdrawn_at) == (Stage.SUBMITTED, None)


def test_the_page_offers_only_the_moves_allowed_to_this_person(
    client, case_about_colleague, governance, move_to
):
    case = move_to(case_about_colleague, Stage.REFERRED)
    client.force_login(case.handler)
    offered = [m.name for m, _ in client.get(case.get_absolute_url()).context["moves"]]
    assert offered == []
    client.force_login(governance)
    offered = [m.name for m, _ in client.get(case.get_absolute_url()).context["moves"]]
    assert offered == ["start_review"]


def test_reasons_and_outcomes_are_required_where_the_table_says(
    client, case_about_colleague, move_to, governance
):
    case = move_to(case_about_colleague, Stage.IN_TRIAGE)
    client.force_login(case.handler)
    response = move(client, case, "close_at_triage", reason="  ")
    assert "This field is required." in response.text
    services.case_move(case=case, by=case.handler, move="refer", reason="Needs governance.")
    case = services.case_move(case=case, by=governance, move="start_review")
    client.force_login(governance)
    response = move(client, case, "close", reason="Done.", outcome="")
    assert "This field is required." in response.text
    assert "Done." in response.text
    response = move(client, case, "close", reason="Done.", outcome="no_further_action")
    assert "Select a valid choice" in response.text
    with pytest.raises(DomainError, match="Choose the outcome of the case."):
        services.case_move(case=case, by=governance, move="close", reason="Done.", outcome="")
    assert Case.objects.get(pk=case.pk).stage == Stage.UNDER_REVIEW


def test_closing_at_triage_records_no_further_action(case_about_colleague):
    case = services.case_move(
        case=case_about_colleague,
        by=case_about_colleague.handler,
        move="close_at_triage",
        reason="Not our matter.",
    )
    assert (case.stage, case.outcome) == (Stage.CLOSED_AT_TRIAGE, Outcome.NO_FURTHER_ACTION)
    assert "Not our matter." in case.events.last().text


def test_reopening_clears_the_outcome_and_needs_a_reason(case_about_colleague, move_to, governance):
    case = move_to(case_about_colleague, Stage.CLOSED)
    with pytest.raises(DomainError, match="reason"):
        services.case_move(case=case, by=governance, move="reopen_review")
    case = services.case_move(case=case, by=governance, move="reopen_review", reason="New evidence came in.")
    assert (case.stage, case.outcome) == (Stage.UNDER_REVIEW, "")


def test_a_stale_page_is_refused_with_a_clear_message(client, case_about_colleague, governance):
    case = case_about_colleague
    client.force_login(case.handler)
    move(client, case, "start_triage")
    # Governance had the page open while the case was still "Submitted".
    client.force_login(governance)
    response = move(client, case, "close_at_triage", reason="Nothing in it.", expected_stage=Stage.SUBMITTED)
    assert "has moved on since you opened it" in response.text
    case.refresh_from_db()
    assert case.stage == Stage.IN_TRIAGE


def test_an_unknown_move_is_refused(client, case_about_colleague):
    client.force_login(case_about_colleague.handler)
    response = move(client, case_about_colleague, "delete_everything")
    assert response.status_code == 400
    assert Case.objects.get().stage == Stage.SUBMITTED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL, as in CI")
@pytest.mark.django_db(transaction=True)
def test_two_people_acting_at_once_cannot_both_win(case_about_colleague, governance):
    case = case_about_colleague
    services.case_move(case=case, by=case.handler, move="start_triage")
    barrier = threading.Barrier(2)
    results = []

    def act(by, name, reason):
        barrier.wait()
        try:
            services.case_move(case=case, by=by, move=name, reason=reason, expected_stage=Stage.IN_TRIAGE)
            results.append(name)
        except DomainError as error:
            results.append(str(error))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(case.handler, "close_at_triage", "No further action.")),
        threading.Thread(target=act, args=(governance, "refer", "Needs a governance review.")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    case.refresh_from_db()
    winners = [r for r in results if r in ("close_at_triage", "refer")]
    assert len(winners) == 1
    assert any("has moved on since you opened it" in r for r in results)
    assert case.stage == MOVES[winners[0]].target
    assert case.events.filter(kind=CaseEvent.Kind.STAGE).count() == 2


# --- Steps that cannot be undone are confirmed on the page first (core.confirm) ---------------------------

IRREVERSIBLE = sorted(name for name, spec in HANDLERS_MOVES.items() if spec.confirm)


def move_unconfirmed(client, case, name, **data):
    return client.post(
        reverse("cases:move", args=[case.reference]),
        {
            "move": name,
            f"{name}-expected_stage": case.stage,
            **{f"{name}-{key}": value for key, value in data.items()},
        },
    )


def test_closing_and_referring_are_the_steps_to_confirm():
    assert IRREVERSIBLE == ["close", "close_at_triage", "refer"]


@pytest.mark.parametrize("name", IRREVERSIBLE)
def test_an_irreversible_move_is_checked_first_and_changes_nothing(
    client, case_about_colleague, move_to, governance, name
):
    spec = MOVES[name]
    case = move_to(case_about_colleague, spec.sources[-1])
    client.force_login(governance)
    events = case.events.count()

    response = move_unconfirmed(
        client, case, name, reason="Because.\nSecond line.", outcome=Outcome.NO_BREACH
    )

    assert response.status_code == 200
    assert f"Check before you confirm: {spec.label}" in response.text
    assert "This cannot be undone" in response.text
    assert f"Case {case.reference} will be" in response.text
    # The Confirm button posts the same data again, with confirm=1; Go back leads to the case.
    assert f'action="{reverse("cases:move", args=[case.reference])}"' in response.text
    assert f'name="{name}-reason" value="Because.\nSecond line."' in response.text
    assert f'name="move" value="{name}"' in response.text
    assert 'name="confirm" value="1"' in response.text
    assert f'<a href="{case.get_absolute_url()}">Go back</a>' in response.text
    case.refresh_from_db()
    assert case.stage == spec.sources[-1]
    assert case.events.count() == events


def test_the_check_says_the_outcome_chosen(client, case_about_colleague, move_to, governance):
    case = move_to(case_about_colleague, Stage.UNDER_REVIEW)
    client.force_login(governance)
    response = move_unconfirmed(client, case, "close", reason="Removed.", outcome=Outcome.CONTENT_REMOVED)
    assert f"Case {case.reference} will be closed with the outcome “Content removed”." in response.text


def test_an_invalid_irreversible_move_shows_its_errors_not_the_check(
    client, case_about_colleague, move_to, governance
):
    case = move_to(case_about_colleague, Stage.UNDER_REVIEW)
    client.force_login(governance)
    response = move_unconfirmed(client, case, "close", reason="")
    assert response.status_code == 400
    assert "Check before you confirm" not in response.text
    case.refresh_from_db()
    assert case.stage == Stage.UNDER_REVIEW


def test_a_move_that_can_be_undone_needs_no_check(client, case_about_colleague, governance):
    client.force_login(case_about_colleague.handler)
    response = move_unconfirmed(client, case_about_colleague, "start_triage")
    assert response.status_code == 302
    case_about_colleague.refresh_from_db()
    assert case_about_colleague.stage == Stage.IN_TRIAGE


def test_the_confirmed_post_is_still_refused_to_someone_who_may_not_move(
    client, case_about_colleague, move_to, outsider, other_supervisor
):
    case = move_to(case_about_colleague, Stage.IN_TRIAGE)
    for who in (outsider, other_supervisor):
        client.force_login(who)
        assert move_unconfirmed(client, case, "close_at_triage", reason="No.").status_code == 404
        assert move(client, case, "close_at_triage", reason="No.").status_code == 404
    case.refresh_from_db()
    assert case.stage == Stage.IN_TRIAGE
