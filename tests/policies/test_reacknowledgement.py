"""Re-acknowledgement: after a version with material changes is approved, staff who acknowledged the
version before it read only those clauses' changes and confirm, which acknowledges the new version for
every list and reminder of who has not. Staff who never acknowledged it read the whole policy."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.models import Kind, Notification
from policies.changes import changes_since_previous
from policies.models import Acknowledgement, ClauseReacknowledgement
from policies.reminders import acknowledgement_reminders_send, acknowledgement_summaries_send
from policies.services import material_changes_mark, policy_import, version_approve
from tests.policies.history import NEW_5_3, second_version

pytestmark = pytest.mark.django_db


def acknowledge(client, policy):
    return client.post(reverse("policies:acknowledge", args=[policy.slug]), follow=True)


def acknowledge_changes(client, policy):
    return client.post(reverse("policies:acknowledge_changes", args=[policy.slug]), follow=True)


def acknowledged(person, version):
    return Acknowledgement.objects.filter(user=person, version=version).exists()


@pytest.fixture
def acknowledged_v1(client, policy, staff, other_staff):
    """staff and staff2 acknowledged version 1."""
    for person in (staff, other_staff):
        client.force_login(person)
        acknowledge(client, policy)


def test_staff_who_acknowledged_before_read_only_the_material_changes(
    client, policy, governance, staff, acknowledged_v1
):
    version = second_version(policy, governance, material=["5.3", "10.3"])
    client.force_login(staff)

    home = client.get(reverse("home"))
    assert "you acknowledged the version before, so read only the clauses it changed" in home.text
    assert f'href="{policy.get_absolute_url()}#changes-to-acknowledge"' in home.text

    page = client.get(policy.get_absolute_url())
    assert "What changed since the version you acknowledged" in page.text
    assert [change.number for change in page.context["changes_to_read"]] == ["5.3", "10.3"]
    assert "<del>should</del><ins>must</ins>" in page.text  # the old text against the new
    assert "I have read these changes" in page.text
    assert "I have read and understood this policy" not in page.text

    response = acknowledge_changes(client, policy)
    assert "you have acknowledged the changes in Social Media Policy, version 2" in response.text
    assert acknowledged(staff, version)
    reacknowledged = ClauseReacknowledgement.objects.filter(user=staff)
    assert set(reacknowledged.values_list("clause__number", flat=True)) == {"5.3", "10.3"}
    assert {r.clause.section.version_id for r in reacknowledged} == {version.pk}
    assert "You acknowledged this version on" in response.text
    assert "Policies to read and acknowledge" not in client.get(reverse("home")).text


def test_confirming_twice_keeps_the_first(client, policy, governance, staff, acknowledged_v1):
    version = second_version(policy, governance)
    client.force_login(staff)
    acknowledge_changes(client, policy)
    first = Acknowledgement.objects.get(user=staff, version=version).acknowledged_at
    acknowledge_changes(client, policy)
    assert Acknowledgement.objects.get(user=staff, version=version).acknowledged_at == first
    assert ClauseReacknowledgement.objects.filter(user=staff).count() == 1


def test_only_the_clauses_marked_are_shown(client, policy, governance, staff, acknowledged_v1):
    second_version(policy, governance, material=["5.3"])
    client.force_login(staff)
    page = client.get(policy.get_absolute_url())
    assert [change.number for change in page.context["changes_to_read"]] == ["5.3"]
    assert NEW_5_3 in page.text


def test_staff_who_never_acknowledged_read_the_whole_policy(client, policy, governance, staff):
    version = second_version(policy, governance)
    client.force_login(staff)
    page = client.get(policy.get_absolute_url())
    assert "I have read and understood this policy" in page.text
    assert "I have read these changes" not in page.text
    assert "read only the clauses it changed" not in client.get(reverse("home")).text

    response = acknowledge_changes(client, policy)
    assert "Please read the whole policy and acknowledge it" in response.text
    assert not acknowledged(staff, version)
    assert not ClauseReacknowledgement.objects.exists()


def test_without_material_changes_everyone_reads_the_whole_policy(
    client, policy, governance, staff, acknowledged_v1
):
    version = second_version(policy, governance, material=[])
    client.force_login(staff)
    assert "I have read and understood this policy" in client.get(policy.get_absolute_url()).text
    acknowledge_changes(client, policy)
    assert not acknowledged(staff, version)


def test_skipping_a_version_means_reading_the_whole_policy(client, policy, governance, staff):
    """Acknowledging version 1 does not let one read only version 3's changes when version 2 came between."""
    client.force_login(staff)
    acknowledge(client, policy)
    second_version(policy, governance)
    text = policy.current_version().source_text.replace("unkind comments", "unkind or hurtful comments")
    third = policy_import(text=text, title=policy.title).version
    material_changes_mark(version=third, by=governance, numbers=["5.3"])
    version_approve(version=third, by=governance)
    acknowledge_changes(client, policy)
    assert not acknowledged(staff, third)


