"""Delivering notifications: channels, each person's preferences, daily digests, retries and the sweep.

Tasks run in-process here (the test settings have no broker); tests/notifications/test_celery.py runs a
real worker against Redis.
"""

import datetime
import smtplib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.exceptions import Retry
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications import services, tasks
from notifications.models import MANDATORY_KINDS, Delivery, Kind, Notification, Preference
from people.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
LINK = "/cases/SMP-2026-0042/"
TITLE = "A case has been routed to you"


def at(*args):
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def notify(django_capture_on_commit_callbacks):
    """notify(person, kind=...): a notification as a service would send it, its transaction committed."""

    def _notify(recipient, kind=Kind.CASE_ROUTED, title=TITLE, link=LINK):
        with django_capture_on_commit_callbacks(execute=True):
            return services.notify(recipient=recipient, kind=kind, title=title, link=link)

    return _notify


@pytest.fixture
def queued_only(django_capture_on_commit_callbacks):
    """Like notify, but the broker never runs the tasks: the records wait for the sweep."""

    def _notify(recipient, kind=Kind.CASE_ROUTED, title=TITLE, link=LINK):
        with django_capture_on_commit_callbacks(execute=False):
            return services.notify(recipient=recipient, kind=kind, title=title, link=link)

    return _notify


