"""The limits on a concern's text, through the raise form, the API and the database (core/limits.py):
each link at most 2,000 characters, what was seen at most 20,000; every other text field has its own."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases.models import Case, CaseEvent
from core.limits import LINK, LONG_TEXT
from tests.cases.test_evidence import raise_data

pytestmark = pytest.mark.django_db

RAISE = "/cases/raise/"


def test_what_was_seen_may_be_20000_characters_and_no_more(client, staff, policy):
    client.force_login(staff)
    page = client.get(RAISE).text
    assert 'maxlength="20000"' in page  # the browser stops there too

    response = client.post(RAISE, raise_data(policy, description="x" * 20_001))
    assert response.status_code == 200
    assert "Write at most 20000 characters here (you gave 20001)." in response.text
    assert "x" * 20_001 in response.text  # what was typed comes back, to be shortened
    assert not Case.objects.exists()

    response = client.post(RAISE, raise_data(policy, description="x" * 20_000))
    assert response.status_code == 302
    assert len(Case.objects.get().description) == 20_000


def test_a_link_may_be_2000_characters_and_no_more(client, staff, policy):
    client.force_login(staff)
    long_link = "https://facebook.example/" + "a" * (LINK - 25)
    assert len(long_link) == LINK

    too_long = long_link + "a"
    response = client.post(RAISE, raise_data(policy, links=f"https://facebook.example/1\n{too_long}"))
    assert "Each link may be at most 2,000 characters (you gave 2,001 in the one starting" in response.text
    assert not Case.objects.exists()

    # The case: a link of a megabyte is refused, not kept.
    response = client.post(RAISE, raise_data(policy, links="https://x.example/" + "a" * 1_000_000))
    assert response.status_code == 200
    assert "Write at most 20000 characters here (you gave 1000018)." in response.text
    assert not Case.objects.exists()

    response = client.post(RAISE, raise_data(policy, links=long_link))
    assert response.status_code == 302
    assert Case.objects.get().link_list() == [long_link]


def test_a_case_note_past_its_limit_is_refused_by_the_form(client, supervisor, case_about_colleague):
    client.force_login(supervisor)
    url = reverse("cases:add_note", args=[case_about_colleague.reference])
    response = client.post(url, {"text": "n" * 10_001}, follow=True)
    assert "Write at most 10000 characters here (you gave 10001)." in response.text
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.NOTE).exists()


@pytest.mark.parametrize(
    "field, limit", [("description", LONG_TEXT), ("links", LONG_TEXT), ("routing_note", LONG_TEXT)]
)
def test_the_database_refuses_more_than_the_limit(case_about_colleague, field, limit):
    cases = Case.objects.filter(pk=case_about_colleague.pk)
    cases.update(**{field: "y" * limit})
    with pytest.raises(IntegrityError), transaction.atomic():
        cases.update(**{field: "y" * (limit + 1)})


def test_the_database_refuses_a_timeline_line_past_its_limit(case_about_colleague):
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseEvent.objects.create(case=case_about_colleague, kind=CaseEvent.Kind.NOTE, text="z" * 30_001)


def test_the_api_refuses_a_search_past_its_limit_with_a_clear_400(client, governance, case_about_colleague):
    client.force_login(governance)
    response = client.get("/api/v1/cases/", {"q": "w" * 101})
    assert response.status_code == 400
    assert response.json() == {"q": ["Write at most 100 characters here (you gave 101)."]}
    assert client.get("/api/v1/cases/", {"q": "w" * 100}).status_code == 200


def test_the_api_describes_the_limits(client, governance):
    client.force_login(governance)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    case = schema["components"]["schemas"]["CaseDetail"]["properties"]
    assert case["description"].get("maxLength") == LONG_TEXT
