"""Policies, versions and clauses through the API: every member of staff reads the approved text; drafts
only those who manage the policy, as on the pages."""

import pytest
from django.urls import reverse

from policies import services as policy_services

pytestmark = pytest.mark.django_db


def results(client, name, **query):
    response = client.get(reverse(name), query)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_register_lists_each_policy_with_its_current_version(client, staff, governance, policy):
    client.force_login(staff)
    (row,) = results(client, "api:policy-list")
    current = policy.current_version()
    assert row["slug"] == "social-media-policy"
    assert row["owner"] == str(governance)
    assert row["current_version"] == {
        "id": current.pk,
        "number": 1,
        "effective_date": current.effective_date.isoformat(),
        "next_review_date": current.next_review_date.isoformat(),
        "review_is_overdue": False,
    }
    detail = client.get(reverse("api:policy-detail", args=["social-media-policy"])).json()
    assert detail == row


def test_a_policy_with_no_approved_version_has_none(client, staff, policy_text):
    policy_services.policy_import(text=policy_text, title="Data Protection Policy")
    client.force_login(staff)
    rows = {row["slug"]: row for row in results(client, "api:policy-list")}
    assert rows["data-protection-policy"]["current_version"] is None


@pytest.mark.parametrize(
    ("role", "sees_draft"), [("staff", False), ("governance", True), ("administrator", True)]
)
def test_drafts_only_for_those_who_manage_the_policy(client, request, draft_v2, role, sees_draft):
    client.force_login(request.getfixturevalue(role))
    versions = [(row["number"], row["status"]) for row in results(client, "api:version-list")]
    assert versions == ([(2, "draft"), (1, "approved")] if sees_draft else [(1, "approved")])
    draft_clauses = results(client, "api:clause-list", version=draft_v2.pk)
    assert bool(draft_clauses) is sees_draft
    # The same on the pages.
    page = client.get(reverse("policies:version", args=["social-media-policy", 2]))
    assert page.status_code == (200 if sees_draft else 404)


def test_superseded_versions_stay_readable(client, staff, governance, draft_v2):
    policy_services.version_approve(version=draft_v2, by=governance)
    client.force_login(staff)
    versions = [(row["number"], row["status"]) for row in results(client, "api:version-list")]
    assert versions == [(2, "approved"), (1, "superseded")]
    assert results(client, "api:version-list", status="superseded")[0]["number"] == 1


def test_a_version_with_its_sections_clauses_and_items(client, staff, policy):
    version = policy.current_version()
    client.force_login(staff)
    body = client.get(reverse("api:version-detail", args=[version.pk])).json()
    assert (body["policy"], body["number"], body["status"]) == ("social-media-policy", 1, "approved")
    sections = {section["number"]: section for section in body["sections"]}
    clause = next(c for c in sections[5]["clauses"] if c["number"] == "5.2")
    stored = version.clauses().get(number="5.2")
    assert clause["text"] == stored.text
    assert clause["items"] == [item.text for item in stored.items.order_by("position")]
    assert len(clause["items"]) == 7


def test_clause_filters(client, staff, governance, draft_v2):
    client.force_login(governance)
    assert [(c["version_number"], c["number"]) for c in results(client, "api:clause-list", number="5.3")] == [
        (2, "5.3"),
        (1, "5.3"),
    ]
    current = results(client, "api:clause-list", number="5.3", status="approved")
    assert [(c["version_number"], c["version_status"]) for c in current] == [(1, "approved")]
    assert "Staff should therefore avoid" in current[0]["text"] + " ".join(current[0]["items"])
    assert results(client, "api:clause-list", number="10.3", policy="social-media-policy")[0]["version"] == (
        draft_v2.pk
    )
    assert results(client, "api:clause-list", policy="no-such-policy") == []
    refused = client.get(reverse("api:clause-list"), {"number": "5.2; drop"})
    assert refused.status_code == 400 and list(refused.json()) == ["number"]
    assert client.get(reverse("api:clause-list"), {"version": "0"}).status_code == 400


def test_a_clause_links_to_its_page(client, staff, policy):
    clause = policy.current_version().clauses().get(number="5.2")
    client.force_login(staff)
    body = client.get(reverse("api:clause-detail", args=[clause.pk])).json()
    assert body["url"] == "http://testserver" + reverse(
        "policies:clause", args=["social-media-policy", "5.2"]
    )
    assert (body["section"], body["number"]) == (5, "5.2")


def test_lists_cost_a_fixed_number_of_queries(
    client, staff, administrator, policy, policy_text, django_assert_max_num_queries
):
    second = policy_services.policy_import(text=policy_text, title="Data Protection Policy").version
    policy_services.version_approve(version=second, by=administrator)
    client.force_login(staff)
    # Session, user, permissions and count, then a full page of 50 clauses (of 60) with their items,
    # sections and versions; every version and policy; one version with all its text.
    with django_assert_max_num_queries(8):
        assert len(results(client, "api:clause-list")) == 50
    with django_assert_max_num_queries(8):
        results(client, "api:version-list")
    with django_assert_max_num_queries(8):
        results(client, "api:policy-list")
    with django_assert_max_num_queries(10):
        assert (
            client.get(reverse("api:version-detail", args=[policy.current_version().pk])).status_code == 200
        )