@pytest.fixture
def smtp_down(monkeypatch):
    """The mail server refuses every message until smtp_down.restore() is called."""

    def refuse(backend, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    class Outage:
        def restore(self):
            monkeypatch.undo()

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    return Outage()


def deliveries(notification):
    return {d.channel: d for d in notification.deliveries.all()}


def set_preference(person, kind, mode):
    Preference.objects.create(user=person, kind=kind, mode=mode)


# --- The record and its channels -------------------------------------------------------------------------


def test_a_notification_is_a_record_then_delivered_in_the_app_and_by_email(notify, supervisor):
    notification = notify(supervisor)

    notification.refresh_from_db()
    assert (notification.recipient, notification.kind, notification.title, notification.link) == (
        supervisor,
        Kind.CASE_ROUTED,
        TITLE,
        LINK,
    )
    assert notification.created_at and not notification.is_read
    sent = deliveries(notification)
    assert set(sent) == {Delivery.Channel.IN_APP, Delivery.Channel.EMAIL}
    for delivery in sent.values():
        assert (delivery.status, delivery.attempts, delivery.last_error) == (Delivery.Status.SENT, 1, "")
        assert delivery.sent_at is not None
    assert [m.to for m in mail.outbox] == [[supervisor.email]]


def test_nothing_is_sent_until_the_transaction_commits(django_capture_on_commit_callbacks, supervisor):
    with django_capture_on_commit_callbacks() as queued:
        notification = services.notify(recipient=supervisor, kind=Kind.CASE_ROUTED, title=TITLE, link=LINK)
        assert mail.outbox == []
        waiting = deliveries(notification)
        # In the app it is there at once; the e-mail waits for the commit.
        assert waiting[Delivery.Channel.IN_APP].status == Delivery.Status.SENT
        assert waiting[Delivery.Channel.EMAIL].status == Delivery.Status.PENDING
    for callback in queued:
        callback()
    assert {d.status for d in deliveries(notification).values()} == {Delivery.Status.SENT}
    assert len(mail.outbox) == 1


def test_the_email_carries_only_a_neutral_title_and_the_link(notify, supervisor, settings):
    settings.SITE_URL = "https://policy.focus.example/"
    notify(supervisor)

    [email] = mail.outbox
    assert email.subject == f"focuspolicy: {TITLE}"
    assert email.from_email == settings.DEFAULT_FROM_EMAIL
    assert "https://policy.focus.example/cases/SMP-2026-0042/" in email.body
    assert f"{TITLE}." in email.body
    assert "this e-mail carries no details" in email.body
    assert email.body.startswith(f"Hello {supervisor.first_name},")


def test_nobody_inactive_is_notified_and_nobody_twice(django_capture_on_commit_callbacks, staff, supervisor):
    staff.is_active = False
    staff.save()
    with django_capture_on_commit_callbacks(execute=True):
        created = services.notify_many(
            recipients=[supervisor, staff, supervisor, None], kind=Kind.CASE_ROUTED, title=TITLE, link=LINK
        )
    assert [n.recipient for n in created] == [supervisor]
    assert [m.to for m in mail.outbox] == [[supervisor.email]]


def test_notifying_many_people_takes_no_more_queries_than_notifying_two(django_capture_on_commit_callbacks):
    def queries_for(people):
        with django_capture_on_commit_callbacks(), CaptureQueriesContext(connection) as queries:
            services.notify_many(recipients=people, kind=Kind.CASE_ROUTED, title=TITLE, link=LINK)
        return len(queries)

    assert queries_for(UserFactory.create_batch(2)) == queries_for(UserFactory.create_batch(8))


# --- Preferences -------------------------------------------------------------------------------------------


def test_by_default_a_person_is_emailed_at_once(notify, supervisor):
    notification = notify(supervisor)
    assert deliveries(notification)[Delivery.Channel.EMAIL].digest is False
    assert len(mail.outbox) == 1


def test_in_app_only_sends_no_email(notify, supervisor):
    set_preference(supervisor, Kind.CASE_ROUTED, Preference.Mode.IN_APP)
    notification = notify(supervisor)

    assert set(deliveries(notification)) == {Delivery.Channel.IN_APP}
    assert deliveries(notification)[Delivery.Channel.IN_APP].status == Delivery.Status.SENT
    assert mail.outbox == []
    # A preference for one kind leaves the others alone.
    notify(supervisor, kind=Kind.REPORTER_MESSAGE)
    assert len(mail.outbox) == 1


def test_a_digest_preference_keeps_the_email_for_the_digest(notify, supervisor):
    set_preference(supervisor, Kind.CASE_ROUTED, Preference.Mode.DIGEST)
    with time_machine.travel(at(2026, 3, 10, 10, 0), tick=False):
        notification = notify(supervisor)

    email = deliveries(notification)[Delivery.Channel.EMAIL]
    assert (email.digest, email.status, email.due_at) == (True, Delivery.Status.PENDING, at(2026, 3, 11, 7))
    assert deliveries(notification)[Delivery.Channel.IN_APP].status == Delivery.Status.SENT
    assert mail.outbox == []


@pytest.mark.parametrize("kind", sorted(MANDATORY_KINDS))
@pytest.mark.parametrize("mode", [Preference.Mode.IN_APP, Preference.Mode.DIGEST])
def test_escalations_and_breach_decisions_are_emailed_at_once_whatever_the_preference(
    notify, head_of_service, kind, mode
):
    # Set behind the service's back (preferences_save refuses these kinds): the delivery ignores it anyway.
    set_preference(head_of_service, kind, mode)
    notification = notify(head_of_service, kind=kind, title="A case has been escalated to you")

    assert deliveries(notification)[Delivery.Channel.EMAIL].digest is False
    assert [m.to for m in mail.outbox] == [[head_of_service.email]]


def test_saving_preferences_ignores_the_kinds_that_cannot_be_turned_off(supervisor):
    services.preferences_save(
        user=supervisor,
        modes={Kind.CASE_ROUTED: Preference.Mode.DIGEST, Kind.ESCALATION: Preference.Mode.IN_APP},
    )
    assert dict(Preference.objects.filter(user=supervisor).values_list("kind", "mode")) == {
        Kind.CASE_ROUTED: Preference.Mode.DIGEST
    }
    escalation = services.notify(recipient=supervisor, kind=Kind.ESCALATION, title="Escalated", link="/")
    assert deliveries(escalation)[Delivery.Channel.EMAIL].digest is False


# --- Daily digests -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hour, now, due",
    [
        (7, at(2026, 3, 10, 10, 0), at(2026, 3, 11, 7, 0)),
        (7, at(2026, 3, 10, 6, 59), at(2026, 3, 10, 7, 0)),
        (18, at(2026, 3, 10, 10, 0), at(2026, 3, 10, 18, 0)),
        # The clocks go forward on 29 March 2026: still 7 o'clock local time (06:00 UTC).
        (7, at(2026, 3, 28, 10, 0), at(2026, 3, 29, 7, 0)),
    ],
)
def test_the_digest_goes_at_the_configured_hour_local_time(settings, hour, now, due):
    settings.NOTIFICATION_DIGEST_HOUR = hour
    assert services.next_digest_time(now) == due


