"""Anonymous reporting: raising without an account, the receipt key, following with it, and putting one's
name to it. Nothing identifies the device: no session, no address or user agent kept anywhere."""

import logging
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from cases.models import AnonymousReceipt, Case, CaseEvent, Evidence, Route, Stage
from notifications.models import Kind
from people.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.77"
BROWSER = "Mozilla/5.0 (Whistleblower-Test-Agent/9.9)"
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
KEY_PATTERN = re.compile(r"<code>([0-9A-Z]{4}(?:-[0-9A-Z]{4}){5})</code>")


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anonymous():
    """A browser with no account, from an address and user agent that must be kept nowhere."""
    return Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=BROWSER)


@pytest.fixture
def concern(policy):
    return {
        "subject_kind": "colleague",
        "subject_description": "Someone in the finance team, first name Sam",
        "platform": "facebook",
        "platform_other": "",
        "links": "https://facebook.example/posts/9",
        "seen_at": "2026-11-20T18:30",
        "description": "Photos of a service user at her birthday party, with her name.",
        "identifies_service_user_or_carer": "on",
    }


@pytest.fixture
def pool(head_of_service, governance, staff):
    """Two Heads of Service (the pool), the governance head, and staff with a supervisor."""
    second = UserFactory(username="hos2", first_name="Rita", last_name="Okafor", roles=[Role.HEAD_OF_SERVICE])
    return head_of_service, second


def send(client, concern, **extra):
    response = client.post(reverse("anonymous:report"), {**concern, **extra})
    assert response.status_code == 200, response.content
    match = KEY_PATTERN.search(response.text)
    return response, (match[1] if match else None)


def follow(client, key, **extra):
    return client.post(reverse("anonymous:follow"), {"key": key, **extra})


def test_the_sign_in_page_links_to_both_pages(client):
    response = client.get(reverse("login"))
    assert f'href="{reverse("anonymous:report")}">Report anonymously' in response.text
    assert f'href="{reverse("anonymous:follow")}"' in response.text


def test_the_form_says_what_is_kept_and_offers_no_staff_list(anonymous, concern, staff):
    response = anonymous.get(reverse("anonymous:report"))
    assert response.status_code == 200
    assert "not your IP address, not your browser" in response.text
    assert 'name="subject_person"' not in response.text and staff.get_full_name() not in response.text
    assert 'name="route"' not in response.text


def test_a_report_is_raised_with_no_reporter_and_routed_to_the_head_of_service_pool(
    anonymous, concern, pool, raise_case, staff
):
    first, second = pool
    raise_case(
        staff, route=Route.HEAD_OF_SERVICE
    )  # first has an open case: the pool gives the next to second
    response, key = send(anonymous, concern)
    case = Case.objects.get(raised_anonymously=True)
    assert key and case.reference in response.text
    assert (case.reporter, case.reporter_team, case.route, case.handler) == (
        None,
        None,
        Route.HEAD_OF_SERVICE,
        second,
    )
    assert "Raised anonymously" in case.routing_note
    assert case.subject_description == concern["subject_description"]
    # The usual clocks: triage and the reporter's deadlines.
    assert {timer.kind for timer in case.timers.all()} >= {"reporter_acknowledgement", "reporter_feedback"}


def test_a_head_of_service_named_by_the_reporter_is_passed_over(anonymous, concern, pool):
    first, second = pool
    send(anonymous, concern, subject_description=f"Our Head of Service, {second.get_full_name()}")
    assert Case.objects.get().handler == first


def test_a_colleague_must_be_named_in_words(anonymous, concern, policy, head_of_service):
    response = anonymous.post(reverse("anonymous:report"), {**concern, "subject_description": ""})
    assert "Say who the colleague is" in response.text
    assert not Case.objects.exists()


def test_only_the_keyed_hash_of_the_key_is_stored_and_the_key_is_shown_once(anonymous, concern, pool):
    response, key = send(anonymous, concern)
    assert len(key.replace("-", "")) >= 16
    assert "shown only this once" in response.text
    receipt = AnonymousReceipt.objects.get()
    assert key.replace("-", "") not in receipt.key_digest and len(receipt.key_digest) == 64
    assert not _database_contains(key) and not _database_contains(key.replace("-", ""))
    # Nowhere else to see it again: the follow page does not show it until it is given.
    assert key not in anonymous.get(reverse("anonymous:follow")).text
    assert key not in anonymous.get(reverse("anonymous:report")).text


