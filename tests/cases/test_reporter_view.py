"""The reporter follows their case: its stage and the messages sent to them, and nothing more."""

import pytest
from django.urls import reverse

from cases import services
from cases.models import Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed_case(case_about_colleague, supervisor, governance, move_to):
    case = case_about_colleague
    services.case_add_note(case=case, by=supervisor, text="Subject has a history of this; see HR file.")
    services.case_message_reporter(case=case, by=supervisor, text="Thank you, we are looking into it.")
    return move_to(case, Stage.UNDER_REVIEW)


def test_reporter_sees_the_stage_and_messages(client, staff, followed_case):
    client.force_login(staff)
    response = client.get(followed_case.get_absolute_url())
    assert response.status_code == 200
    assert "Under governance review" in response.text
    assert "Thank you, we are looking into it." in response.text
    assert "Now: Referred to the Head of Business and Governance" in response.text


def test_reporter_never_sees_notes_handlers_or_routing(client, staff, supervisor, governance, followed_case):
    client.force_login(staff)
    response = client.get(followed_case.get_absolute_url())
    text = response.text
    # The page prints text only for messages, so the text checks below cannot see a note or the routing
    # reaching the reporter's timeline: check the entries themselves, then what each line reads.
    timeline = text[text.index('<ol class="timeline">') : text.index("</ol>")]
    assert [event.kind for event in response.context["events"]] == [
        "raised",
        "message",
        "stage",
        "stage",
        "stage",
    ]
    assert timeline.count("<li>") == 5
    assert "history of this" not in text
    assert "Recorded for the test." not in text  # the reasons given for each move are internal
    for person in (supervisor, governance):
        assert person.get_full_name() not in text
    assert "Routed" not in text
    assert 'action="/cases/' not in text  # no forms to act on the case


def test_reporter_cannot_act_on_their_own_case(client, staff, followed_case):
    client.force_login(staff)
    for name in ("move", "add_note", "message_reporter", "reassign"):
        assert client.post(reverse(f"cases:{name}", args=[followed_case.reference]), {}).status_code == 404


def test_reporter_sees_and_downloads_the_evidence_they_gave(client, staff, raise_case, governance):
    from django.core.files.uploadedfile import SimpleUploadedFile

    note = SimpleUploadedFile("what-i-saw.txt", b"The post said the service user's name.", "text/plain")
    case = raise_case(staff, evidence_files=[note])
    client.force_login(staff)
    page = client.get(case.get_absolute_url())
    assert "what-i-saw.txt" in page.text
    item = case.evidence.get()
    response = client.get(reverse("cases:evidence", args=[case.reference, item.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"The post said the service user's name."
