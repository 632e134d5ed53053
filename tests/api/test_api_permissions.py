"""Who may read what through the API: every role × every endpoint, and the API never shows more than the
pages. A case or record the person may not see is a 404, as on the pages; the disciplinary records are for
HR alone (403 to everyone else, before any record is looked up)."""

import pytest
from django.urls import reverse

from cases import access
from tests.api.conftest import ROLES

pytestmark = pytest.mark.django_db


# Every test here reads the world of tests/api/conftest.py, built once for the module and read again for
# each test.
@pytest.fixture
def people(world):
    return world["people"]


@pytest.fixture
def cases(world):
    return world["cases"]


@pytest.fixture
def records(world):
    return world["records"]


@pytest.fixture
def draft_v2(world):
    return world["draft_v2"]


def endpoints(cases, records, draft):
    """name → URL of every API endpoint, lists and one object of each kind."""
    return {
        "policies": reverse("api:policy-list"),
        "policy": reverse("api:policy-detail", args=["social-media-policy"]),
        "versions": reverse("api:version-list"),
        "approved_version": reverse("api:version-detail", args=[draft.policy.current_version().pk]),
        "draft_version": reverse("api:version-detail", args=[draft.pk]),
        "clauses": reverse("api:clause-list"),
        "approved_clause": reverse(
            "api:clause-detail", args=[draft.policy.current_version().clauses().first().pk]
        ),
        "draft_clause": reverse("api:clause-detail", args=[draft.clauses().first().pk]),
        "cases": reverse("api:case-list"),
        "breach_case": reverse("api:case-detail", args=[cases["breach"].reference]),
        "my_concerns": reverse("api:my-concern-list"),
        "records": reverse("api:disciplinary-record-list"),
        "record": reverse("api:disciplinary-record-detail", args=[records["about_staff2"].reference]),
        "own_record": reverse("api:disciplinary-record-detail", args=[records["about_hr"].reference]),
    }


EVERYONE = set(ROLES)
# Who gets a 200; everyone else gets `REFUSAL` (404 unless said otherwise).
ALLOWED = {
    "policies": EVERYONE,
    "policy": EVERYONE,
    "versions": EVERYONE,
    "approved_version": EVERYONE,
    # Drafts: only those who manage the policy, its owner (the governance head) and administrators.
    "draft_version": {"governance", "administrator"},
    "clauses": EVERYONE,
    "approved_clause": EVERYONE,
    "draft_clause": {"governance", "administrator"},
    "cases": EVERYONE,
    # The handler's page: the assigned supervisor, the governance head, the Head of Information & Security
    # granted the breach. Not the reporter (their page is a different one), not the subject.
    "breach_case": {"handler", "governance", "infosec"},
    "my_concerns": EVERYONE,
    "records": {"hr"},
    "record": {"hr"},
    # Nobody sees a record about themselves.
    "own_record": set(),
}
REFUSAL = {"records": 403, "record": 403, "own_record": {"hr": 404, None: 403}}


def refusal(endpoint, role):
    status = REFUSAL.get(endpoint, 404)
    if isinstance(status, dict):
        return status.get(role, status[None])
    return status


def expected_statuses(role):
    return {
        endpoint: 200 if role in allowed else refusal(endpoint, role) for endpoint, allowed in ALLOWED.items()
    }


# One test per role over every endpoint: the failure shows the whole row of the matrix that differs.
@pytest.mark.parametrize("role", ROLES)
def test_every_endpoint_by_role(client, people, cases, records, draft_v2, role):
    client.force_login(people[role])
    answers = {name: client.get(url) for name, url in endpoints(cases, records, draft_v2).items()}
    assert {name: answer.status_code for name, answer in answers.items()} == expected_statuses(role)
    for answer in answers.values():
        if answer.status_code != 200:
            assert set(answer.json()) == {"detail"}


def test_anonymous_callers_are_asked_for_a_token(client, cases, records, draft_v2):
    for name, url in endpoints(cases, records, draft_v2).items():
        response = client.get(url)
        assert response.status_code == 401, name
        assert response.headers["WWW-Authenticate"] == "Token"


