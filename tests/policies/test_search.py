import pytest
from django.urls import reverse

from policies.models import Clause
from policies.selectors import search_clauses_simple

pytestmark = pytest.mark.django_db


def search(client, q):
    return client.get(reverse("policies:search"), {"q": q})


def test_search_finds_clauses_and_marks_the_matches(client, staff, policy):
    client.force_login(staff)
    response = search(client, "discriminatory language")
    assert response.status_code == 200
    results = response.context["results"]
    assert results[0].clause.number == "5.2"
    assert "<mark>" in results[0].headline
    assert 'href="/policies/social-media-policy/5.2/"' in response.text


def test_search_ranks_the_most_relevant_clause_first(client, staff, policy):
    client.force_login(staff)
    results = search(client, "recommendations referrals").context["results"]
    assert results[0].clause.number == "6.5"


def test_search_with_no_match_says_so(client, staff, policy):
    client.force_login(staff)
    response = search(client, "xylophone")
    assert response.context["results"] == []
    assert "No clause matches" in response.text


def test_search_escapes_the_query_and_the_text(client, staff, policy):
    client.force_login(staff)
    response = search(client, "<script>alert(1)</script> Facebook")
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;" in response.text


def test_search_only_looks_in_current_versions(client, staff, policy, draft_v2):
    client.force_login(staff)
    assert search(client, "focuspolicy").context["results"] == []


def test_simple_fallback_requires_every_word_and_highlights(policy):
    clauses = Clause.objects.filter(section__version__policy=policy)
    results = search_clauses_simple(clauses, "police criminal")
    assert [r.clause.number for r in results] == ["9.2"]
    assert "<mark>" in results[0].headline
    assert search_clauses_simple(clauses, "police xylophone") == []
