"""The business use pages: the list, a new request of each kind, the request page and its actions, and
changing and resubmitting. Bad input gets a clear message and keeps what was typed."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from business_use.models import MOVES, BusinessUseRequest, Kind, State
from tests.confirm import confirmed

pytestmark = pytest.mark.django_db

NEW = {
    "official-post": {"account": "focus_twitter", "content": "Join us at the carers' fair on Saturday."},
    "professional-site": {
        "site": "Skills for Care forum",
        "purpose": "share_best_practice",
        "from_date": "2026-12-01",
        "to_date": "2026-12-31",
    },
    "recommendation": {
        "recommended_for": "Riverside Advocacy",
        "site": "LinkedIn",
        "content": "Recommended.",
    },
    "advice": {"topic": "acceptable_sites", "content": "Is the NMC forum acceptable?"},
}


@pytest.mark.parametrize("slug", NEW)
def test_a_new_request_of_each_kind(client, staff, supervisor, slug):
    client.force_login(staff)
    response = client.post(reverse("business_use:new", args=[slug]), NEW[slug])
    request = BusinessUseRequest.objects.get(requester=staff)
    assert response.status_code == 302
    assert response["Location"] == request.get_absolute_url()
    assert request.spec.slug == slug
    page = client.get(request.get_absolute_url())
    assert request.reference in page.content.decode()
    assert "Submitted" in page.content.decode()


def test_a_form_with_mistakes_says_what_is_wrong_and_keeps_what_was_typed(client, staff):
    client.force_login(staff)
    data = {**NEW["professional-site"], "from_date": "2026-12-31", "to_date": "2026-12-01", "site": "Forum X"}
    response = client.post(reverse("business_use:new", args=["professional-site"]), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "The end date cannot be before the start date." in html
    assert 'value="Forum X"' in html
    assert not BusinessUseRequest.objects.exists()

    response = client.post(reverse("business_use:new", args=["official-post"]), {"content": "Kept text."})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_account"' in html
    assert "Kept text." in html


def test_an_unknown_kind_is_not_found(client, staff):
    client.force_login(staff)
    assert client.get(reverse("business_use:new", args=["billboard"])).status_code == 404


def test_the_forms_quote_the_policy(client, staff, policy):
    client.force_login(staff)
    html = client.get(reverse("business_use:new", args=["recommendation"])).content.decode()
    assert "recommendations or referrals can only be made through the CBUCP" in html
    html = client.get(reverse("business_use:choose")).content.decode()
    for number in ("6.1", "6.4", "6.5", "6.6"):
        assert f"<strong>{number}</strong>" in html


def test_the_request_page_offers_only_the_moves_the_table_allows(client, make_request, actors):
    request = make_request(Kind.OFFICIAL_POST)
    client.force_login(actors["approver"])
    html = client.get(request.get_absolute_url()).content.decode()
    for name in ("approve_content", "request_changes", "supervisor_decline"):
        assert reverse("business_use:move", args=[request.pk, name]) in html
    for name in ("publish", "withdraw", "authorise"):
        assert reverse("business_use:move", args=[request.pk, name]) not in html
    client.force_login(actors["requester"])
    html = client.get(request.get_absolute_url()).content.decode()
    assert reverse("business_use:move", args=[request.pk, "withdraw"]) in html
    assert reverse("business_use:move", args=[request.pk, "approve_content"]) not in html


def test_declining_without_a_reason_is_refused_and_keeps_the_page(client, make_request, actors):
    request = make_request(Kind.OFFICIAL_POST)
    client.force_login(actors["approver"])
    url = reverse("business_use:move", args=[request.pk, "supervisor_decline"])
    response = client.post(url, {"supervisor_decline-expected_state": State.WITH_SUPERVISOR})
    assert response.status_code == 400
    assert "Reason: This field is required." in response.content.decode()
    request.refresh_from_db()
    assert request.state == State.WITH_SUPERVISOR


def test_a_stale_page_is_told_it_moved_on(client, make_request, actors):
    request = make_request(Kind.OFFICIAL_POST, State.WITHDRAWN)
    client.force_login(actors["approver"])
    url = reverse("business_use:move", args=[request.pk, "approve_content"])
    response = client.post(url, {"approve_content-expected_state": State.WITH_SUPERVISOR})
    assert response.status_code == 400
    assert "has moved on since you opened it" in response.content.decode()


def test_publishing_through_the_page(client, make_request, actors):
    request = make_request(Kind.OFFICIAL_POST, State.WITH_COMMUNICATIONS)
    client.force_login(actors["communications"])
    page = client.get(request.get_absolute_url()).content.decode()
    assert 'value="focus Facebook"' in page  # where, filled in from the account asked for
    url = reverse("business_use:move", args=[request.pk, "publish"])
    bad = client.post(
        url, {"publish-expected_state": State.WITH_COMMUNICATIONS, "publish-published_link": "nope"}
    )
    assert bad.status_code == 400
    assert 'value="nope"' in bad.content.decode()
    response = client.post(
        url,
        {
            "publish-expected_state": State.WITH_COMMUNICATIONS,
            "publish-published_at": "2026-11-20T10:30",
            "publish-published_where": "focus Facebook",
            "publish-published_link": "https://facebook.example/focus/9",
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == State.PUBLISHED
    assert request.published_link == "https://facebook.example/focus/9"


def test_changing_and_resubmitting(client, make_request, actors):
    request = make_request(Kind.OFFICIAL_POST, State.CHANGES_REQUESTED)
    client.force_login(actors["requester"])
    page = client.get(request.get_absolute_url()).content.decode()
    assert reverse("business_use:edit", args=[request.pk]) in page
    assert "Recorded for the test." in page  # the changes asked for
    form = client.get(reverse("business_use:edit", args=[request.pk])).content.decode()
    assert "ran a coffee morning for carers" in form
    empty = client.post(
        reverse("business_use:edit", args=[request.pk]), {"account": "focus_blog", "content": ""}
    )
    assert empty.status_code == 400
    response = client.post(
        reverse("business_use:edit", args=[request.pk]), {"account": "focus_blog", "content": "Shorter."}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.state, request.account, request.content) == (
        State.WITH_SUPERVISOR,
        "focus_blog",
        "Shorter.",
    )
    assert request.events.last().label == MOVES["resubmit"].label


def test_the_list_has_my_requests_and_those_waiting_for_me(client, make_request, actors, other_staff):
    mine = make_request(Kind.OFFICIAL_POST)
    client.force_login(actors["approver"])
    html = client.get(reverse("business_use:list")).content.decode()
    assert "Waiting for you" in html
    assert mine.reference in html
    client.force_login(other_staff)
    html = client.get(reverse("business_use:list")).content.decode()
    assert "Waiting for you" not in html
    assert "You have not made any requests." in html


@pytest.mark.parametrize("who", ["requester", "approver", "communications"])
def test_the_list_costs_the_same_few_queries_however_many_requests(
    client, make_request, actors, governance, django_assert_max_num_queries, who
):
    for kind in Kind:
        for _ in range(3):
            make_request(kind)
    client.force_login(actors[who])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("business_use:list"))
    assert response.status_code == 200


def test_the_request_page_costs_a_bounded_number_of_queries(
    client, make_request, actors, django_assert_max_num_queries
):
    request = make_request(Kind.OFFICIAL_POST, State.PUBLISHED)
    client.force_login(actors["communications"])
    with django_assert_max_num_queries(12):
        assert client.get(request.get_absolute_url()).status_code == 200


def test_the_demo_data_is_safe_to_run_twice(db):
    call_command("seed_demo", stdout=io.StringIO())
    first = {state: BusinessUseRequest.objects.filter(state=state).count() for state in State}
    call_command("seed_demo", stdout=io.StringIO())
    assert {state: BusinessUseRequest.objects.filter(state=state).count() for state in State} == first
    assert first[State.PUBLISHED] == 1
    assert first[State.WITH_SUPERVISOR] == 1
    assert first[State.CHANGES_REQUESTED] == 1
    assert first[State.ANSWERED] == 3
    assert sum(first.values()) == 8


@pytest.mark.parametrize(
    "move, who, says",
    [
        ("withdraw", "requester", "will be withdrawn: nobody will decide on it."),
        ("supervisor_decline", "approver", "will be declined, and the requester told with your reason."),
    ],
)
def test_a_step_that_cannot_be_undone_is_checked_first(client, make_request, actors, move, who, says):
    request = make_request(Kind.OFFICIAL_POST)
    client.force_login(actors[who])
    url = reverse("business_use:move", args=[request.pk, move])
    data = {f"{move}-expected_state": State.WITH_SUPERVISOR, f"{move}-text": "Not needed now."}
    response = client.post(url, data)
    assert response.status_code == 200
    assert f"Request {request.reference} {says}" in response.content.decode()
    assert f'<a href="{request.get_absolute_url()}">Go back</a>' in response.content.decode()
    request.refresh_from_db()
    assert request.state == State.WITH_SUPERVISOR

    assert client.post(url, confirmed(data)).status_code == 302
    request.refresh_from_db()
    assert request.state != State.WITH_SUPERVISOR
