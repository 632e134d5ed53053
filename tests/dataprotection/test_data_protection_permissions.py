"""Who may use each data protection page: every role × every page. The retention schedule is for the Head of
Business and Governance and administrators; legal holds for the governance head; subject access and erasure
requests for the governance head and the Head of Information & Security. Everyone else gets a 404, never a
403 that would confirm the page exists."""

import datetime

import pytest
from django.urls import reverse

from cases.models import Stage
from dataprotection.models import LegalHold, SubjectAccessRequest
from tests.factories import concern_about_colleague

pytestmark = pytest.mark.django_db

ROLES = ["staff", "supervisor", "head_of_service", "governance", "hr", "comms", "infosec", "administrator"]

ALLOWED = {
    "index": {"governance", "infosec", "administrator"},
    "retention": {"governance", "administrator"},
    "holds": {"governance"},
    "hold_case": {"governance"},
    "hold_lift": {"governance"},
    "requests": {"governance", "infosec"},
    "request_new": {"governance", "infosec"},
    "request": {"governance", "infosec"},
    "erasure_new": {"governance", "infosec"},
}


@pytest.fixture
def world(raise_case, move_to, staff, governance, other_staff, hr):
    case = move_to(raise_case(staff), Stage.CLOSED_AT_TRIAGE)
    hold = LegalHold.objects.create(case=case, reason="Tribunal claim.", placed_by=governance)
    sar = SubjectAccessRequest.objects.create(
        person=other_staff,
        requested_by="Themselves",
        received_on=datetime.date(2026, 11, 2),
        due_on=datetime.date(2026, 12, 2),
        recorded_by=hr,
    )
    return {"case": case, "hold": hold, "sar": sar}


def url(page, world):
    args = {
        "hold_case": [world["case"].reference],
        "hold_lift": [world["hold"].pk],
        "request": [world["sar"].pk],
    }.get(page, [])
    return reverse(f"dataprotection:{page}", args=args)


@pytest.mark.parametrize("page", list(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_a_page_only_if_allowed(client, request, world, role, page):
    client.force_login(request.getfixturevalue(role))

    response = client.get(url(page, world))

    assert response.status_code == (200 if role in ALLOWED[page] else 404)


@pytest.mark.parametrize("role", ROLES)
def test_only_those_who_answer_requests_download_the_archive(client, request, world, role):
    client.force_login(request.getfixturevalue(role))

    response = client.post(reverse("dataprotection:request_archive", args=[world["sar"].pk]))

    assert response.status_code == (200 if role in ALLOWED["request"] else 404)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_governance_head_places_a_hold_on_a_case(client, request, world, role):
    world["hold"].delete()
    client.force_login(request.getfixturevalue(role))

    response = client.post(url("hold_case", world), {"reason": "Litigation."})

    allowed = role in ALLOWED["hold_case"]
    assert response.status_code == (302 if allowed else 404)
    assert LegalHold.objects.in_force().filter(case=world["case"]).exists() == allowed


@pytest.mark.parametrize("role", ROLES)
def test_the_navigation_offers_data_protection_to_those_who_may_use_it(client, request, role):
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("home"))

    assert (reverse("dataprotection:index") in response.content.decode()) == (role in ALLOWED["index"])


def test_nobody_sees_a_request_about_themselves(client, world, other_staff, infosec):
    world["sar"].person = infosec
    world["sar"].save()
    client.force_login(infosec)

    assert client.get(url("request", world)).status_code == 404
    assert client.post(reverse("dataprotection:request_archive", args=[world["sar"].pk])).status_code == 404


def test_a_governance_head_who_is_the_subject_of_the_case_cannot_hold_it(
    client, policy, staff, governance, second_governance_head
):
    case = concern_about_colleague(policy, staff, second_governance_head)
    client.force_login(second_governance_head)

    assert client.get(reverse("dataprotection:hold_case", args=[case.reference])).status_code == 404
