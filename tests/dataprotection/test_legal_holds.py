"""Legal holds: the Head of Business and Governance places one on a case (from its page) or on a person, and
lifts it, each with a reason and each in the audit log."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from cases.models import Stage
from dataprotection.models import LegalHold

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(raise_case, move_to, staff):
    return move_to(raise_case(staff), Stage.CLOSED_AT_TRIAGE)


def test_the_case_page_offers_the_governance_head_a_hold(client, governance, case):
    client.force_login(governance)

    page = client.get(case.get_absolute_url()).content.decode()

    assert reverse("dataprotection:hold_case", args=[case.reference]) in page


def test_the_handler_is_not_offered_a_hold(client, case):
    client.force_login(case.handler)

    page = client.get(case.get_absolute_url()).content.decode()

    assert "Legal hold" not in page


def test_a_hold_is_placed_with_its_reason_audited_and_shown_on_the_case(client, governance, case):
    client.force_login(governance)

    response = client.post(
        reverse("dataprotection:hold_case", args=[case.reference]), {"reason": "Tribunal claim ET/1234."}
    )

    assert response.status_code == 302 and response.url == case.get_absolute_url()
    hold = LegalHold.objects.in_force().get(case=case)
    assert (hold.reason, hold.placed_by) == ("Tribunal claim ET/1234.", governance)
    assert AuditEntry.objects.filter(
        case=case, actor=governance, what__startswith="placed a legal hold"
    ).exists()
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Under a legal hold" in page and "Tribunal claim ET/1234." in page


def test_a_hold_without_a_reason_is_refused_with_a_message(client, governance, case):
    client.force_login(governance)

    response = client.post(reverse("dataprotection:hold_case", args=[case.reference]), {"reason": "  "})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not LegalHold.objects.exists()


def test_a_second_hold_on_the_same_case_is_refused(client, governance, case):
    LegalHold.objects.create(case=case, reason="First.", placed_by=governance)
    client.force_login(governance)

    response = client.post(reverse("dataprotection:hold_case", args=[case.reference]), {"reason": "Second."})

    assert response.status_code == 400
    assert "There is already a legal hold on this." in response.content.decode()
    assert LegalHold.objects.count() == 1


def test_a_hold_is_lifted_with_a_reason_and_audited(client, governance, case):
    hold = LegalHold.objects.create(case=case, reason="Claim.", placed_by=governance)
    client.force_login(governance)
    lift = reverse("dataprotection:hold_lift", args=[hold.pk])

    refused = client.post(lift, {"reason": ""})
    assert refused.status_code == 400
    assert LegalHold.objects.in_force().exists()

    response = client.post(lift, {"reason": "The claim was settled."})

    assert response.status_code == 302
    hold.refresh_from_db()
    assert (hold.lift_reason, hold.lifted_by) == ("The claim was settled.", governance)
    assert hold.lifted_at is not None
    assert AuditEntry.objects.filter(case=case, what__startswith="lifted the legal hold").exists()
    # Lifted once: the page to lift it is gone.
    assert client.get(lift).status_code == 404


def test_a_hold_on_a_person_is_placed_by_username(client, governance, other_staff):
    client.force_login(governance)
    holds = reverse("dataprotection:holds")

    unknown = client.post(holds, {"person": "nobody-here", "reason": "Claim."})
    assert unknown.status_code == 400
    assert "There is nobody with the username" in unknown.content.decode()

    response = client.post(holds, {"person": other_staff.username, "reason": "Police investigation."})

    assert response.status_code == 302
    assert LegalHold.objects.in_force().get().person == other_staff
    assert AuditEntry.objects.filter(
        actor=governance, what="placed a legal hold on a person", details__person=other_staff.username
    ).exists()
    assert "Police investigation." in client.get(holds).content.decode()


def test_an_anonymised_case_says_so_on_its_page(client, governance, case):
    type(case).objects.filter(pk=case.pk).update(anonymised_at=timezone.now())
    client.force_login(governance)

    assert "Anonymised on" in client.get(case.get_absolute_url()).content.decode()


def test_the_demo_has_a_hold_and_a_request_waiting(client):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    hold = LegalHold.objects.in_force().get()
    assert hold.case.is_closed
    client.login(username="governance", password="focus-demo-2026")
    assert hold.case.reference in client.get(reverse("dataprotection:holds")).content.decode()
    assert "Jordan Lee" in client.get(reverse("dataprotection:requests")).content.decode()
