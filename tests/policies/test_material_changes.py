"""The author of a new version marks, on the draft before approval, which of its changed clauses are
material changes: only whoever manages the policy, only on a draft, only among the clauses it changed."""

import pytest
from django.urls import reverse

from policies.models import MaterialChange
from tests.factories import make_policy

pytestmark = pytest.mark.django_db


def mark_url(version):
    return reverse("policies:material_changes", args=[version.policy.slug, version.number])


def marked(version):
    return set(
        MaterialChange.objects.filter(clause__section__version=version).values_list(
            "clause__number", flat=True
        )
    )


def test_the_draft_page_offers_its_changed_clauses_with_their_difference(client, governance, draft_v2):
    client.force_login(governance)
    response = client.get(draft_v2.get_absolute_url())
    assert 'id="material-changes"' in response.text
    # Only the clauses version 2 changed or added: 5.3 reworded, 10.3 new.
    assert [c for _, c in response.context["material_choices"]] and {
        change.number for _, change in response.context["material_choices"]
    } == {"5.3", "10.3"}
    assert "<del>should</del><ins>must</ins>" in response.text


def test_the_owner_marks_and_unmarks_material_changes(client, governance, draft_v2):
    client.force_login(governance)
    response = client.post(mark_url(draft_v2), {"clauses": ["5.3", "10.3"]}, follow=True)
    assert "The material changes of version 2 are saved." in response.text
    assert marked(draft_v2) == {"5.3", "10.3"}
    assert MaterialChange.objects.filter(marked_by=governance).count() == 2
    # The page shows them checked.
    page = client.get(draft_v2.get_absolute_url())
    assert page.context["material_form"].initial == {"clauses": ["10.3", "5.3"]}

    client.post(mark_url(draft_v2), {"clauses": ["5.3"]})
    assert marked(draft_v2) == {"5.3"}
    client.post(mark_url(draft_v2), {})
    assert marked(draft_v2) == set()


def test_an_administrator_may_mark_them(client, administrator, draft_v2):
    client.force_login(administrator)
    client.post(mark_url(draft_v2), {"clauses": ["5.3"]})
    assert marked(draft_v2) == {"5.3"}


@pytest.mark.parametrize("who", ["staff", "supervisor", "head_of_service", "hr", "comms"])
def test_nobody_else_may_mark_them_nor_see_the_draft(client, request, draft_v2, who):
    client.force_login(request.getfixturevalue(who))
    assert client.post(mark_url(draft_v2), {"clauses": ["5.3"]}).status_code == 404
    assert client.get(draft_v2.get_absolute_url()).status_code == 404
    assert marked(draft_v2) == set()


def test_an_unchanged_clause_is_not_a_material_change(client, governance, draft_v2):
    client.force_login(governance)
    response = client.post(mark_url(draft_v2), {"clauses": ["5.2"]}, follow=True)
    assert "Choose among the clauses this version changed." in response.text
    assert marked(draft_v2) == set()


def test_once_approved_nothing_more_is_marked(client, governance, draft_v2):
    client.force_login(governance)
    client.post(reverse("policies:approve", args=[draft_v2.policy.slug, 2]))
    response = client.post(mark_url(draft_v2), {"clauses": ["5.3"]}, follow=True)
    assert "Material changes are marked on a draft, before it is approved." in response.text
    assert marked(draft_v2) == set()
    assert 'id="material-changes"' not in client.get(draft_v2.get_absolute_url()).text


def test_a_first_version_has_nothing_to_mark(client, governance):
    from policies.services import policy_import

    version = policy_import(
        text="Another Policy\n\n1. Purpose\n- 1.1 A clause.", title="Another Policy"
    ).version
    version.policy.owner = governance
    version.policy.save()
    client.force_login(governance)
    assert 'id="material-changes"' not in client.get(version.get_absolute_url()).text
    response = client.post(mark_url(version), {}, follow=True)
    assert "This is the first version: everyone reads it whole." in response.text


def test_marking_needs_post(client, governance, draft_v2):
    client.force_login(governance)
    assert client.get(mark_url(draft_v2)).status_code == 405


def test_the_owner_of_another_policy_may_not_mark_this_ones(client, supervisor, draft_v2):
    other = make_policy(supervisor, title="Another Social Media Policy")
    assert other.owner == supervisor
    client.force_login(supervisor)
    assert client.post(mark_url(draft_v2), {"clauses": ["5.3"]}).status_code == 404
    assert marked(draft_v2) == set()