def test_the_digest_groups_each_persons_notifications_into_one_email(
    notify, supervisor, head_of_service, settings
):
    settings.SITE_URL = "https://policy.focus.example"
    for person in (supervisor, head_of_service):
        set_preference(person, Kind.CASE_ROUTED, Preference.Mode.DIGEST)
        set_preference(person, Kind.REPORTER_MESSAGE, Preference.Mode.DIGEST)
    with time_machine.travel(at(2026, 3, 10, 10, 0), tick=False):
        notify(supervisor, link="/cases/SMP-2026-0001/")
        notify(supervisor, kind=Kind.REPORTER_MESSAGE, title="A message about a concern", link="/cases/mine/")
        notify(head_of_service, link="/cases/SMP-2026-0002/")
        notify(supervisor, kind=Kind.ESCALATION, title="A case has been escalated to you")
    assert [m.to for m in mail.outbox] == [[supervisor.email]]  # only the escalation, at once
    mail.outbox.clear()

    with time_machine.travel(at(2026, 3, 11, 6, 59), tick=False):
        assert services.deliver_due() == 0
    assert mail.outbox == []

    with time_machine.travel(at(2026, 3, 11, 7, 0), tick=False):
        assert services.deliver_due() == 3
        assert services.deliver_due() == 0
    by_person = {m.to[0]: m for m in mail.outbox}
    assert len(mail.outbox) == 2 and set(by_person) == {supervisor.email, head_of_service.email}
    digest = by_person[supervisor.email]
    assert digest.subject == "focuspolicy: your daily digest (2 notifications)"
    assert f"- {TITLE}: https://policy.focus.example/cases/SMP-2026-0001/" in digest.body
    assert "- A message about a concern: https://policy.focus.example/cases/mine/" in digest.body
    assert "SMP-2026-0002" not in digest.body
    assert by_person[head_of_service.email].subject == f"focuspolicy: {TITLE}"
    assert not Delivery.objects.filter(digest=True).exclude(status=Delivery.Status.SENT).exists()


# --- Failures and retries ----------------------------------------------------------------------------------


def test_an_smtp_error_is_recorded_and_the_email_waits_for_its_next_try(notify, smtp_down, supervisor):
    with time_machine.travel(at(2026, 3, 10, 10, 0), tick=False):
        notification = notify(supervisor)  # no exception reaches whoever notified

    email = deliveries(notification)[Delivery.Channel.EMAIL]
    assert (email.status, email.attempts, email.claimed_at) == (Delivery.Status.PENDING, 1, None)
    assert "Connection unexpectedly closed" in email.last_error
    assert email.due_at == at(2026, 3, 10, 10, 1)
    assert deliveries(notification)[Delivery.Channel.IN_APP].status == Delivery.Status.SENT

    smtp_down.restore()
    with time_machine.travel(at(2026, 3, 10, 10, 0, 59), tick=False):
        assert services.deliver_due() == 0  # the sweep respects the backoff
    with time_machine.travel(at(2026, 3, 10, 10, 1), tick=False):
        assert services.deliver_due() == 1
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (Delivery.Status.SENT, 2, "")
    assert len(mail.outbox) == 1


