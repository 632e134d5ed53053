"""The playbook checklist on the case page: each step of the clauses the case cites done (its action
recorded, with the day), due (by its day, in working days from its start) or missed; a step to consider
marked as considered by the handler, with a note on the timeline."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from cases import actions
from cases.models import ActionKind, CaseEvent, PlaybookStep, StepConsidered
from tests.cases.playbook_fixtures import MAUNDY_THURSDAY, at, move

pytestmark = pytest.mark.django_db


def state(client, user, case, step, when):
    """The step's row state on the case page, as `user` sees it at `when`."""
    with time_machine.travel(when, tick=False):
        client.force_login(user)
        response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    found = re.search(rf'id="playbook-step-{step.pk}" data-state="(\w+)"', response.text)
    return found and found[1], response.text


@pytest.mark.parametrize(
    "when, expected, says",
    [
        # Six days ahead, but Friday and Monday are bank holidays: 2 working days.
        (at(2026, 4, 2, 15), "due", "due in 2 working days"),
        (at(2026, 4, 4, 12), "due", "due in 2 working days"),
        (at(2026, 4, 6, 12), "due", "due in 2 working days"),
        (at(2026, 4, 7, 9), "due", "due in 1 working day"),
        (at(2026, 4, 8, 23, 59), "due", "due today"),
        (at(2026, 4, 9, 0, 1), "missed", "overdue by 1 working day"),
    ],
)
def test_a_step_counts_working_days_from_the_citing_over_a_bank_holiday_weekend(
    client, supervisor, raise_citing, step, when, expected, says
):
    removal = step("2.5")
    case = raise_citing(MAUNDY_THURSDAY, "2.5")
    found, page = state(client, supervisor, case, removal, when)
    assert found == expected
    assert "8 April 2026" in page
    assert says in page


def test_a_step_counted_from_the_referral_waits_for_it(client, supervisor, governance, raise_citing, step):
    removal = step("2.5", starts_from=PlaybookStep.Start.REFERRED, working_days=1)
    case = raise_citing(at(2026, 4, 1, 9), "2.5")
    assert state(client, supervisor, case, removal, at(2026, 4, 1, 10))[0] == "waiting"
    move(at(2026, 4, 1, 11), case, supervisor, "start_triage")
    case = move(at(2026, 4, 1, 12), case, supervisor, "refer")
    # Referred on Wednesday: 1 working day is Thursday; missed from Friday, a bank holiday.
    assert state(client, governance, case, removal, at(2026, 4, 2, 18))[0] == "due"
    assert state(client, governance, case, removal, at(2026, 4, 3, 9))[0] == "missed"


def test_a_step_is_done_when_its_action_is_recorded_and_shows_the_day(
    client, governance, supervisor, raise_citing, step
):
    removal = step("2.5")
    police = step("2.5", action=ActionKind.POLICE_REFERRAL, label="Refer to the police")
    case = raise_citing(MAUNDY_THURSDAY, "2.5")
    for name, who in [("start_triage", supervisor), ("refer", supervisor), ("start_review", governance)]:
        case = move(at(2026, 4, 7, 9), case, who, name)
    with time_machine.travel(at(2026, 4, 7, 10), tick=False):
        actions.removal_request_record(
            case=case,
            by=governance,
            requested_from="The author",
            sent_on=datetime.date(2026, 4, 7),
            deadline=datetime.date(2026, 4, 9),
        )
    found, page = state(client, governance, case, removal, at(2026, 4, 10, 9))
    assert found == "done"
    assert "7 April 2026" in page
    # The other step of the clause waits for its own action, and is missed by now.
    assert state(client, governance, case, police, at(2026, 4, 10, 9))[0] == "missed"


def test_the_checklist_costs_the_case_page_the_same_queries_however_many_steps(
    client, django_assert_max_num_queries, supervisor, raise_citing, step
):
    case = raise_citing(MAUNDY_THURSDAY, "2.5", "2.3")
    client.force_login(supervisor)
    with CaptureQueriesContext(connection) as without_steps:
        client.get(case.get_absolute_url())
    for number in range(10):
        made = step(
            "2.3" if number % 2 else "2.5",
            requirement=PlaybookStep.Requirement.CONSIDER,
            starts_from=PlaybookStep.Start.REFERRED if number % 3 else PlaybookStep.Start.CITED,
        )
        if number % 4 == 0:
            StepConsidered.objects.create(case=case, step=made, by=supervisor, note="Considered.")
    with django_assert_max_num_queries(len(without_steps)):
        response = client.get(case.get_absolute_url())
    assert response.text.count('id="playbook-step-') == 10


