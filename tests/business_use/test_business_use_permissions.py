"""Who may open and act on a business use request: every role and relation × every page × requests in
different states. Anyone without the right gets a 404, never a 403 that confirms the request exists."""

import pytest
from django.urls import reverse

from business_use.models import BusinessUseRequest, Kind, State
from tests.confirm import confirmed
from tests.factories import base_people

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


# The relations of RELATIONS, by the name of each person in base_people().
PEOPLE = {
    "requester": "staff",
    "supervisor": "supervisor",
    "other_supervisor": "other_supervisor",
    "comms": "comms",
    "governance": "governance",
    "head_of_service": "head_of_service",
    "staff": "other_staff",
    "outsider": "outsider",
    "hr": "hr",
    "administrator": "administrator",
    "infosec": "infosec",
}


def build_world(build_request):
    everyone = base_people()
    people = {relation: everyone[name] for relation, name in PEOPLE.items()}
    actors = {
        "requester": people["requester"],
        "approver": people["supervisor"],
        "communications": people["comms"],
        "adviser": people["head_of_service"],
    }
    requests = {
        name: build_request(actors, kind, state, **fields).pk
        for name, (kind, state, fields, *_) in REQUESTS.items()
    }
    return people, requests


@pytest.fixture(scope="module")
def world(build_once, build_request):
    """The people of tests/conftest.py and one request of each kind in REQUESTS, built once for the
    module (build_once: what a test moves is undone before the next)."""
    yield from build_once(lambda: build_world(build_request))


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
    response = client.post(reverse("business_use:move", args=[request.pk, move]), confirmed(data))
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
