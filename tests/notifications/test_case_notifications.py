"""Who is told what when a case moves: routed or reassigned to you, referred to you, a message for you as
reporter. Titles and e-mails are neutral — a reference and a link, never the subject, the platform or what
was posted — and the subject of a concern is never told."""

import pytest
from django.conf import settings
from django.core import mail

from cases import services
from cases.models import Route, SubjectKind
from notifications.models import Delivery, Kind, Notification
from people.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# The fixtures that raise cases and move them along, shared with the case tests.


def told(person, kind=None):
    """What the person was told about cases (policy notifications, e.g. to acknowledge it, aside)."""
    notifications = Notification.objects.filter(recipient=person, link__startswith="/cases/")
    return notifications.filter(kind=kind) if kind else notifications


def assert_neutral(message, case, subject):
    """The e-mail links to the case and carries nothing of it."""
    # Leave out the greeting: it names the recipient, who may share a first name with the subject.
    body = "\n".join(line for line in message.body.splitlines() if not line.startswith("Hello "))
    text = message.subject + body
    assert f"{settings.SITE_URL.rstrip('/')}{case.get_absolute_url()}" in message.body
    assert case.description not in text
    assert subject.first_name not in text
    assert subject.last_name not in text
    assert case.get_platform_display() not in text
    assert "For confidentiality, this e-mail carries no details" in message.body


def test_the_handler_is_told_a_case_was_routed_to_them(
    raise_case, staff, supervisor, other_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = raise_case(
            staff, subject_kind=SubjectKind.COLLEAGUE, subject_person=other_staff, subject_description=""
        )

    routed = told(supervisor, Kind.CASE_ROUTED).get()
    assert routed.title == f"Case {case.reference} has been routed to you for triage"
    assert routed.link == case.get_absolute_url()
    assert {d.channel for d in routed.deliveries.all()} == {Delivery.Channel.IN_APP, Delivery.Channel.EMAIL}
    [message] = mail.outbox
    assert message.to == [supervisor.email]
    assert_neutral(message, case, other_staff)
    assert not told(other_staff).exists()
    assert not told(staff).exists()


def test_the_new_handler_is_told_of_a_reassignment_and_the_one_who_did_it_is_not(
    case_about_colleague, governance, other_staff, django_capture_on_commit_callbacks
):
    case = case_about_colleague
    # Another service's Head of Service: staff2's own manages them (cases.conflicts).
    head_of_service = UserFactory(username="headofservice2", roles=[Role.HEAD_OF_SERVICE])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_reassign(case=case, by=governance, to=head_of_service, reason="Needs a senior eye.")

    assigned = told(head_of_service, Kind.CASE_ROUTED).get()
    assert assigned.title == f"Case {case.reference} has been assigned to you"
    assert not told(governance).exists()
    [message] = mail.outbox
    assert message.to == [head_of_service.email]
    assert_neutral(message, case, other_staff)


def test_taking_a_case_on_yourself_tells_nobody(case_about_colleague, governance):
    services.case_reassign(case=case_about_colleague, by=governance, to=governance, reason="Mine now.")
    assert not told(governance).exists()


def test_every_active_governance_head_is_told_of_a_referral(
    case_about_colleague,
    move_to,
    governance,
    second_governance_head,
    other_staff,
    django_capture_on_commit_callbacks,
):
    second = second_governance_head
    departed = UserFactory(username="governance3", roles=[Role.GOVERNANCE], is_active=False)
    case = move_to(case_about_colleague, "in_triage")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_move(case=case, by=case.handler, move="refer", reason="Needs a decision.")

    for head in (governance, second):
        referred = told(head, Kind.CASE_REFERRED).get()
        assert referred.title == f"Case {case.reference} has been referred to you for a decision"
        assert referred.link == case.get_absolute_url()
    assert not told(departed).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([governance.email, second.email])
    for message in mail.outbox:
        assert_neutral(message, case, other_staff)


def test_a_governance_head_who_is_the_subject_is_not_told_of_the_referral(
    raise_case, staff, supervisor, governance, second_governance_head
):
    subject = second_governance_head
    case = raise_case(
        staff, subject_kind=SubjectKind.COLLEAGUE, subject_person=subject, subject_description=""
    )
    case = services.case_move(case=case, by=supervisor, move="start_triage")
    services.case_move(case=case, by=supervisor, move="refer", reason="Needs a decision.")
    assert told(governance, Kind.CASE_REFERRED).count() == 1
    assert not told(subject).exists()


def test_the_reporter_is_told_of_a_message_without_its_words(
    case_about_colleague, staff, supervisor, other_staff, django_capture_on_commit_callbacks
):
    case = case_about_colleague
    mail.outbox.clear()
    words = "We have asked for the post to be taken down."
    with django_capture_on_commit_callbacks(execute=True):
        services.case_message_reporter(case=case, by=supervisor, text=words)

    message_notice = told(staff, Kind.REPORTER_MESSAGE).get()
    assert message_notice.title == f"There is a new message for you about concern {case.reference}"
    assert message_notice.link == case.get_absolute_url()
    [message] = mail.outbox
    assert message.to == [staff.email]
    assert words not in message.body + message.subject
    assert_neutral(message, case, other_staff)
    assert not told(supervisor, Kind.REPORTER_MESSAGE).exists()


def test_internal_notes_tell_nobody(case_about_colleague, supervisor):
    count = Notification.objects.count()
    services.case_add_note(case=case_about_colleague, by=supervisor, text="Spoke to HR.")
    assert Notification.objects.count() == count


def test_a_subject_who_is_a_head_of_service_hears_nothing_of_the_whole_case(
    raise_case, staff, supervisor, head_of_service, governance, move_to
):
    """Routed past them, referred, messaged about, closed: the subject is never a recipient."""
    case = raise_case(
        staff,
        subject_kind=SubjectKind.COLLEAGUE,
        subject_person=head_of_service,
        subject_description="",
        route=Route.HEAD_OF_SERVICE,
    )
    assert case.handler != head_of_service
    services.case_message_reporter(case=case, by=case.handler, text="Thank you.")
    move_to(case, "closed")
    assert told(staff, Kind.REPORTER_MESSAGE).exists()
    assert told(governance).exists()
    assert not told(head_of_service).exists()
