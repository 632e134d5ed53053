"""Celery for real: a worker on Redis delivers a notification end to end, and a broker outage loses nothing
(the case is saved, the reporter sees no error, and its notifications go out once the broker is back).

The broker is REDIS_URL (CI sets it), else redis://127.0.0.1:6379/15; the outage is a Redis of the test's
own (tests/redis_server.py), stopped and started again. Each test uses a queue of its own, so a development
worker on the same Redis, or another test process, never takes its messages. Every wait is bounded: a test
fails after WAIT seconds rather than hang.
"""

import logging
import os
import socket
import time
import uuid
from types import SimpleNamespace

import pytest
import redis
from celery.contrib.testing.worker import TestWorkController, start_worker
from celery.signals import task_postrun
from django.core import mail
from django.db import transaction
from django.urls import reverse

from cases.models import Case
from core import broker
from focuspolicy.celery import app
from notifications import services, tasks
from notifications.models import Delivery, Kind, Notification

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
WAIT = 15  # seconds


def wait_for(condition, what, timeout=WAIT):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Waited {timeout}s for {what}.")
        time.sleep(0.05)


class BoundedWorker(TestWorkController):
    """A worker that cannot start fails the test rather than hang it (celery's waits without a limit)."""

    def ensure_started(self):
        if not self._on_started.wait(WAIT):
            raise RuntimeError(f"The Celery worker did not start within {WAIT}s.")


@pytest.fixture
def use_broker(settings):
    """use_broker(url): tasks go to that broker instead of running in-process, for this test only."""
    saved = {
        key: app.conf[key]
        for key in (
            "broker_url",
            "task_always_eager",
            "task_default_queue",
            "worker_hijack_root_logger",
            "worker_enable_remote_control",
        )
    }
    queue = f"focuspolicy-test-{uuid.uuid4().hex[:12]}"

    def use(url):
        settings.CELERY_BROKER_URL = url
        settings.CELERY_TASK_ALWAYS_EAGER = False
        app.conf.update(broker_url=url, task_always_eager=False, task_default_queue=queue)
        # The app keeps its queues, routes and producer pool (bound to the old broker) once built: rebuild.
        app.__dict__.pop("amqp", None)
        app._pool = None

    yield use

    app.conf.update(saved)
    app.__dict__.pop("amqp", None)
    app._pool = None
    try:
        keys = [queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"]
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=1).delete(*keys)
    except redis.RedisError:
        pass


@pytest.fixture
def redis_up():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError as error:
        if os.environ.get("REDIS_URL"):
            pytest.fail(f"REDIS_URL is set but Redis does not answer at {REDIS_URL}: {error}")
        pytest.skip(f"no Redis at {REDIS_URL} (CI sets REDIS_URL and runs these tests)")


@pytest.fixture
def finished():
    """The deliver and deliver_due tasks that ran to the end, as (task name, args, ran in a worker)."""
    done = []

    def record(sender=None, args=None, state=None, **kwargs):
        done.append((sender.name, tuple(args or ()), not sender.request.is_eager))

    task_postrun.connect(record, weak=False)
    yield done
    task_postrun.disconnect(record)


@pytest.fixture
def worker(use_broker, request):
    """start(url): a real Celery worker (solo pool, in a thread of this process) consuming from that Redis
    (REDIS_URL by default)."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    workers = []

    def start(url=None):
        if url is None:
            request.getfixturevalue("redis_up")
        use_broker(url or REDIS_URL)
        # Leave pytest's logging alone, and leave no remote-control (pidbox) queue behind in Redis.
        app.conf.update(worker_hijack_root_logger=False, worker_enable_remote_control=False)
        context = start_worker(
            app,
            pool="solo",
            concurrency=1,
            perform_ping_check=False,
            shutdown_timeout=WAIT,
            loglevel="WARNING",
            WorkController=BoundedWorker,
        )
        workers.append(context)
        return context.__enter__()

    yield start

    for context in workers:
        context.__exit__(None, None, None)
    root.setLevel(level)
    root.handlers[:] = handlers


def test_a_worker_on_redis_delivers_a_notification_end_to_end(
    worker, finished, supervisor, settings, tmp_path
):
    settings.SITE_URL = "https://policy.focus.example"
    settings.CELERY_WORKER_ALIVE_FILE = str(tmp_path / "alive")
    worker()
    # Alive: the file its healthcheck reads (docker-compose.yml).
    assert (tmp_path / "alive").exists()

    with transaction.atomic():
        notification = services.notify(
            recipient=supervisor,
            kind=Kind.CASE_ROUTED,
            title="A case has been routed to you",
            link="/cases/SMP-2026-0042/",
        )
        ids = set(notification.deliveries.filter(channel=Delivery.Channel.EMAIL).values_list("pk", flat=True))

    # Committed: on_commit has queued the deliveries (as one grouped task) in Redis; the worker takes it.
    def ran():  # delivery id: whether its task ran in a worker
        done = {}
        for name, args, in_worker in finished:
            if name == tasks.deliver.name:
                done[args[0]] = in_worker
            elif name == tasks.deliver_many.name:
                done.update(dict.fromkeys(args[0], in_worker))
        return done

    wait_for(lambda: ids <= set(ran()), "the worker to run the e-mail delivery")

    assert all(ran()[pk] for pk in ids)
    assert set(notification.deliveries.values_list("channel", "status", "attempts")) == {
        (Delivery.Channel.IN_APP, Delivery.Status.SENT, 1),
        (Delivery.Channel.EMAIL, Delivery.Status.SENT, 1),
    }
    [email] = mail.outbox
    assert email.to == [supervisor.email]
    assert "https://policy.focus.example/cases/SMP-2026-0042/" in email.body


@pytest.fixture
def form_data(policy, other_staff):
    version = policy.current_version()
    return {
        "subject_kind": "colleague",
        "subject_person": other_staff.pk,
        "platform": "facebook",
        "links": "https://facebook.example/posts/42",
        "seen_at": "2026-11-20T18:30",
        "description": "A photo of a service user at the day centre, with her first name.",
        "clauses": [c.pk for c in version.clauses().filter(number__in=["5.2"])],
        "route": "supervisor",
    }


@pytest.fixture
def broker_connects(monkeypatch):
    """broker_connects(port): how many connections this process has opened (or tried) to that port."""
    addresses = []
    connect = socket.socket.connect

    def counted(sock, address):
        addresses.append(address)
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", counted)
    return lambda port: sum(1 for address in addresses if isinstance(address, tuple) and address[1] == port)


@pytest.fixture
def clock_after_the_pause(monkeypatch):
    """clock_after_the_pause(): the broker module's clock moves past its pause after a failure."""

    def move():
        later = time.monotonic() + broker.PAUSE_AFTER_FAILURE + 1
        monkeypatch.setattr(broker, "time", SimpleNamespace(monotonic=lambda: later))

    monkeypatch.setattr(broker, "_paused_until", 0.0)  # no pause left by an earlier test
    return move