def test_each_failure_doubles_the_wait_and_after_the_last_attempt_the_email_is_given_up(
    notify, smtp_down, supervisor, settings
):
    settings.NOTIFICATION_MAX_ATTEMPTS = 4
    start = at(2026, 3, 10, 10, 0)
    with time_machine.travel(start, tick=False):
        notification = notify(supervisor)
    email = deliveries(notification)[Delivery.Channel.EMAIL]
    waits = []
    with time_machine.travel(start, tick=False) as clock:
        while email.status == Delivery.Status.PENDING:
            waits.append(email.due_at - timezone.now())
            clock.move_to(email.due_at)
            services.deliver_due()
            email.refresh_from_db()

    assert waits == [datetime.timedelta(minutes=m) for m in (1, 2, 4)]
    assert (email.status, email.attempts) == (Delivery.Status.FAILED, 4)
    assert "Connection unexpectedly closed" in email.last_error
    smtp_down.restore()
    with time_machine.travel(at(2026, 3, 11, 10, 0), tick=False):
        assert services.deliver_due() == 0
    assert mail.outbox == []


def test_a_failed_digest_is_recorded_on_each_of_its_deliveries(notify, smtp_down, supervisor):
    set_preference(supervisor, Kind.CASE_ROUTED, Preference.Mode.DIGEST)
    with time_machine.travel(at(2026, 3, 10, 10, 0), tick=False):
        notify(supervisor)
        notify(supervisor)
    with time_machine.travel(at(2026, 3, 11, 7, 0), tick=False):
        assert services.deliver_due() == 0
    assert set(Delivery.objects.filter(digest=True).values_list("status", "attempts", "due_at")) == {
        (Delivery.Status.PENDING, 1, at(2026, 3, 11, 7, 1))
    }
    smtp_down.restore()
    with time_machine.travel(at(2026, 3, 11, 7, 1), tick=False):
        assert services.deliver_due() == 2
    assert len(mail.outbox) == 1


def test_the_worker_retries_an_smtp_error_when_the_email_is_next_due(queued_only, smtp_down, supervisor):
    with time_machine.travel(at(2026, 3, 10, 10, 0), tick=False):
        email = deliveries(queued_only(supervisor))[Delivery.Channel.EMAIL]
        # As a worker runs it, on its first try (not in-process): the task asks to be retried later.
        tasks.deliver.push_request(
            id="first-try", args=[email.pk], kwargs={}, retries=0, is_eager=False, called_directly=False
        )
        try:
            with pytest.raises(Retry) as retry:
                tasks.deliver.run(email.pk)
        finally:
            tasks.deliver.pop_request()

    assert isinstance(retry.value.exc, smtplib.SMTPServerDisconnected)
    assert retry.value.when == 60  # seconds: when the delivery is due again
    email.refresh_from_db()
    assert (email.status, email.attempts, email.due_at) == (
        Delivery.Status.PENDING,
        1,
        at(2026, 3, 10, 10, 1),
    )


def test_a_person_without_an_email_address_fails_at_once(notify, supervisor):
    supervisor.email = ""
    supervisor.save()
    notification = notify(supervisor)

    email = deliveries(notification)[Delivery.Channel.EMAIL]
    assert (email.status, email.attempts) == (Delivery.Status.FAILED, 1)
    assert email.last_error == "supervisor has no e-mail address."
    assert deliveries(notification)[Delivery.Channel.IN_APP].status == Delivery.Status.SENT
    assert services.deliver_due() == 0


# --- The sweep ---------------------------------------------------------------------------------------------


def test_the_sweep_sends_what_the_broker_never_ran_and_only_once(queued_only, supervisor, head_of_service):
    queued_only(supervisor)
    queued_only(head_of_service)
    assert mail.outbox == []

    assert services.deliver_due() == 2  # the two e-mails: in the app they were delivered when recorded
    assert services.deliver_due() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([supervisor.email, head_of_service.email])
    assert set(Delivery.objects.values_list("status", "attempts")) == {(Delivery.Status.SENT, 1)}


