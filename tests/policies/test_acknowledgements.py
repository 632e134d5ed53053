import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from people.models import User
from policies.models import Acknowledgement
from policies.selectors import SUMMARY_KEPT_SECONDS
from tests.factories import TeamFactory, make_staff

pytestmark = pytest.mark.django_db


def acknowledge(client, policy):
    return client.post(reverse("policies:acknowledge", args=[policy.slug]), follow=True)


def test_staff_are_asked_to_acknowledge_the_current_version(client, staff, policy):
    client.force_login(staff)
    home = client.get(reverse("home"))
    assert "Policies to read and acknowledge" in home.text
    response = acknowledge(client, policy)
    assert "you have acknowledged Social Media Policy, version 1" in response.text
    assert Acknowledgement.objects.filter(user=staff, version=policy.current_version()).count() == 1
    assert "Policies to read and acknowledge" not in client.get(reverse("home")).text


def test_acknowledging_twice_keeps_the_first(client, staff, policy):
    client.force_login(staff)
    acknowledge(client, policy)
    first = Acknowledgement.objects.get(user=staff)
    acknowledge(client, policy)
    assert Acknowledgement.objects.get(user=staff).acknowledged_at == first.acknowledged_at


def test_a_new_approved_version_asks_again(client, staff, governance, policy, draft_v2):
    from policies.services import version_approve

    client.force_login(staff)
    acknowledge(client, policy)
    version_approve(version=draft_v2, by=governance)
    home = client.get(reverse("home"))
    assert "version 2" in home.text
    acknowledge(client, policy)
    assert set(Acknowledgement.objects.filter(user=staff).values_list("version__number", flat=True)) == {1, 2}


def test_acknowledge_needs_post(client, staff, policy):
    client.force_login(staff)
    assert client.get(reverse("policies:acknowledge", args=[policy.slug])).status_code == 405


def report(client, policy, **params):
    return client.get(reverse("policies:acknowledgements", args=[policy.slug]), params)


def names(response):
    return {person.username for person, _ in response.context["rows"]}


def test_supervisor_sees_only_their_team(client, staff, other_staff, supervisor, policy):
    client.force_login(staff)
    acknowledge(client, policy)
    client.force_login(supervisor)
    response = report(client, policy)
    assert response.status_code == 200
    assert names(response) == {"staff"}
    assert response.context["done"] == 1


def test_head_of_service_sees_the_teams_they_head(
    client, staff, other_staff, supervisor, other_supervisor, head_of_service, policy
):
    client.force_login(head_of_service)
    assert names(report(client, policy)) == {"staff", "staff2", "supervisor", "supervisor2"}


def test_governance_sees_everyone_and_filters_by_team_and_status(
    client, staff, other_staff, governance, policy, other_team
):
    client.force_login(staff)
    acknowledge(client, policy)
    client.force_login(governance)
    everyone = names(report(client, policy))
    assert {"staff", "staff2", "governance", "supervisor", "supervisor2", "headofservice"} <= everyone
    assert names(report(client, policy, team=other_team.pk)) == {"staff2", "supervisor2"}
    outstanding = names(report(client, policy, status="outstanding"))
    assert "staff" not in outstanding and "staff2" in outstanding
    assert names(report(client, policy, status="acknowledged")) == {"staff"}


def test_supervisor_cannot_filter_their_way_to_other_teams(
    client, supervisor, other_staff, other_team, policy
):
    client.force_login(supervisor)
    assert names(report(client, policy, team=other_team.pk)) == set()


def test_people_who_have_left_are_not_listed(client, staff, supervisor, policy):
    staff.is_active = False
    staff.save()
    client.force_login(supervisor)
    assert names(report(client, policy)) == set()


@pytest.mark.parametrize("who", ["staff", "hr", "outsider"])
def test_staff_without_oversight_cannot_see_the_report(client, request, policy, who):
    client.force_login(request.getfixturevalue(who))
    assert report(client, policy).status_code == 403