def test_with_the_broker_down_requests_do_not_wait_for_it_and_each_email_goes_once_it_is_back(
    redis_server,  # first, so that it stops after the worker
    client,
    use_broker,
    worker,
    finished,
    broker_connects,
    clock_after_the_pause,
    staff,
    supervisor,
    form_data,
):
    use_broker(redis_server.url)
    redis_server.stop()
    client.force_login(staff)
    mail.outbox.clear()  # approving the policy (a fixture) told staff about it

    responses = [client.post(reverse("cases:raise"), form_data, follow=True) for _ in range(3)]

    cases = list(Case.objects.order_by("pk"))
    assert [response.redirect_chain for response in responses] == [
        [(c.get_absolute_url(), 302)] for c in cases
    ]
    # One short try by the first request (refused at once, no retry); the next two did not try at all.
    assert broker_connects(redis_server.port) == 1
    assert broker.broker_paused()
    # The notifications are in the app at once; their e-mails wait in the database, the outbox.
    notifications = Notification.objects.filter(link__in=[case.get_absolute_url() for case in cases])
    assert sorted(notifications.values_list("recipient", "kind")) == [(supervisor.pk, Kind.CASE_ROUTED)] * 3
    waiting = Delivery.objects.filter(notification__in=notifications, channel=Delivery.Channel.EMAIL)
    assert list(waiting.values_list("status", "attempts")) == [(Delivery.Status.PENDING, 0)] * 3
    assert mail.outbox == []

    # The broker is back: beat's next sweep goes through it to a worker, which sends what waited, once.
    redis_server.start()
    worker(redis_server.url)
    for _ in range(2):  # a second sweep finds nothing left to send
        finished.clear()
        tasks.deliver_due.delay()
        wait_for(lambda: any(name == tasks.deliver_due.name for name, *_ in finished), "the sweep")

    assert list(waiting.values_list("status", "attempts")) == [(Delivery.Status.SENT, 1)] * 3
    assert [sum(case.get_absolute_url() in m.body for m in mail.outbox) for case in cases] == [1, 1, 1]
    assert [m.to for m in mail.outbox] == [[supervisor.email]] * 3

    # Once the pause is over, a request queues its work again, and a worker sends it.
    clock_after_the_pause()
    client.post(reverse("cases:raise"), form_data)
    latest = Case.objects.latest("pk")
    wait_for(
        lambda: any(name == tasks.deliver.name for name, _, in_worker in finished if in_worker), "delivery"
    )

    assert (
        Delivery.objects.get(notification__link=latest.get_absolute_url(), channel="email").status == "sent"
    )
    assert len(mail.outbox) == 4


def test_a_worker_logs_the_task_with_the_id_of_the_request_that_queued_it(
    client, json_logs, caplog, use_broker, worker, finished, staff, supervisor, form_data
):
    worker()
    # Starting, the worker set up Django's logging again (the root's handlers, at its own level, WARNING).
    logging.getLogger().addHandler(json_logs.handler)
    caplog.set_level(logging.INFO, logger="focuspolicy")
    client.force_login(staff)
    json_logs.clear()  # the policy's approval, told to staff in-process

    response = client.post(reverse("cases:raise"), form_data, headers={"X-Request-ID": "raise-in-worker"})

    assert response.status_code == 302
    wait_for(lambda: any(in_worker for *_, in_worker in finished), "the worker to deliver the e-mail")
    wait_for(lambda: any(line["logger"] == "focuspolicy.tasks" for line in json_logs()), "the task's line")
    [task_line] = [line for line in json_logs() if line["logger"] == "focuspolicy.tasks"]
    assert task_line["request_id"] == "raise-in-worker" and task_line["state"] == "SUCCESS"
    assert task_line["task"] in {tasks.deliver.name, tasks.deliver_many.name}
