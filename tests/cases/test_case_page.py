"""The handler's case page at any size: a long timeline comes in pages of the latest events, and the case
is reassigned by finding the person by name (a search on the page, or its script's JSON), not by choosing
among everyone who could take it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from cases import services
from cases.models import CaseEvent, LegalAdvice
from cases.views.case import TIMELINE_EVENTS
from people.models import User
from people.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(case_about_colleague):
    return case_about_colleague


def add_notes(case, count, actor):
    start = timezone.now() + datetime.timedelta(minutes=1)  # after the events of raising the case
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case,
            kind=CaseEvent.Kind.NOTE,
            actor=actor,
            text=f"Note {n:03}",
            at=start + datetime.timedelta(minutes=n),
        )
        for n in range(count)
    )


def test_a_long_timeline_shows_its_latest_events_and_links_to_earlier_ones(client, case, supervisor):
    add_notes(case, TIMELINE_EVENTS + 10, supervisor)
    client.force_login(supervisor)

    latest = client.get(case.get_absolute_url())
    shown = [e.text for e in latest.context["events"]]
    assert len(shown) == TIMELINE_EVENTS
    assert shown[-1] == f"Note {TIMELINE_EVENTS + 9:03}" and shown == sorted(shown)  # oldest first
    assert "Note 009" not in latest.text and "Earlier events" in latest.text

    earlier = client.get(case.get_absolute_url(), {"cursor": latest.context["events"].next_cursor})
    assert "Note 009" in earlier.text and "Note 010" not in earlier.text
    assert "You raised the concern" not in earlier.text  # the handler's page, not the reporter's
    assert "Later events" in earlier.text and "Latest events" in earlier.text


def lists_read(client, case):
    """The page, and the evidence and action tables it read rows of (not those it only asked EXISTS of)."""
    with CaptureQueriesContext(connection) as queries:
        page = client.get(case.get_absolute_url())
    tables = ("cases_evidence", "cases_legaladvice", "cases_removalrequest", "cases_platformnotice")
    tables += ("cases_policereferral", "cases_disciplinaryreferral")
    return page, {table for table in tables for q in queries if q["sql"].startswith(f'SELECT "{table}".')}


def test_the_case_page_reads_only_the_lists_the_case_has(client, case, governance):
    client.force_login(governance)
    page, read = lists_read(client, case)
    assert read == set() and "No action has been recorded yet." in page.text

    LegalAdvice.objects.create(
        case=case, recorded_by=governance, advised_on=datetime.date(2026, 3, 2), summary="Keep the posts."
    )
    page, read = lists_read(client, case)
    assert read == {"cases_legaladvice"}
    assert "Advice of 2 March 2026" in page.text and "Keep the posts." in page.text


def test_the_reporter_sees_their_timeline_in_pages_too(client, case, staff, supervisor):
    for n in range(TIMELINE_EVENTS + 1):
        services.case_message_reporter(case=case, by=supervisor, text=f"Message {n:03}")
    client.force_login(staff)
    response = client.get(case.get_absolute_url())
    assert "Message 000" not in response.text and f"Message {TIMELINE_EVENTS:03}" in response.text
    assert "Earlier events" in response.text


def test_the_reassign_field_lists_nobody_until_a_name_is_searched(client, case, governance):
    # Another service's Head of Service: staff2's own manages them (cases.conflicts).
    head_of_service = UserFactory(
        username="headofservice2", last_name="Elsewhere", roles=[Role.HEAD_OF_SERVICE]
    )
    client.force_login(governance)
    page = client.get(case.get_absolute_url())
    assert 'name="to"' not in page.text and "Find the person first." in page.text

    found = client.get(case.get_absolute_url(), {"reassign_q": head_of_service.last_name})
    assert f'value="{head_of_service.pk}"' in found.text and 'type="radio" name="to"' in found.text
    assert 'src="/static/js/people-search.js"' in found.text


def test_the_search_offers_only_people_who_may_take_the_case(client, case, governance, staff, other_staff):
    UserFactory(username="zz-super", last_name="Searchable", roles=[Role.SUPERVISOR])
    UserFactory(username="zz-staff", last_name="Searchable")  # Staff only: may not handle a case
    client.force_login(governance)

    response = client.get(case.get_absolute_url(), {"reassign_q": "searchable"})
    names = [label for _, label in response.context["reassign_form"].fields["to"].widget.choices]
    assert names == [str(User.objects.get(username="zz-super"))]

    # The reporter and the subject are never offered, even when searched for by name.
    for person in (staff, other_staff):
        response = client.get(case.get_absolute_url(), {"reassign_q": person.username})
        assert f'value="{person.pk}"' not in response.text


def test_the_script_search_returns_at_most_20_matches_as_json_and_is_audited(client, case, governance):
    for n in range(services.REASSIGN_MATCHES + 5):
        UserFactory(username=f"handler-{n:02}", roles=[Role.SUPERVISOR])
    client.force_login(governance)
    url = reverse("cases:reassign_people", args=[case.reference])

    data = client.get(url, {"q": "handler-"}).json()
    assert len(data["people"]) == services.REASSIGN_MATCHES and data["more"] is True
    third = User.objects.get(username="handler-03")
    assert client.get(url, {"q": "handler-03"}).json() == {
        "people": [{"id": third.pk, "name": third.display_name}],
        "more": False,
    }
    assert client.get(url, {"q": " "}).json() == {"people": [], "more": False}
    searches = AuditEntry.objects.filter(case=case, actor=governance, what__startswith="searched for someone")
    assert searches.count() == 3


@pytest.mark.parametrize("who", ["staff", "other_supervisor", "hr", "outsider"])
def test_only_those_who_may_reassign_can_search(client, case, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("cases:reassign_people", args=[case.reference]), {"q": "a"})
    assert response.status_code == 404


def test_a_refused_reassignment_keeps_the_person_chosen(client, case, supervisor, head_of_service):
    client.force_login(supervisor)
    response = client.post(reverse("cases:reassign", args=[case.reference]), {"to": head_of_service.pk})
    assert response.status_code == 400
    assert f'value="{head_of_service.pk}"' in response.text and "checked" in response.text


def test_someone_who_may_not_take_the_case_is_refused_whatever_is_posted(client, case, supervisor, hr):
    client.force_login(supervisor)
    data = {"to": hr.pk, "reason": "Why not."}
    response = client.post(reverse("cases:reassign", args=[case.reference]), data)
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.handler == supervisor
