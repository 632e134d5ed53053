import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_log_in(client, policy):
    for url in [reverse("policies:list"), policy.get_absolute_url(), "/policies/social-media-policy/5.2/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_list_shows_policy_with_current_version_and_review_date(client, staff, policy):
    client.force_login(staff)
    response = client.get(reverse("policies:list"))
    assert response.status_code == 200
    version = policy.current_version()
    assert version.next_review_date.strftime("%-d %b %Y") in response.text
    assert 'href="/policies/social-media-policy/"' in response.text


def test_policy_page_shows_contents_and_every_clause(client, staff, policy, django_assert_max_num_queries):
    client.force_login(staff)
    with django_assert_max_num_queries(20):
        response = client.get(policy.get_absolute_url())
    assert response.status_code == 200
    assert response.text.count('class="clause"') == 30
    assert 'href="#section-9"' in response.text
    assert "RAISING CONCERNS" in response.text
    assert "Staff should not record any content that is potentially detrimental" in response.text
    assert "I have read and understood this policy" in response.text


def test_clause_has_a_stable_address_in_the_current_version(client, staff, policy):
    client.force_login(staff)
    response = client.get("/policies/social-media-policy/5.2/")
    assert response.status_code == 200
    assert "clause 5.2" in response.text
    assert response.text.count("<li>", response.text.index("clause-items")) >= 7
    assert "must not, under any circumstances, cite or reference service users" in response.text


def test_stable_address_follows_the_newly_approved_version(client, staff, governance, policy, draft_v2):
    from policies.services import version_approve

    client.force_login(staff)
    assert client.get("/policies/social-media-policy/10.3/").status_code == 404
    version_approve(version=draft_v2, by=governance)
    response = client.get("/policies/social-media-policy/10.3/")
    assert response.status_code == 200
    assert "Comments can be made in focuspolicy." in response.text
    old = client.get("/policies/social-media-policy/versions/1/5.3/")
    assert "Staff should therefore avoid" in old.text


def test_unknown_clause_policy_and_version_are_not_found(client, staff, policy):
    client.force_login(staff)
    assert client.get("/policies/social-media-policy/11.1/").status_code == 404
    assert client.get("/policies/social-media-policy/5.9/").status_code == 404
    assert client.get("/policies/no-such-policy/").status_code == 404
    assert client.get("/policies/social-media-policy/versions/7/").status_code == 404


def test_drafts_are_hidden_from_staff_but_shown_to_the_owner(client, staff, governance, draft_v2):
    url = draft_v2.get_absolute_url()
    client.force_login(staff)
    assert client.get(url).status_code == 404
    assert client.get("/policies/social-media-policy/versions/2/10.3/").status_code == 404
    assert "Version 2" not in client.get("/policies/social-media-policy/").text
    client.force_login(governance)
    response = client.get(url)
    assert response.status_code == 200
    assert "Approve version 2" in response.text


def test_a_policy_with_no_approved_version_is_not_found_for_staff(client, staff, governance, policy_text):
    from policies.services import policy_import

    version = policy_import(text=policy_text, title="Draft Only Policy").version
    version.policy.owner = governance
    version.policy.save()
    client.force_login(staff)
    assert client.get(version.policy.get_absolute_url()).status_code == 404
    client.force_login(governance)
    assert client.get(version.policy.get_absolute_url()).status_code == 200
