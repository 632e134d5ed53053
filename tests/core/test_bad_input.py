"""Bad input at the door (core/bad_input.py): control characters in addresses and NUL in forms get a 400
that says why, and requests too large get a 413 before their body is read, never a 500."""

import io

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Case, CaseEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def governance_client(governance):
    # Exceptions are raised, not turned into 500 pages: a 500 fails the test with its cause.
    client = Client(raise_request_exception=True)
    client.force_login(governance)
    return client


ADDRESSES = [
    "/cases/SMP-2026-0001%00/",  # the case page: its reference reaches the database
    "/cases/SMP%00/notes/",
    "/cases/all/?q=photo%00",  # the case list's search and filters
    "/cases/all/?stage=%00",
    "/cases/all/?platform=facebook&team=%01",
    "/cases/all/?%00=1",
    "/cases/all/?q=tab%09here",
    "/cases/all/?q=del%7F",
    "/policies/?q=%00",
    "/api/v1/cases/?q=%00",  # the API's filters and detail
    "/api/v1/cases/SMP-2026-0001%00/",
    "/api/v1/policies/?search=%1b",
    "/audit/?q=%00",
    "/static/css/%00.css",
    "/%00",
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_a_control_character_in_the_address_is_refused_with_a_page_that_says_why(
    governance_client, case_about_colleague, address
):
    response = governance_client.get(address)
    assert response.status_code == 400
    assert "control character" in response.text
    assert response["Cache-Control"] == "no-store, private"
    # The API answers in its own language: JSON, as its schema says.
    if address.startswith("/api/"):
        assert response["Content-Type"] == "application/json"
        assert "control character" in response.json()["request"][0]
    else:
        assert response["Content-Type"].startswith("text/html")


def test_an_address_without_one_still_works(governance_client, case_about_colleague):
    assert governance_client.get("/cases/all/?q=photo").status_code == 200
    assert governance_client.get(case_about_colleague.get_absolute_url()).status_code == 200
    assert governance_client.get("/api/v1/cases/?q=photo").status_code == 200
    assert governance_client.get("/cases/SMP-1999-9999/").status_code == 404


def test_a_nul_posted_to_a_case_is_refused_and_nothing_is_saved(client, supervisor, case_about_colleague):
    client.force_login(supervisor)
    case = case_about_colleague
    notes = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.NOTE)
    response = client.post(reverse("cases:add_note", args=[case.reference]), {"text": "a\x00b"})
    assert response.status_code == 400 and "NUL" in response.text
    response = client.post(reverse("cases:move", args=[case.reference]), {"move": "triage\x00"})
    assert response.status_code == 400
    response = client.post(reverse("cases:add_note", args=[case.reference]), {"te\x00xt": "a"})
    assert response.status_code == 400
    assert not notes.exists()
    # Text pasted with other control characters (a word processor's vertical tab) is kept, not refused.
    response = client.post(reverse("cases:add_note", args=[case.reference]), {"text": "line\x0bbreak\ttab"})
    assert response.status_code == 302
    assert notes.get().text == "line\x0bbreak\ttab"


def test_a_nul_in_a_raised_concern_is_refused(client, staff, policy):
    client.force_login(staff)
    data = {"subject_kind": "public", "subject_description": "X\x00", "description": "seen"}
    response = client.post(reverse("cases:raise"), data)
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_a_body_past_the_limit_is_refused_before_it_is_read(client, staff, policy, settings):
    settings.REQUEST_MAX_BYTES = 1000
    client.force_login(staff)

    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("the body was read")

        readline = read

    response = client.generic(
        "POST",
        reverse("cases:raise"),
        b"",
        content_type="multipart/form-data; boundary=xx",
        CONTENT_LENGTH="5000",
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    assert "too large: at most 1000 bytes can be sent at once" in response.text
    assert "each evidence file at most 10 MB" in response.text
    assert not Case.objects.exists()


def test_a_form_past_djangos_limit_on_its_text_says_so(client, supervisor, case_about_colleague, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client.force_login(supervisor)
    case = case_about_colleague
    response = client.post(reverse("cases:add_note", args=[case.reference]), {"text": "x" * 2000})
    assert response.status_code == 413
    assert "The text of the form is too large: at most 1 KB besides its files" in response.text
    assert not CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.NOTE).exists()


def test_a_form_with_too_many_fields_says_so(client, supervisor, case_about_colleague, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    client.force_login(supervisor)
    data = {f"field{number}": "x" for number in range(10)}
    response = client.post(reverse("cases:add_note", args=[case_about_colleague.reference]), data)
    assert response.status_code == 400
    assert "more fields or files than any form here has" in response.text


def test_the_limits_default_to_what_the_evidence_allows(settings):
    assert settings.REQUEST_MAX_BYTES == 10 * (10 * 1024 * 1024) + 2_621_440
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2_621_440
