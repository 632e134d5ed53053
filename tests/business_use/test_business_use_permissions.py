"""Who may open and act on a business use request: every role and relation × every page × requests in
different states. Anyone without the right gets a 404, never a 403 that confirms the request exists."""

import pytest
from django.db import transaction
from django.urls import reverse

from business_use.models import BusinessUseRequest, Kind, State
from people.models import Team
from people.roles import Role
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

RELATIONS = [
    "requester",
    "supervisor",
    "other_supervisor",
    "comms",
    "governance",
    "head_of_service",
    "staff",
    "outsider",
    "hr",
    "administrator",
    "infosec",
]

# request name: (kind, state, extra fields, who may see it, the move tried, who may make it)
REQUESTS = {
    "post_with_supervisor": (
        Kind.OFFICIAL_POST,
        State.WITH_SUPERVISOR,
        {},
        {"requester", "supervisor", "governance"},
        "approve_content",
        {"supervisor"},
    ),
    "post_with_comms": (
        Kind.OFFICIAL_POST,
        State.WITH_COMMUNICATIONS,
        {},
        {"requester", "supervisor", "comms", "governance"},
        "publish",
        {"comms"},
    ),
    "post_changes_requested": (
        Kind.OFFICIAL_POST,
        State.CHANGES_REQUESTED,
        {},
        {"requester", "supervisor", "governance"},
        "withdraw",
        {"requester"},
    ),
    "advice_on_sites": (
        Kind.ADVICE,
        State.WITH_COMMUNICATIONS,
        {},
        {"requester", "comms", "governance", "head_of_service", "infosec"},
        "answer",
        {"comms", "head_of_service", "infosec"},
    ),
    "advice_on_use": (
        Kind.ADVICE,
        State.WITH_COMMUNICATIONS,
        {"topic": "using_social_media"},
        {"requester", "comms", "governance"},
        "answer",
        {"comms"},
    ),
    "recommendation_made": (
        Kind.RECOMMENDATION,
        State.MADE,
        {},
        {"requester", "comms", "governance"},
        "withdraw",
        set(),
    ),
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, build_request):
    """The people of tests/conftest.py and one request of each kind in REQUESTS, built once for the
    module inside a transaction that is rolled back after it. Each test runs in a savepoint within it
    (pytest.mark.django_db), so what a test moves is undone before the next."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        team, other_team = TeamFactory(name="Community Support"), TeamFactory(name="Supported Living")
        head = UserFactory(username="headofservice", roles=[Role.HEAD_OF_SERVICE], team=team)
        Team.objects.filter(pk__in=[team.pk, other_team.pk]).update(head_of_service=head)
        supervisor = UserFactory(username="supervisor", roles=[Role.SUPERVISOR], team=team, line_manager=head)
        other_supervisor = UserFactory(
            username="supervisor2", roles=[Role.SUPERVISOR], team=other_team, line_manager=head
        )
        people = {
            "requester": UserFactory(username="staff", team=team, line_manager=supervisor),
            "supervisor": supervisor,
            "other_supervisor": other_supervisor,
            "comms": UserFactory(username="comms", roles=[Role.COMMS]),
            "governance": UserFactory(
                username="governance", roles=[Role.GOVERNANCE], job_title="Head of Business and Governance"
            ),
            "head_of_service": head,
            "staff": UserFactory(username="staff2", team=other_team, line_manager=other_supervisor),
            "outsider": UserFactory(username="outsider"),
            "hr": UserFactory(username="hr", roles=[Role.HR]),
            "administrator": UserFactory(username="admin", roles=[Role.ADMINISTRATOR], is_staff=True),
            "infosec": UserFactory(username="infosec", roles=[Role.INFOSEC]),
        }
        actors = {
            "requester": people["requester"],
            "approver": supervisor,
            "communications": people["comms"],
            "adviser": head,
        }
        requests = {
            name: build_request(actors, kind, state, **fields)
            for name, (kind, state, fields, *_) in REQUESTS.items()
        }
    yield people, {name: request.pk for name, request in requests.items()}
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("name", REQUESTS)
@pytest.mark.parametrize("page", ["view", "edit", "move"])
def test_request_pages_by_relation(client, world, relation, name, page):
    people, requests = world
    kind, state, fields, may_see, move, may_move = REQUESTS[name]
    request = BusinessUseRequest.objects.get(pk=requests[name])
    client.force_login(people[relation])
    events = request.events.count()
    if page == "view":
        response = client.get(reverse("business_use:detail", args=[request.pk]))
        assert response.status_code == (200 if relation in may_see else 404)
        return
    if page == "edit":
        response = client.get(reverse("business_use:edit", args=[request.pk]))
        may_edit = relation == "requester" and state == State.CHANGES_REQUESTED
        assert response.status_code == (200 if may_edit else 404)
        return
    data = {
        f"{move}-expected_state": state,
        f"{move}-text": "Done.",
        f"{move}-published_where": "focus Facebook",
    }
    data[f"{move}-published_at"] = "2026-11-20T10:00"
    response = client.post(reverse("business_use:move", args=[request.pk, move]), data)
    request.refresh_from_db()
    if relation in may_move:
        assert response.status_code == 302
        assert request.events.count() == events + 1
    else:
        # Those who may see the request are told why not; everyone else learns nothing.
        assert response.status_code == (400 if relation in may_see else 404)
        assert request.state == state
        assert request.events.count() == events


@pytest.mark.parametrize("relation", RELATIONS)
def test_the_list_shows_each_person_only_what_they_may_see(client, world, relation):
    people, requests = world
    made = {name: BusinessUseRequest.objects.get(pk=pk) for name, pk in requests.items()}
    client.force_login(people[relation])
    response = client.get(reverse("business_use:list"))
    assert response.status_code == 200
    html = response.content.decode()
    for name, request in made.items():
        link = f'href="{request.get_absolute_url()}"'
        assert (link in html) == (relation in REQUESTS[name][3]), name


def test_pages_need_a_login(client, make_request):
    request = make_request(Kind.OFFICIAL_POST)
    for url in [
        reverse("business_use:list"),
        reverse("business_use:choose"),
        reverse("business_use:new", args=["official-post"]),
        reverse("business_use:detail", args=[request.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_a_person_who_has_left_sees_nothing(client, make_request, supervisor):
    request = make_request(Kind.OFFICIAL_POST)
    supervisor.is_active = False
    supervisor.save()
    client.force_login(supervisor)
    assert client.get(reverse("business_use:detail", args=[request.pk])).status_code in (302, 404)
