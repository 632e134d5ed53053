"""The error summary (GOV.UK pattern): an invalid form comes back with one summary at the top of the page,
focusable, that links to each field in error; a script loaded on every page focuses it."""

from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from business_use.models import KINDS, Kind
from cases.models import Stage

pytestmark = pytest.mark.django_db


class _Page(HTMLParser):
    """The summaries of a page, the links in each, and every id on the page."""

    def __init__(self, html):
        super().__init__()
        self.ids, self.summaries, self._depth = set(), [], 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if self._depth:
            self._depth += tag == "div"
            if tag == "a":
                self.summaries[-1]["links"].append(attrs["href"])
        elif tag == "div" and "error-summary" in (attrs.get("class") or "").split():
            self._depth = 1
            self.summaries.append({"attrs": attrs, "links": []})

    def handle_endtag(self, tag):
        if self._depth and tag == "div":
            self._depth -= 1


def summary_of(response):
    """The page's one error summary: first in the page, focusable, and each link leads to a field on it."""
    page = _Page(response.content.decode())
    assert len(page.summaries) == 1, page.summaries
    summary = page.summaries[0]
    assert summary["attrs"]["role"] == "alert"
    assert summary["attrs"]["tabindex"] == "-1"
    for link in summary["links"]:
        assert link.startswith("#") and link[1:] in page.ids, link
    return summary["links"]


def test_raising_a_concern_without_what_was_seen(client, staff, policy):
    client.force_login(staff)
    response = client.post(reverse("cases:raise"), {"subject_kind": "public"})
    assert response.status_code == 200
    links = summary_of(response)
    assert "#id_description" in links
    assert "#id_platform" in links
    assert "There is a problem" in response.text
    assert "Nothing has been raised yet." in response.text
    assert "#id_subject_description" in links  # a concern about the public says who posted it


def test_closing_a_case_without_a_reason_or_an_outcome(client, case_about_colleague, move_to, governance):
    case = move_to(case_about_colleague, Stage.UNDER_REVIEW)
    client.force_login(governance)
    response = client.post(
        reverse("cases:move", args=[case.reference]), {"move": "close", "close-expected_stage": case.stage}
    )
    assert response.status_code == 400
    links = summary_of(response)
    assert links == ["#id_close-outcome", "#id_close-reason"]
    assert "That was not done" in response.text
    assert '<a href="#id_close-reason">Reason: This field is required.</a>' in response.text


def test_a_refused_move_is_said_at_the_top(client, case_about_colleague, move_to, governance):
    case = move_to(case_about_colleague, Stage.UNDER_REVIEW)
    client.force_login(governance)
    response = client.post(
        reverse("cases:move", args=[case.reference]),
        {"move": "start_action", "start_action-expected_stage": Stage.REFERRED},
    )
    assert response.status_code == 400
    assert summary_of(response) == []
    assert "has moved on since you opened it" in response.text


def test_a_business_use_request_without_its_details(client, staff, supervisor):
    client.force_login(staff)
    url = reverse("business_use:new", args=[KINDS[Kind.OFFICIAL_POST].slug])
    response = client.post(url, {"links": "https://focus.example/news/1"})
    assert response.status_code == 400
    assert summary_of(response) == ["#id_account", "#id_content"]
    assert "Nothing has been changed yet." in response.text


def test_a_note_without_text(client, case_about_colleague):
    client.force_login(case_about_colleague.handler)
    response = client.post(reverse("cases:add_note", args=[case_about_colleague.reference]), {"text": ""})
    assert response.status_code == 400
    assert summary_of(response) == ["#id_note_text"]


def test_a_form_page_of_the_shared_fields(client, staff):
    client.force_login(staff)
    response = client.post(reverse("password_change"), {"old_password": "wrong"})
    assert response.status_code == 200
    assert "#id_new_password1" in summary_of(response)


def test_a_valid_page_has_no_summary(client, staff, policy):
    client.force_login(staff)
    response = client.get(reverse("cases:raise"))
    assert _Page(response.content.decode()).summaries == []


def test_every_page_loads_the_script_that_focuses_the_summary(client, staff, policy):
    client.force_login(staff)
    html = client.get(reverse("cases:raise")).content.decode()
    assert '<script src="/static/js/error-summary.js" defer></script>' in html
    with open(finders.find("js/error-summary.js")) as script:
        assert 'document.querySelector(".error-summary")' in script.read()
