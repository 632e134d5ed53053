"""Messages both ways on a case: the reporter writes to those handling it from their case page, the handler
answers; each side is told; a message waits in the handler's work queue until it is answered. Internal
notes stay internal."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from cases import reporter, services
from cases.models import CaseEvent, Stage
from core.errors import DomainError
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db

QUEUE = "Messages from reporters awaiting an answer"


def send(client, case, text):
    return client.post(reverse("cases:reporter_message", args=[case.reference]), {"text": text}, follow=True)


def told(person, kind):
    return Notification.objects.filter(recipient=person, kind=kind)


def waiting(client, person):
    """The person's queue of messages from reporters on their home page."""
    client.force_login(person)
    page = client.get(reverse("home")).text
    assert f'id="queue-reporter_messages">{QUEUE} <span' in page
    return page.split(f'id="queue-reporter_messages">{QUEUE}', 1)[1].split("</section>", 1)[0]


def test_the_reporter_sends_a_message_and_the_handler_is_told(
    client, case_about_colleague, staff, supervisor, other_staff, governance
):
    case = case_about_colleague
    client.force_login(staff)
    response = send(client, case, "I have remembered: the post was also shared in a group.")

    assert "Your message has been sent." in response.text
    assert "Your message" in response.text
    assert "also shared in a group" in response.text
    event = case.events.get(kind=CaseEvent.Kind.REPORTER_MESSAGE)
    assert (event.actor, event.visible_to_reporter) == (staff, True)
    assert AuditEntry.objects.filter(
        case=case, actor=staff, what__contains="the reporter sent a message"
    ).exists()
    notice = told(supervisor, Kind.FROM_REPORTER).get()
    assert notice.title == f"The reporter of case {case.reference} has sent a message"
    assert notice.link == case.get_absolute_url()
    # Neither the reporter, the subject, nor a governance head not yet involved is told.
    for person in (staff, other_staff, governance):
        assert not told(person, Kind.FROM_REPORTER).exists()

    client.force_login(supervisor)
    page = client.get(case.get_absolute_url()).text
    assert "Message from the reporter" in page and "also shared in a group" in page
    assert "is waiting for an answer" in page


def test_the_handlers_answer_reaches_the_reporter_and_clears_what_waited(
    client, case_about_colleague, staff, supervisor
):
    case = case_about_colleague
    reporter.reporter_send_message(case=case, text="Is anyone looking at this?", by=staff)
    assert case.reference in waiting(client, supervisor)

    client.force_login(supervisor)
    client.post(reverse("cases:message_reporter", args=[case.reference]), {"text": "Yes, since Monday."})

    notice = told(supervisor, Kind.FROM_REPORTER).get()
    assert notice.read_at is not None  # answering cleared it
    assert told(staff, Kind.REPORTER_MESSAGE).filter(read_at__isnull=True).exists()
    case.refresh_from_db()
    assert case.reporter_waiting_since is None
    assert case.reference not in waiting(client, supervisor)

    client.force_login(staff)
    page = client.get(case.get_absolute_url()).text
    assert page.index("Is anyone looking at this?") < page.index("Yes, since Monday.")
    assert "Message for you" in page


def test_the_waiting_message_is_in_the_handlers_work_queue_oldest_first(
    client, raise_case, case_about_colleague, staff, supervisor
):
    later = raise_case(staff)
    reporter.reporter_send_message(case=case_about_colleague, text="First.", by=staff)
    reporter.reporter_send_message(case=later, text="Second.", by=staff)
    reporter.reporter_send_message(case=case_about_colleague, text="Again.", by=staff)
    section = waiting(client, supervisor)
    assert "(2)" in section
    assert section.index(case_about_colleague.reference) < section.index(later.reference)
    assert "Answer the reporter (waiting since" in section


def test_the_governance_head_answers_while_the_case_is_with_them(
    client, case_about_colleague, move_to, staff, supervisor, governance
):
    case = move_to(case_about_colleague, Stage.UNDER_REVIEW)
    reporter.reporter_send_message(case=case, text="Any news?", by=staff)
    assert told(governance, Kind.FROM_REPORTER).exists()
    assert told(supervisor, Kind.FROM_REPORTER).exists()
    assert case.reference in waiting(client, governance)

    services.case_message_reporter(case=case, by=governance, text="The review has started.")
    assert not Notification.objects.filter(kind=Kind.FROM_REPORTER, read_at__isnull=True).exists()


def test_internal_notes_stay_internal(client, case_about_colleague, staff, supervisor):
    case = case_about_colleague
    reporter.reporter_send_message(case=case, text="Please keep me informed.", by=staff)
    services.case_add_note(case=case, by=supervisor, text="Reporter and subject share a team.")
    client.force_login(staff)
    page = client.get(case.get_absolute_url()).text
    assert "Please keep me informed." in page
    assert "share a team" not in page


def test_an_empty_message_is_refused_and_nothing_is_sent(client, case_about_colleague, staff, supervisor):
    client.force_login(staff)
    response = client.post(
        reverse("cases:reporter_message", args=[case_about_colleague.reference]), {"text": " "}
    )
    assert response.status_code == 400
    assert "That was not done" in response.text
    assert not case_about_colleague.events.filter(kind=CaseEvent.Kind.REPORTER_MESSAGE).exists()
    assert not told(supervisor, Kind.FROM_REPORTER).exists()


@pytest.mark.parametrize("who", ["other_staff", "supervisor", "governance", "outsider"])
def test_only_the_reporter_sends_the_reporters_messages(case_about_colleague, request, who):
    with pytest.raises(DomainError, match="Only the reporter"):
        reporter.reporter_send_message(
            case=case_about_colleague, text="Hello.", by=request.getfixturevalue(who)
        )
    assert not case_about_colleague.events.filter(kind=CaseEvent.Kind.REPORTER_MESSAGE).exists()


def test_an_anonymous_reporter_cannot_act_on_a_case_with_a_named_reporter(case_about_colleague):
    with pytest.raises(DomainError, match="Only the reporter"):
        reporter.reporter_send_message(case=case_about_colleague, text="Hello.", by=None)