def test_two_reports_get_different_keys(anonymous, concern, pool):
    assert send(anonymous, concern)[1] != send(anonymous, concern)[1]


def test_the_receipt_and_follow_pages_are_never_stored(anonymous, concern, pool):
    response, key = send(anonymous, concern)
    assert "no-store" in response["Cache-Control"]
    assert "no-store" in follow(anonymous, key)["Cache-Control"]


def test_no_cookie_but_csrf_is_set(concern, pool):
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=ADDRESS)
    pages = client.get(reverse("anonymous:report"))
    token = pages.cookies["csrftoken"].value
    response, key = send(client, concern, csrfmiddlewaretoken=token)
    opened = follow(client, key, csrfmiddlewaretoken=token)
    sent = follow(client, key, csrfmiddlewaretoken=token, action="message", text="More to tell.")
    wrong = follow(client, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF", csrfmiddlewaretoken=token)
    for answer in (pages, client.get(reverse("anonymous:follow")), response, opened, sent, wrong):
        assert set(answer.cookies) <= {"csrftoken"}, answer.cookies
    assert "sessionid" not in client.cookies and "messages" not in client.cookies


def test_no_address_or_user_agent_is_kept_in_the_database_or_the_logs(anonymous, concern, pool, caplog):
    caplog.set_level(logging.DEBUG)
    evidence = SimpleUploadedFile("shot.txt", b"What I saw.", content_type="text/plain")
    _, key = send(anonymous, {**concern, "evidence": evidence})
    follow(anonymous, key, action="message", text="More to tell.")
    follow(
        anonymous, key, action="evidence", files=SimpleUploadedFile("more.txt", b"More."), note="And this."
    )
    follow(anonymous, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
    case = Case.objects.get()
    entries = AuditEntry.objects.filter(case=case)
    assert entries.count() >= 3
    assert list(entries.values_list("ip_address", "actor")) == [(None, None)] * entries.count()
    for text in (ADDRESS, BROWSER, "Whistleblower-Test-Agent"):
        assert not _database_contains(text), text
        assert text not in caplog.text
    assert case.evidence.count() == 2 and set(case.evidence.values_list("uploaded_by", flat=True)) == {None}


def _database_contains(text):
    """Whether any column of any table holds `text` (each column read as text)."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            for column in connection.introspection.get_table_description(cursor, table):
                name = connection.ops.quote_name(column.name)
                # Names from the database's own catalogue, not from input.
                query = f"SELECT 1 FROM {quoted} WHERE CAST({name} AS TEXT) LIKE %s LIMIT 1"  # noqa: S608
                cursor.execute(query, [f"%{text}%"])
                if cursor.fetchone():
                    return True
    return False


def test_with_the_key_the_reporter_reads_the_stage_and_the_messages_and_writes(anonymous, concern, pool):
    _, key = send(anonymous, concern)
    case = Case.objects.get()
    from cases.services import case_message_reporter, case_move

    case_move(case=case, by=case.handler, move="start_triage")
    case_message_reporter(case=case, by=case.handler, text="Thank you. Can you send the link to the album?")
    case.handler.notifications.all().delete()

    response = follow(anonymous, key.lower().replace("-", " "))  # typed loosely: still the key
    assert response.status_code == 200
    assert "Being looked at: someone is deciding what should happen next" in response.text
    assert "Can you send the link to the album?" in response.text
    assert "internal" not in response.text.lower() or "Internal note" not in response.text

    sent = follow(anonymous, key, action="message", text="It is the album called Party.")
    assert "Your message was sent." in sent.text and "It is the album called Party." in sent.text
    message = case.events.get(kind=CaseEvent.Kind.REPORTER_MESSAGE)
    assert (message.actor, message.visible_to_reporter) == (None, True)

    added = follow(anonymous, key, action="evidence", files=SimpleUploadedFile("album.txt", b"Party album."))
    assert "Your evidence was added." in added.text and "album.txt" in added.text
    # The handler is told of each, as of a named reporter's (cases.notify.from_reporter_notify).
    told = case.handler.notifications.filter(kind=Kind.FROM_REPORTER)
    assert sorted(told.values_list("title", flat=True)) == [
        f"The reporter of case {case.reference} has added evidence",
        f"The reporter of case {case.reference} has sent a message",
    ]


def test_internal_notes_are_not_shown(anonymous, concern, pool):
    _, key = send(anonymous, concern)
    case = Case.objects.get()
    from cases.services import case_add_note

    case_add_note(case=case, by=case.handler, text="Probably Sam Jones in finance.")
    assert "Sam Jones" not in follow(anonymous, key).text


def test_an_empty_message_is_refused_and_nothing_is_sent(anonymous, concern, pool):
    _, key = send(anonymous, concern)
    response = follow(anonymous, key, action="message", text="  ")
    assert "Write the message before sending it." in response.text
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.REPORTER_MESSAGE).exists()


def test_a_closed_report_takes_no_more_messages(anonymous, concern, pool, move_to):
    _, key = send(anonymous, concern)
    move_to(Case.objects.get(), Stage.CLOSED_AT_TRIAGE)
    response = follow(anonymous, key, action="message", text="Anything new?")
    assert "This report is closed." in response.text
    assert "closed: you cannot send a message" in response.text
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.REPORTER_MESSAGE).exists()


def test_every_wrong_key_gets_the_same_answer(anonymous, concern, pool):
    _, key = send(anonymous, concern)
    near = key[:-1] + ("0" if key[-1] != "0" else "1")
    answers = {
        CSRF_TOKEN.sub("", follow(anonymous, wrong).text.replace(wrong, "KEY"))
        for wrong in [near, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF", "short", "not a key at all !!"]
    }
    assert len(answers) == 1
    (answer,) = answers
    assert "That key does not open a report." in answer and concern["description"] not in answer


def test_wrong_keys_are_throttled_per_client(anonymous, concern, pool, settings):
    settings.ANONYMOUS_KEY_TRIES_PER_MINUTE = 3
    _, key = send(anonymous, concern)
    for _ in range(3):
        assert follow(anonymous, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF").status_code == 200
    refused = follow(anonymous, key)  # even the right key, until the minute is out
    assert refused.status_code == 429 and "Wait a minute" in refused.text
    assert concern["description"] not in refused.text
    # Another client is not held up; the counter's name holds no address.
    assert follow(Client(REMOTE_ADDR="198.51.100.4"), key).status_code == 200
    assert not any(ADDRESS in str(name) for name in cache._cache)  # locmem's own store
    cache.clear()  # a minute later
    assert concern["description"] in follow(anonymous, key).text


def test_the_handler_sees_an_anonymous_reporter_and_nothing_of_the_device(anonymous, concern, pool, client):
    evidence = SimpleUploadedFile("shot.txt", b"What I saw.", content_type="text/plain")
    _, key = send(anonymous, {**concern, "evidence": evidence})
    follow(anonymous, key, action="message", text="More to tell.")
    case = Case.objects.get()
    client.force_login(case.handler)
    page = client.get(case.get_absolute_url())
    assert page.status_code == 200
    assert "Reported by</dt><dd>anonymous reporter" in page.text
    assert "Message from the reporter · anonymous reporter" in page.text
    assert "added by the anonymous reporter" in page.text
    assert ADDRESS not in page.text and "<dd>None" not in page.text and "· None" not in page.text


def test_the_lists_exports_and_api_take_an_anonymous_case(anonymous, concern, pool, governance, client):
    send(anonymous, concern)
    case = Case.objects.get()
    client.force_login(governance)
    for name in ("cases:all", "cases:triage_queue", "cases:export_csv", "api:case-list", "reports:index"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    assert client.get(reverse("api:case-detail", args=[case.reference])).json()["reporter"] is None
    assert client.get(reverse("cases:all"), {"q": "anonymous"}).status_code == 200


def test_signed_in_with_the_key_the_reporter_puts_their_name_to_it(anonymous, concern, pool, staff):
    _, key = send(anonymous, concern)
    case = Case.objects.get()
    follow(anonymous, key, action="message", text="More to tell.")
    named = Client()
    named.force_login(staff)
    assert "Make it my report" in follow(named, key).text
    response = named.post(reverse("anonymous:claim"), {"key": key}, follow=True)
    case.refresh_from_db()
    assert (case.reporter, case.reporter_team, case.raised_anonymously) == (staff, staff.team, True)
    assert response.redirect_chain[-1][0] == case.get_absolute_url()
    assert "is now yours" in response.text and "More to tell." in response.text
    assert not AnonymousReceipt.objects.exists()
    # The key opens nothing any more, and the same answer as any wrong key.
    assert "That key does not open a report." in follow(anonymous, key).text
    # The handler's page shows the name now, and that it was raised anonymously.
    handler = Client()
    handler.force_login(case.handler)
    assert "(raised anonymously, later named)" in handler.get(case.get_absolute_url()).text


def test_a_named_report_is_never_made_anonymous(anonymous, concern, pool, staff, other_staff, raise_case):
    raise_case(staff)
    _, key = send(anonymous, concern)
    first = Client()
    first.force_login(staff)
    first.post(reverse("anonymous:claim"), {"key": key})
    second = Client()
    second.force_login(other_staff)
    response = second.post(reverse("anonymous:claim"), {"key": key})
    assert "That key does not open a report." in response.text
    assert Case.objects.get(raised_anonymously=True).reporter == staff
    # No page or service takes a name off; the database refuses a case with no reporter unless raised so.
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(raised_anonymously=False).update(reporter=None)


def test_the_handler_cannot_make_it_theirs(anonymous, concern, pool):
    _, key = send(anonymous, concern)
    case = Case.objects.get()
    client = Client()
    client.force_login(case.handler)
    response = client.post(reverse("anonymous:claim"), {"key": key})
    assert "You have a part in handling this concern" in response.text
    assert Case.objects.get().reporter is None


def test_putting_a_name_to_it_needs_signing_in(anonymous, concern, pool):
    _, key = send(anonymous, concern)
    response = anonymous.post(reverse("anonymous:claim"), {"key": key})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert Case.objects.get().reporter is None


def test_the_anonymous_reporters_evidence_becomes_theirs_when_named(anonymous, concern, pool, staff):
    evidence = SimpleUploadedFile("shot.txt", b"What I saw.", content_type="text/plain")
    _, key = send(anonymous, {**concern, "evidence": evidence})
    client = Client()
    client.force_login(staff)
    client.post(reverse("anonymous:claim"), {"key": key})
    item = Evidence.objects.get()
    assert item.uploaded_by == staff
    assert client.get(reverse("cases:evidence", args=[item.case.reference, item.pk])).status_code == 200


def test_once_anonymised_the_key_opens_nothing(anonymous, concern, pool):
    from dataprotection.anonymise import cases_anonymise

    _, key = send(anonymous, concern)
    cases_anonymise([Case.objects.get().pk])
    assert not AnonymousReceipt.objects.exists()
    assert "That key does not open a report." in follow(anonymous, key).text


@pytest.mark.parametrize(
    "who, becomes_theirs",
    [
        ("staff", True),
        ("hr", True),
        ("outsider", True),
        ("supervisor", True),
        ("head_of_service", False),  # handles it
        ("governance", False),  # sees every case: not its reporter too
    ],
)
def test_who_may_put_their_name_to_an_anonymous_report(anonymous, concern, request, who, becomes_theirs):
    request.getfixturevalue("pool")
    person = request.getfixturevalue(who)
    _, key = send(anonymous, concern)
    client = Client()
    client.force_login(person)
    response = client.post(reverse("anonymous:claim"), {"key": key})
    case = Case.objects.get()
    assert (case.reporter == person) is becomes_theirs
    assert (response.status_code == 302) is becomes_theirs
    assert AnonymousReceipt.objects.exists() is not becomes_theirs


def test_the_usual_clocks_escalate_an_untriaged_anonymous_report(concern, pool, governance, policy):
    """No reporter's team to escalate within: the governance head takes it, as for any case whose Head of
    Service cannot."""
    import datetime

    import time_machine

    from cases.anonymous import case_raise_anonymously
    from reminders.sweep import sweep_timers

    raised_at = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)  # a Monday
    with time_machine.travel(raised_at, tick=False):
        case, _ = case_raise_anonymously(
            policy_version=policy.current_version(),
            subject_kind="public",
            platform="facebook",
            seen_at=raised_at,
            description="A post about the day centre.",
        )
    with time_machine.travel(raised_at + datetime.timedelta(days=7), tick=False):
        assert sweep_timers() >= 1
    case.refresh_from_db()
    assert case.handler == governance and case.reporter is None
    assert case.events.filter(kind=CaseEvent.Kind.ESCALATED).exists()