def test_a_delivery_already_claimed_is_not_sent_again(queued_only, supervisor):
    notification = queued_only(supervisor)
    email = deliveries(notification)[Delivery.Channel.EMAIL]

    assert services.deliver_one(delivery_id=email.pk) is True
    assert services.deliver_one(delivery_id=email.pk) is False
    assert len(mail.outbox) == 1


def test_a_stale_claim_is_sent_again_and_a_fresh_one_is_left_alone(queued_only, supervisor, head_of_service):
    lost = deliveries(queued_only(supervisor))[Delivery.Channel.EMAIL]
    busy = deliveries(queued_only(head_of_service))[Delivery.Channel.EMAIL]
    now = timezone.now()
    Delivery.objects.filter(pk=lost.pk).update(
        status=Delivery.Status.SENDING, claimed_at=now - services.STALE_CLAIM - datetime.timedelta(seconds=1)
    )
    Delivery.objects.filter(pk=busy.pk).update(
        status=Delivery.Status.SENDING, claimed_at=now - datetime.timedelta(minutes=1)
    )

    assert services.deliver_due(now=now) == 1
    lost.refresh_from_db()
    busy.refresh_from_db()
    assert (lost.status, busy.status) == (Delivery.Status.SENT, Delivery.Status.SENDING)
    assert [m.to for m in mail.outbox] == [[supervisor.email]]


def test_a_sweep_run_for_a_later_time_leaves_a_fresh_claim_alone(queued_only, supervisor):
    # Staleness is measured on the real clock: a sweep asked about a later time (a catch-up, or a worker whose
    # clock runs ahead) must not take back a delivery another worker claimed a minute ago and is sending.
    busy = deliveries(queued_only(supervisor))[Delivery.Channel.EMAIL]
    Delivery.objects.filter(pk=busy.pk).update(
        status=Delivery.Status.SENDING, claimed_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    assert services.deliver_due(now=timezone.now() + datetime.timedelta(days=2)) == 0
    busy.refresh_from_db()
    assert busy.status == Delivery.Status.SENDING
    assert mail.outbox == []


def test_the_unread_notification_is_there_even_before_any_delivery(queued_only, supervisor):
    queued_only(supervisor)
    assert Notification.objects.filter(recipient=supervisor, read_at__isnull=True).count() == 1


def test_many_notifications_each_get_their_own_deliveries_and_only_the_emails_are_queued(
    django_capture_on_commit_callbacks, monkeypatch
):
    # More rows than one INSERT takes (1,000), with every mode, so that ids and rows must stay paired.
    people = UserFactory.create_batch(3, email="")
    User.objects.bulk_create(User(username=f"bulk{n}", email=f"bulk{n}@focus.example") for n in range(700))
    people += list(User.objects.filter(username__startswith="bulk"))
    digest, in_app_only = people[0], people[1]
    set_preference(digest, Kind.CASE_ROUTED, Preference.Mode.DIGEST)
    set_preference(in_app_only, Kind.CASE_ROUTED, Preference.Mode.IN_APP)
    queued = []
    monkeypatch.setattr(services, "enqueue_deliveries", queued.extend)

    with django_capture_on_commit_callbacks(execute=True):
        created = services.notify_many(recipients=people, kind=Kind.CASE_ROUTED, title=TITLE, link=LINK)

    assert len(created) == len(people)
    rows = Delivery.objects.filter(notification__in=created)
    assert rows.filter(
        channel=Delivery.Channel.IN_APP, status=Delivery.Status.SENT, attempts=1
    ).count() == len(people)
    emails = rows.filter(channel=Delivery.Channel.EMAIL)
    assert not emails.filter(notification__recipient=in_app_only).exists()
    assert emails.get(notification__recipient=digest).digest is True
    assert sorted(queued) == sorted(emails.filter(digest=False).values_list("pk", flat=True))
    assert len(queued) == len(people) - 2