@pytest.mark.parametrize(
    "who, has_acknowledged_v1, recorded",
    [
        ("staff", True, True),
        ("staff", False, False),
        ("supervisor", True, True),
        ("governance", True, True),
        ("hr", False, False),
    ],
)
def test_who_may_acknowledge_only_the_changes(
    client, request, policy, governance, who, has_acknowledged_v1, recorded
):
    person = request.getfixturevalue(who)
    client.force_login(person)
    if has_acknowledged_v1:
        acknowledge(client, policy)
    version = second_version(policy, governance)
    response = client.post(reverse("policies:acknowledge_changes", args=[policy.slug]))
    assert response.status_code == 302
    assert acknowledged(person, version) is recorded


def test_acknowledging_changes_needs_post(client, policy, staff):
    client.force_login(staff)
    assert client.get(reverse("policies:acknowledge_changes", args=[policy.slug])).status_code == 405


def test_re_acknowledging_satisfies_the_reminders_and_the_supervisors_lists(
    client, policy, governance, staff, other_staff, supervisor, other_supervisor, acknowledged_v1
):
    version = second_version(policy, governance)
    client.force_login(staff)
    acknowledge_changes(client, policy)

    # The list of who has not acknowledged: staff has, by the changes.
    client.force_login(supervisor)
    report = client.get(reverse("policies:acknowledgements", args=[policy.slug]))
    assert {p.username: when is not None for p, when in report.context["rows"]} == {"staff": True}
    outstanding = client.get(
        reverse("policies:acknowledgements", args=[policy.slug]), {"status": "outstanding"}
    )
    assert list(outstanding.context["rows"]) == []
    home = client.get(reverse("home"))
    assert home.context["team_acknowledgements"][0][1] == 0  # none of supervisor's team outstanding

    # The reminders, a month on: staff2, who did not re-acknowledge, is reminded; staff is not.
    later = timezone.now() + datetime.timedelta(days=30)
    acknowledgement_reminders_send(now=later)
    reminded = set(
        Notification.objects.filter(
            kind=Kind.POLICY_TO_ACKNOWLEDGE, title__startswith="Reminder"
        ).values_list("recipient__username", flat=True)
    )
    assert "staff2" in reminded and "staff" not in reminded
    assert version.number == 2

    acknowledgement_summaries_send(now=later)
    summaries = dict(
        Notification.objects.filter(kind=Kind.ACKNOWLEDGEMENT_SUMMARY).values_list(
            "recipient__username", "title"
        )
    )
    assert "supervisor" not in summaries  # staff was their only one outstanding
    assert summaries["supervisor2"].startswith("1 of your team has not yet acknowledged")


def test_the_policy_page_reads_the_changes_in_the_same_queries_however_many(
    client, policy, governance, staff, django_assert_max_num_queries
):
    """Version 2 changes one clause materially; version 3 rewords every clause that says "staff"."""
    client.force_login(staff)
    acknowledge(client, policy)
    second_version(policy, governance)
    with CaptureQueriesContext(connection) as one_change:
        page = client.get(policy.get_absolute_url())
    queries = len(one_change.captured_queries)  # read now: the next request clears the log
    assert len(page.context["changes_to_read"]) == 1
    acknowledge_changes(client, policy)

    text = policy.current_version().source_text.replace(" staff ", " colleagues ")
    third = policy_import(text=text, title=policy.title).version
    changed = [change.number for change in changes_since_previous(third)]
    material_changes_mark(version=third, by=governance, numbers=changed)
    version_approve(version=third, by=governance)
    assert len(changed) > 10
    with django_assert_max_num_queries(queries):
        page = client.get(policy.get_absolute_url())
    assert len(page.context["changes_to_read"]) == len(changed)


def test_the_policy_page_reads_the_persons_acknowledgement_once(client, policy, governance, staff):
    # With its versions (selectors.versions_to_read): not again to offer the changes to read.
    client.force_login(staff)
    acknowledge(client, policy)
    second_version(policy, governance)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(policy.get_absolute_url())
    assert len(page.context["changes_to_read"]) == 1
    versions = [q["sql"] for q in queries if q["sql"].startswith('SELECT "policies_policyversion"."id"')]
    assert len([sql for sql in versions if '"acknowledged_at"' in sql]) == 1
    assert not [q["sql"] for q in queries if q["sql"].startswith('SELECT "policies_acknowledgement"')]
