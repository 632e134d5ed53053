"""A step refused because the person lost their right to the case meanwhile (clause 7.1).

The supervisor opens the case and refers it; between the door letting their request in and the step
being taken, the Head of Business and Governance reassigns the case to another supervisor (the race of two
people acting at once, made deterministic here). The supervisor gets a 404 that shows nothing of the case,
as for any case they may not open, and the refused attempt is audited. Someone who still has the right
gets the case page again with the refusal, as before.
"""

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from cases import access
from cases.models import Stage
from tests.confirm import confirmed

pytestmark = pytest.mark.django_db

DESCRIPTION = "A post naming a service user and describing their care."


@pytest.fixture
def case(raise_case, move_to, staff):
    return move_to(raise_case(staff, description=DESCRIPTION), Stage.IN_TRIAGE)


@pytest.fixture
def reassigned_meanwhile(monkeypatch, case, governance, other_supervisor):
    """Once the door has let the next request in, the governance head reassigns the case (through their
    own page) before the step is taken."""
    door = access.get_case_for_user
    done = []

    def door_then_reassign(user, reference, **kwargs):
        found = door(user, reference, **kwargs)
        if not done:
            done.append(True)
            other = Client()
            other.force_login(governance)
            response = other.post(
                reverse("cases:reassign", args=[case.reference]),
                {"to": other_supervisor.pk, "reason": "Supervisor on leave."},
            )
            assert response.status_code == 302
        return found

    monkeypatch.setattr(access, "get_case_for_user", door_then_reassign)


REFER = confirmed({"move": "refer", "refer-expected_stage": Stage.IN_TRIAGE, "refer-reason": "Serious."})
POSTS = {
    "refer": ("cases:move", REFER),
    "reassign": ("cases:reassign", {"to": "head_of_service", "reason": "Needs a Head of Service."}),
    "note": ("cases:add_note", {"text": "Spoke to HR."}),
    "message": ("cases:message_reporter", {"text": "Thank you, we are looking at it."}),
    "breach flag": ("cases:breach_flag", {}),
}


@pytest.mark.parametrize("step", POSTS)
def test_a_step_refused_after_the_right_was_lost_is_a_404_without_the_case(
    client, case, supervisor, head_of_service, reassigned_meanwhile, step
):
    name, data = POSTS[step]
    if data.get("to") == "head_of_service":
        data = {**data, "to": head_of_service.pk}
    client.force_login(supervisor)
    response = client.post(reverse(name, args=[case.reference]), data)
    assert response.status_code == 404
    body = response.content.decode()
    assert case.reference not in body
    assert DESCRIPTION not in body
    assert "Concerned Neighbour" not in body
    refused = AuditEntry.objects.get(actor=supervisor, action=AuditEntry.Action.REFUSED)
    assert refused.case == case
    assert refused.what.endswith(f"on {case.reference}: no longer open to them")
    case.refresh_from_db()
    assert case.stage == Stage.IN_TRIAGE


def test_the_refusal_is_shown_in_the_audit_log(client, case, supervisor, governance, reassigned_meanwhile):
    client.force_login(supervisor)
    client.post(reverse("cases:add_note", args=[case.reference]), {"text": "Spoke to HR."})
    client.force_login(governance)
    text = client.get(reverse("audit:log")).content.decode()
    assert f"was refused adding a note on {case.reference}" in text


def test_a_refusal_to_someone_who_still_handles_the_case_shows_the_case_again(
    client, case, supervisor, governance, move_to
):
    client.force_login(supervisor)
    # The governance head moved the case on since the supervisor opened it.
    move_to(case, Stage.CLOSED_AT_TRIAGE)
    response = client.post(
        reverse("cases:move", args=[case.reference]),
        REFER,
    )
    assert response.status_code == 400
    assert "has moved on since you opened it" in response.content.decode()
    assert DESCRIPTION in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.REFUSED).exists()


def test_a_case_already_lost_before_the_request_is_a_plain_404(client, case, supervisor, governance):
    other = Client()
    other.force_login(governance)
    other.post(
        reverse("cases:reassign", args=[case.reference]),
        {"to": governance.pk, "reason": "Taking it over."},
    )
    client.force_login(supervisor)
    response = client.post(reverse("cases:add_note", args=[case.reference]), {"text": "Spoke to HR."})
    assert response.status_code == 404
    assert case.reference not in response.content.decode()
