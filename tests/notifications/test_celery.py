"""Celery for real: a worker on Redis delivers a notification end to end, and a broker outage loses nothing
(the case is saved, the reporter sees no error, and its notifications go out once the broker is back).

The broker is REDIS_URL (CI sets it), else redis://127.0.0.1:6379/15. Each test uses a queue of its own, so
a development worker on the same Redis, or another test process, never takes its messages. Every wait is
bounded: a test fails after WAIT seconds rather than hang.
"""

import logging
import os
import time
import uuid

import pytest
import redis
from celery.contrib.testing.worker import TestWorkController, start_worker
from celery.signals import task_postrun
from django.core import mail
from django.db import transaction
from django.urls import reverse

from cases.models import Case
from focuspolicy.celery import app
from notifications import services, tasks
from notifications.models import Delivery, Kind, Notification

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
DEAD_BROKER = "redis://127.0.0.1:6390/0"  # nothing listens here
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
def worker(use_broker, redis_up):
    """start(): a real Celery worker (solo pool, in a thread of this process) consuming from Redis."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    workers = []

    def start():
        use_broker(REDIS_URL)
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


def test_a_worker_on_redis_delivers_a_notification_end_to_end(worker, finished, supervisor, settings):
    settings.SITE_URL = "https://policy.focus.example"
    worker()

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


def test_a_case_raised_while_the_broker_is_down_is_saved_and_notified_once_it_is_back(
    client, use_broker, worker, finished, staff, supervisor, form_data
):
    use_broker(DEAD_BROKER)
    client.force_login(staff)
    mail.outbox.clear()  # approving the policy (a fixture) told staff about it

    started = time.monotonic()
    response = client.post(reverse("cases:raise"), form_data, follow=True)

    case = Case.objects.get()
    assert response.status_code == 200
    assert response.redirect_chain == [(case.get_absolute_url(), 302)]
    assert f"Your concern has been received as {case.reference}" in response.text
    assert time.monotonic() - started < 10  # the broker's connection timeout is 2 seconds
    notifications = Notification.objects.filter(link=case.get_absolute_url())
    assert set(notifications.values_list("recipient", "kind")) == {(supervisor.pk, Kind.CASE_ROUTED)}
    # The notification is in the app at once; its e-mails wait in the database.
    assert notifications.filter(read_at__isnull=True).count() == notifications.count()
    waiting = Delivery.objects.filter(notification__in=notifications, channel=Delivery.Channel.EMAIL)
    assert set(waiting.values_list("status", "attempts")) == {(Delivery.Status.PENDING, 0)}
    assert mail.outbox == []

    # The broker is back: beat's next sweep, run by the worker, sends them.
    worker()
    tasks.deliver_due.delay()
    wait_for(lambda: any(name == tasks.deliver_due.name for name, *_ in finished), "the sweep")

    assert set(waiting.values_list("status", flat=True)) == {Delivery.Status.SENT}
    assert supervisor.email in [address for m in mail.outbox for address in m.to]


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
