"""The reporter follows their case: its stage in plain words, when they will hear, and the messages sent to
them, and nothing more."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
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
    # The reporter's only forms are their own (a message, evidence; withdrawing ended at the referral),
    # never the handler's steps.
    ref = followed_case.reference
    assert re.findall(r'action="(/cases/[^"]+)"', text) == [
        f"/cases/{ref}/reporter/messages/",
        f"/cases/{ref}/reporter/evidence/",
    ]


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


# --- The stage in plain words, and when the reporter will hear ---------------------------------------------

LONDON = zoneinfo.ZoneInfo("Europe/London")
RAISED = datetime.datetime(2026, 12, 2, 10, tzinfo=LONDON)


@pytest.mark.parametrize(
    "stage, words",
    [
        (Stage.SUBMITTED, "Received: it is waiting for the person who will look at it first"),
        (Stage.IN_TRIAGE, "Being looked at: someone is deciding what should happen next"),
        (Stage.CLOSED_AT_TRIAGE, "Closed after it was looked at"),
        (Stage.REFERRED, "Passed to the Head of Business and Governance, who looks at serious matters"),
        (Stage.UNDER_REVIEW, "Being reviewed by the Head of Business and Governance"),
        (Stage.ACTION_IN_PROGRESS, "Action is being taken"),
        (Stage.CLOSED, "Closed"),
    ],
)
def test_the_reporter_reads_the_stage_in_plain_words(
    client, case_about_colleague, move_to, staff, stage, words
):
    case = move_to(case_about_colleague, stage)
    client.force_login(staff)
    page = client.get(case.get_absolute_url()).text
    assert f'Where it is now: <span class="stage">{words}</span>' in page


def test_the_reporter_sees_the_dates_by_which_they_will_hear(client, raise_case, staff, supervisor):
    with time_machine.travel(RAISED, tick=False):
        case = raise_case(staff)
    client.force_login(staff)
    page = client.get(case.get_absolute_url()).text
    # 7 days to acknowledge them, 3 months to give them feedback (reminders.models.Limits).
    assert "You will have a message acknowledging your concern by <strong>9 December 2026</strong>." in page
    assert "You will be told what is being done about it by <strong>2 March 2027</strong>" in page

    with time_machine.travel(RAISED + datetime.timedelta(days=1), tick=False):
        services.case_message_reporter(case=case, by=supervisor, text="Thank you: we are looking into it.")
    page = client.get(case.get_absolute_url()).text
    assert "Your concern was acknowledged on 3 December 2026." in page
    assert "by <strong>2 March 2027</strong>" in page  # an acknowledgement is not the feedback

    with time_machine.travel(RAISED + datetime.timedelta(days=8), tick=False):
        services.case_message_reporter(case=case, by=supervisor, text="We have asked for the post to go.")
    page = client.get(case.get_absolute_url()).text
    assert "You were told what is being done about it on 10 December 2026." in page


def test_a_closed_concern_has_no_dates_to_wait_for(client, case_about_colleague, move_to, staff):
    case = move_to(case_about_colleague, Stage.CLOSED)
    client.force_login(staff)
    page = client.get(case.get_absolute_url()).text
    assert "When you will hear" not in page
    assert "This concern is closed." in page
