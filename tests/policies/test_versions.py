import datetime
import re

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from policies.models import PolicyVersion, ReviewDateChange

pytestmark = pytest.mark.django_db


def approve_url(version):
    return reverse("policies:approve", args=[version.policy.slug, version.number])


def test_approval_makes_the_version_current_and_sets_the_review_date(policy):
    version = policy.current_version()
    today = timezone.localdate()
    assert version.number == 1
    assert version.effective_date == today
    assert version.next_review_date == today + relativedelta(years=3)


def test_owner_approves_a_draft_and_the_previous_version_is_superseded(client, governance, policy, draft_v2):
    client.force_login(governance)
    response = client.post(approve_url(draft_v2), follow=True)
    assert "Version 2 is now the current version." in response.text
    statuses = dict(policy.versions.values_list("number", "status"))
    assert statuses == {1: PolicyVersion.Status.SUPERSEDED, 2: PolicyVersion.Status.APPROVED}
    assert policy.current_version().approved_by == governance


def test_administrator_may_approve(client, administrator, policy, draft_v2):
    client.force_login(administrator)
    client.post(approve_url(draft_v2))
    draft_v2.refresh_from_db()
    assert draft_v2.status == PolicyVersion.Status.APPROVED


@pytest.mark.parametrize("who", ["staff", "supervisor", "hr", "head_of_service"])
def test_others_cannot_approve(client, request, policy, draft_v2, who):
    client.force_login(request.getfixturevalue(who))
    response = client.post(approve_url(draft_v2))
    # They cannot see the draft at all.
    assert response.status_code == 404
    draft_v2.refresh_from_db()
    assert draft_v2.status == PolicyVersion.Status.DRAFT


def test_approving_twice_is_refused_with_a_message(client, governance, policy, draft_v2):
    client.force_login(governance)
    client.post(approve_url(draft_v2))
    response = client.post(approve_url(draft_v2), follow=True)
    assert "is approved, not a draft" in response.text
    assert policy.versions.filter(status=PolicyVersion.Status.APPROVED).count() == 1


def test_approve_needs_post(client, governance, draft_v2):
    client.force_login(governance)
    assert client.get(approve_url(draft_v2)).status_code == 405


def test_owner_brings_the_review_forward_with_a_reason(client, governance, policy):
    client.force_login(governance)
    new_date = timezone.localdate() + datetime.timedelta(days=60)
    response = client.post(
        reverse("policies:review", args=[policy.slug]),
        {"new_date": new_date.isoformat(), "reason": "Online Safety Act duties now in force"},
        follow=True,
    )
    assert response.status_code == 200
    assert policy.current_version().next_review_date == new_date
    change = ReviewDateChange.objects.get()
    assert change.reason == "Online Safety Act duties now in force"
    assert change.changed_by == governance
    assert "Online Safety Act duties now in force" in response.text


@pytest.mark.parametrize(
    "data, message",
    [
        ({"new_date": "2099-01-01", "reason": "Later"}, "must be earlier than the current one"),
        ({"new_date": "2001-01-01", "reason": "Past"}, "cannot be in the past"),
        ({"new_date": "", "reason": "No date"}, "This field is required"),
        ({"new_date": "2027-01-01", "reason": ""}, "This field is required"),
        ({"new_date": "not a date", "reason": "Bad"}, "Enter a valid date"),
    ],
)
def test_bad_review_changes_are_refused_and_the_reason_is_kept(client, governance, policy, data, message):
    before = policy.current_version().next_review_date
    client.force_login(governance)
    response = client.post(reverse("policies:review", args=[policy.slug]), data)
    assert response.status_code == 200
    assert message in response.text
    if data["reason"]:
        assert data["reason"] in response.text
    assert policy.current_version().next_review_date == before
    assert not ReviewDateChange.objects.exists()


def test_staff_cannot_move_the_review(client, staff, policy):
    client.force_login(staff)
    assert client.get(reverse("policies:review", args=[policy.slug])).status_code == 403


def test_compare_marks_added_removed_and_changed_words(client, staff, governance, policy, draft_v2):
    from policies.services import version_approve

    version_approve(version=draft_v2, by=governance)
    client.force_login(staff)
    response = client.get(reverse("policies:compare", args=[policy.slug]), {"old": 1, "new": 2})
    assert response.status_code == 200
    kinds = {change.number: change.kind for change in response.context["changes"]}
    assert kinds["5.3"] == "changed"
    assert kinds["10.3"] == "added"
    assert kinds["1.1"] == "unchanged"
    assert "<del>should</del><ins>must</ins>" in response.text
    assert re.search(r"<ins>[^<]*or unkind[^<]*</ins>", response.text)


def test_compare_refuses_the_same_version_twice(client, staff, governance, policy, draft_v2):
    from policies.services import version_approve

    version_approve(version=draft_v2, by=governance)
    client.force_login(staff)
    response = client.get(reverse("policies:compare", args=[policy.slug]), {"old": 2, "new": 2})
    assert "Choose two different versions." in response.text
    assert response.context["changes"] is None


def test_compare_does_not_offer_drafts_to_staff(client, staff, policy, draft_v2):
    client.force_login(staff)
    response = client.get(reverse("policies:compare", args=[policy.slug]), {"old": 1, "new": 2})
    assert response.context["changes"] is None
    assert "There is only one version of this policy." in response.text
