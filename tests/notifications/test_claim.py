"""E-mail delivery is at-least-once, and never twice by two workers: each delivery is claimed with a
conditional UPDATE (pending -> sending) before it is sent, and only the worker whose UPDATE changed the row
sends it. Here two workers really run at once, each on its own PostgreSQL connection."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.utils import timezone

from notifications import services, tasks
from notifications.models import Delivery, Kind, Preference
from notifications.services import Message

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs two connections at once (PostgreSQL)"
    ),
]


@pytest.fixture
def waiting_emails(monkeypatch):
    """waiting_emails(person, n): n e-mails to the person recorded and waiting (never queued)."""
    monkeypatch.setattr(services, "enqueue_deliveries", lambda ids: None)

    def make(person, count):
        messages = [
            Message(person, Kind.CASE_ROUTED, f"Case {i} routed", f"/cases/SMP-2026-{i:04}/")
            for i in range(count)
        ]
        services.notify_each(messages)
        return list(
            Delivery.objects.filter(channel=Delivery.Channel.EMAIL)
            .order_by("pk")
            .values_list("pk", flat=True)
        )

    return make


def at_once(*work):
    """Run each function in its own thread (and database connection), all starting together; their results."""
    start, results, errors = threading.Barrier(len(work)), [None] * len(work), []

    def run(index, function):
        try:
            start.wait(10)
            results[index] = function()
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, function)) for i, function in enumerate(work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    return results


def sent_titles():
    return sorted(message.subject for message in mail.outbox)


def test_two_workers_given_the_same_group_at_once_send_each_email_once(waiting_emails, supervisor):
    ids = waiting_emails(supervisor, 40)
    mail.outbox.clear()

    results = at_once(lambda: tasks.deliver_many(ids), lambda: tasks.deliver_many(ids))

    assert sum(results) == 40
    assert len(mail.outbox) == 40
    assert len(set(sent_titles())) == 40
    # Claimed once each: a second claim would have counted a second attempt.
    assert set(Delivery.objects.filter(pk__in=ids).values_list("status", "attempts")) == {
        (Delivery.Status.SENT, 1)
    }


def test_two_sweeps_at_once_send_each_email_and_each_digest_once(waiting_emails, supervisor, head_of_service):
    Preference.objects.create(user=head_of_service, kind=Kind.CASE_ROUTED, mode=Preference.Mode.DIGEST)
    waiting_emails(supervisor, 20)
    waiting_emails(head_of_service, 20)
    mail.outbox.clear()
    later = timezone.now() + datetime.timedelta(days=2)  # past the digest hour

    results = at_once(lambda: services.deliver_due(now=later), lambda: services.deliver_due(now=later))

    assert sum(results) == 40  # 20 e-mails, and one digest of 20
    assert [m.to for m in mail.outbox].count([head_of_service.email]) == 1
    assert [m.to for m in mail.outbox].count([supervisor.email]) == 20
    assert set(Delivery.objects.filter(channel="email").values_list("status", "attempts")) == {("sent", 1)}


def test_a_worker_that_arrives_while_another_is_sending_sends_nothing(
    waiting_emails, supervisor, monkeypatch
):
    [delivery_id] = waiting_emails(supervisor, 1)
    mail.outbox.clear()
    sending, finish = threading.Event(), threading.Event()
    send = EmailBackend.send_messages

    def slow_mail_server(backend, messages):
        sending.set()
        finish.wait(10)
        return send(backend, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", slow_mail_server)
    results = {}

    def first_worker():
        try:
            results["first"] = tasks.deliver(delivery_id)
        finally:
            connection.close()

    first = threading.Thread(target=first_worker)
    first.start()
    assert sending.wait(10)
    results["second"] = tasks.deliver(delivery_id)
    finish.set()
    first.join(10)

    assert results == {"first": True, "second": False}
    assert len(mail.outbox) == 1
    assert Delivery.objects.get(pk=delivery_id).status == Delivery.Status.SENT