# The cases each person's API list holds: exactly those whose handler's page they may open.
CASE_LISTS = {
    "reporter": set(),
    "subject": set(),
    "handler": {"breach", "about_governance"},
    "other_supervisor": {"public"},
    "head_of_service": set(),
    "governance": {"breach", "public"},
    "infosec": {"breach"},
    "infosec_without_grant": set(),
    "hr": set(),
    "administrator": set(),
    "outsider": set(),
}
MY_CONCERNS = {"reporter": {"breach", "about_governance"}, "subject": {"public"}}


def references(response):
    assert response.status_code == 200
    return {row["reference"] for row in response.json()["results"]}


def handler_pages_open_to(client, cases):
    """The cases whose handler's page (not the reporter's) the logged-in person gets."""
    opened = set()
    for case in cases.values():
        response = client.get(case.get_absolute_url())
        if response.status_code == 200 and "cases/detail.html" in [t.name for t in response.templates]:
            opened.add(case.reference)
        else:
            assert response.status_code in (200, 404)
    return opened


@pytest.mark.parametrize("role", ROLES)
def test_the_api_holds_exactly_the_cases_the_pages_open(client, people, cases, role):
    client.force_login(people[role])
    expected = {cases[name].reference for name in CASE_LISTS[role]}
    assert references(client.get(reverse("api:case-list"))) == expected
    assert handler_pages_open_to(client, cases) == expected
    for case in cases.values():
        status = client.get(reverse("api:case-detail", args=[case.reference])).status_code
        assert status == (200 if case.reference in expected else 404), (role, case.reference)
    mine = {cases[name].reference for name in MY_CONCERNS.get(role, set())}
    assert references(client.get(reverse("api:my-concern-list"))) == mine


def test_the_shared_selector_agrees_with_the_one_door(people, cases):
    """cases_open_to, the list's selector, against case_relation, the detail pages' check."""
    for person in people.values():
        listed = set(access.cases_open_to(person).values_list("reference", flat=True))
        relations = (access.HANDLER, access.GOVERNANCE, access.INFOSEC)
        opened = {c.reference for c in cases.values() if access.case_relation(person, c) in relations}
        assert listed == opened, person


def test_a_subject_who_is_governance_never_gets_the_concern(client, people, cases):
    client.force_login(people["governance"])
    reference = cases["about_governance"].reference
    assert reference not in references(client.get(reverse("api:case-list")))
    assert client.get(reverse("api:case-detail", args=[reference])).status_code == 404


def test_a_handler_who_has_left_sees_nothing(client, people, cases):
    supervisor = people["handler"]
    supervisor.is_active = False
    supervisor.save()
    client.force_login(supervisor)
    assert client.get(reverse("api:case-list")).status_code == 401


def test_an_unknown_case_is_a_404_like_a_forbidden_one(client, people, cases):
    client.force_login(people["governance"])
    response = client.get(reverse("api:case-detail", args=["SMP-2026-9999"]))
    assert response.status_code == 404
    assert (
        response.json()
        == client.get(reverse("api:case-detail", args=[cases["about_governance"].reference])).json()
    )


def test_the_governance_head_reads_records_on_the_pages_but_not_through_the_api(client, people, records):
    governance = people["governance"]
    assert governance.has_perm("discipline.view_disciplinary_records")
    client.force_login(governance)
    assert client.get(reverse("api:disciplinary-record-list")).status_code == 403
    unknown = client.get(reverse("api:disciplinary-record-detail", args=["DR-1999-0001"]))
    known = client.get(reverse("api:disciplinary-record-detail", args=[records["about_staff2"].reference]))
    # The same refusal whether or not the record exists.
    assert (unknown.status_code, unknown.json()) == (known.status_code, known.json()) == (403, known.json())


def test_addresses_the_api_does_not_have_answer_in_json(client, people):
    client.force_login(people["governance"])
    response = client.get("/api/v1/cases/SMP%C2%84/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