def test_a_case_without_a_playbook_clause_shows_no_checklist(client, supervisor, raise_citing, step):
    step("2.5")
    case = raise_citing(MAUNDY_THURSDAY, "5.2")
    client.force_login(supervisor)
    assert "Playbook checklist" not in client.get(case.get_absolute_url()).text


def test_the_playbook_follows_the_clause_number_not_one_version(client, supervisor, raise_citing, step):
    removal = step("2.5")
    case = raise_citing(MAUNDY_THURSDAY, "2.5")
    other_clause = step("2.4", label="Of another clause")
    assert state(client, supervisor, case, removal, MAUNDY_THURSDAY)[0] == "due"
    assert state(client, supervisor, case, other_clause, MAUNDY_THURSDAY)[0] is None


# --- Considering a step ---------------------------------------------------------------------------------


@pytest.fixture
def to_consider(step):
    return step(
        "2.3",
        action=ActionKind.POLICE_REFERRAL,
        requirement=PlaybookStep.Requirement.CONSIDER,
        label="Consider a police referral",
        working_days=1,
    )


def consider(client, user, case, step, note="Not a police matter: no threat."):
    client.force_login(user)
    url = reverse("cases:playbook_considered", args=[case.reference, step.pk])
    return client.post(url, {f"step{step.pk}-note": note})


def test_the_handler_marks_a_step_to_consider_as_considered(client, supervisor, raise_citing, to_consider):
    case = raise_citing(MAUNDY_THURSDAY, "2.3")
    with time_machine.travel(at(2026, 4, 2, 11), tick=False):
        response = consider(client, supervisor, case, to_consider)
    assert response.status_code == 302
    considered = StepConsidered.objects.get(case=case, step=to_consider)
    assert considered.by == supervisor
    event = case.events.get(kind=CaseEvent.Kind.NOTE)
    assert "Consider a police referral" in event.text and "Not a police matter" in event.text
    assert AuditEntry.objects.filter(actor=supervisor, what__contains="considered the clause 2.3").exists()
    found, page = state(client, supervisor, case, to_consider, at(2026, 4, 20))
    assert found == "done"
    assert "Not a police matter" in page


def test_a_step_is_considered_once_and_needs_a_note(client, supervisor, raise_citing, to_consider):
    case = raise_citing(MAUNDY_THURSDAY, "2.3")
    assert consider(client, supervisor, case, to_consider, note="  ").status_code == 400
    assert consider(client, supervisor, case, to_consider).status_code == 302
    response = consider(client, supervisor, case, to_consider)
    assert response.status_code == 400
    assert "already been considered" in response.text
    assert StepConsidered.objects.count() == 1


def test_a_required_step_is_not_done_by_considering_it(client, supervisor, raise_citing, step):
    removal = step("2.5")
    case = raise_citing(MAUNDY_THURSDAY, "2.5")
    response = consider(client, supervisor, case, removal)
    assert response.status_code == 400
    assert not StepConsidered.objects.exists()


def test_a_step_of_a_clause_the_case_does_not_cite_is_refused(client, supervisor, raise_citing, to_consider):
    case = raise_citing(MAUNDY_THURSDAY, "5.2")
    assert consider(client, supervisor, case, to_consider).status_code == 400
    assert not StepConsidered.objects.exists()


@pytest.mark.parametrize("who", ["staff", "other_staff", "hr", "outsider", "other_supervisor"])
def test_only_those_who_handle_the_case_may_consider_a_step(client, request, raise_citing, to_consider, who):
    case = raise_citing(MAUNDY_THURSDAY, "2.3")
    assert consider(client, request.getfixturevalue(who), case, to_consider).status_code == 404
    assert not StepConsidered.objects.exists()


def test_the_governance_head_may_consider_a_step(client, governance, raise_citing, to_consider):
    case = raise_citing(MAUNDY_THURSDAY, "2.3")
    assert consider(client, governance, case, to_consider).status_code == 302


def test_the_reporter_sees_no_checklist(client, staff, raise_citing, to_consider):
    case = raise_citing(MAUNDY_THURSDAY, "2.3")
    client.force_login(staff)
    assert "Playbook checklist" not in client.get(case.get_absolute_url()).text