def test_home_tells_a_supervisor_how_many_of_their_team_are_outstanding(client, staff, supervisor, policy):
    client.force_login(supervisor)
    assert "Social Media Policy</a>: 1 of 1 not yet acknowledged" in client.get(reverse("home")).text
    client.force_login(staff)
    acknowledge(client, policy)
    assert "Acknowledgements by the staff you oversee" not in client.get(reverse("home")).text
    client.force_login(supervisor)
    assert "Social Media Policy</a>: 0 of 1 not yet acknowledged" in client.get(reverse("home")).text


def test_the_governance_heads_home_counts_everyone_and_is_at_most_a_minute_behind(
    client, staff, governance, policy, process_cache, time_machine
):
    time_machine.move_to("2026-12-07 10:00", tick=False)
    everyone = User.objects.filter(is_active=True).count()
    client.force_login(governance)
    outstanding = f"Social Media Policy</a>: {{}} of {everyone} not yet acknowledged"
    assert outstanding.format(everyone) in client.get(reverse("home")).text
    client.force_login(staff)
    acknowledge(client, policy)
    client.force_login(governance)
    assert outstanding.format(everyone) in client.get(reverse("home")).text  # kept by the process
    time_machine.shift(SUMMARY_KEPT_SECONDS + 1)
    assert outstanding.format(everyone - 1) in client.get(reverse("home")).text


def test_a_head_of_services_home_counts_the_members_of_every_team_they_head(
    client, staff, other_staff, head_of_service, policy
):
    client.force_login(head_of_service)
    line = "Social Media Policy</a>: {0} of {0} not yet acknowledged"
    overseen = head_of_service.team_members().count()
    assert overseen >= 2  # the members of both teams they head
    assert line.format(overseen) in client.get(reverse("home")).text
    third = TeamFactory(name="Third team", head_of_service=head_of_service)
    make_staff(third, None, username="third")
    assert line.format(overseen + 1) in client.get(reverse("home")).text


@pytest.fixture
def many_staff(team, supervisor):
    """Enough of the supervisor's team for three pages, some with the same surname (the key breaks ties)."""
    people = [make_staff(team, supervisor, username=f"member{n:03d}") for n in range(230)]
    for n, person in enumerate(people):
        person.last_name = f"Surname {n % 40:02d}"
        person.save(update_fields=["last_name"])
    return people


def test_the_staff_come_in_keyset_pages_each_once_by_name(client, supervisor, policy, many_staff):
    client.force_login(supervisor)
    seen, cursor = [], None
    while True:
        response = report(client, policy, **({"cursor": cursor} if cursor else {}))
        assert response.status_code == 200
        seen += [person.pk for person, _ in response.context["rows"]]
        page = response.context["page"]
        if not page.has_next:
            break
        assert 'rel="next"' in response.text
        cursor = page.next_cursor
    expected = sorted(many_staff, key=lambda p: (p.last_name, p.first_name, p.pk))
    assert seen == [p.pk for p in expected]
    assert response.context["total"] == len(many_staff)


@pytest.mark.parametrize("params", [{"cursor": "garbage"}, {"page": "12345"}])
def test_a_bad_cursor_gives_the_first_page_of_staff(client, supervisor, policy, many_staff, params):
    client.force_login(supervisor)
    response = report(client, policy, **params)
    assert response.status_code == 200
    assert len(response.context["rows"]) == 100
    assert response.context["page"].is_first


def test_a_page_of_staff_costs_the_queries_of_one(
    client, staff, supervisor, team, policy, django_assert_num_queries
):
    client.force_login(staff)
    acknowledge(client, policy)
    client.force_login(supervisor)
    report(client, policy)
    with CaptureQueriesContext(connection) as one:
        assert names(report(client, policy)) == {"staff"}
    for n in range(50):
        make_staff(team, supervisor, username=f"extra{n:02d}")
    with django_assert_num_queries(len(one)):
        assert len(report(client, policy).context["rows"]) == 51
