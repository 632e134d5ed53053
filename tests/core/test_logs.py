"""Logs: one JSON line per request and per task, the request id on every line and carried into the tasks a
request queues, and no personal data (README, "Logs")."""

import json
import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.urls import path, reverse

from cases.models import Case
from core.logs import FIELDS, request_id
from focuspolicy.celery import app
from notifications import tasks
from tests.factories import PASSWORD
from tests.test_settings import ROOT, run_python

pytestmark = pytest.mark.django_db

HEX_ID = re.compile(r"[0-9a-f]{32}")
EMAIL = "jo.bloggs@example.org"
NAME = "Josephine Bloggs"
CASE_TEXT = "She posted the rota with a service user's address"


# For test_an_error_response_is_logged_with_its_request_id: a view that answers 503 without raising.
urlpatterns = [path("unavailable/", lambda request: HttpResponse("Try later.", status=503))]


def requests_of(lines):
    return [line for line in lines if line["logger"] == "focuspolicy.requests"]


@pytest.fixture
def form_data(policy, other_staff):
    return {
        "subject_kind": "colleague",
        "subject_person": other_staff.pk,
        "platform": "facebook",
        "links": "https://facebook.example/posts/42",
        "seen_at": "2026-11-20T18:30",
        "description": f"{CASE_TEXT}. Write to {EMAIL}.",
        "clauses": [policy.current_version().clauses().get(number="5.2").pk],
        "route": "supervisor",
    }


def test_a_request_writes_one_line_with_its_fields_and_no_query_string(client, governance, json_logs):
    client.force_login(governance)

    response = client.get(reverse("cases:all"), {"q": "rota"})

    assert response.status_code == 200
    [line] = requests_of(json_logs())
    assert set(line) == {"time", "level", "logger", "message", *FIELDS} - {"task", "task_id", "state"}
    assert HEX_ID.fullmatch(line["request_id"]) and response["X-Request-ID"] == line["request_id"]
    assert (line["level"], line["method"], line["path"], line["status"]) == (
        "INFO",
        "GET",
        "/cases/all/",
        200,
    )
    assert line["user_id"] == governance.pk and isinstance(line["duration_ms"], float)
    assert line["time"].endswith("+00:00")
    assert "rota" not in json_logs.text()


def test_an_anonymous_request_has_no_user_id(client, json_logs):
    response = client.get(reverse("login"))

    [line] = requests_of(json_logs())
    assert line["status"] == 200 and "user_id" not in line and response["X-Request-ID"] == line["request_id"]


def test_a_proxys_request_id_is_kept_when_it_is_a_short_token_and_replaced_otherwise(client, json_logs):
    kept = client.get(reverse("login"), headers={"X-Request-ID": "edge-7f3a.42_b"})
    replaced = client.get(reverse("login"), headers={"X-Request-ID": f"{EMAIL} injected\nline"})
    too_long = client.get(reverse("login"), headers={"X-Request-ID": "a" * 65})

    assert kept["X-Request-ID"] == "edge-7f3a.42_b"
    assert HEX_ID.fullmatch(replaced["X-Request-ID"]) and HEX_ID.fullmatch(too_long["X-Request-ID"])
    assert [line["request_id"] for line in requests_of(json_logs())] == [
        "edge-7f3a.42_b",
        replaced["X-Request-ID"],
        too_long["X-Request-ID"],
    ]
    assert EMAIL not in json_logs.text()


@pytest.mark.django_db(transaction=True)  # the tasks are queued when the request's transaction commits
def test_the_request_id_reaches_the_tasks_the_request_queues(client, staff, supervisor, form_data, json_logs):
    client.force_login(staff)

    response = client.post(reverse("cases:raise"), form_data, headers={"X-Request-ID": "raise-1"})

    assert response.status_code == 302 and Case.objects.count() == 1
    task_lines = [line for line in json_logs() if line["logger"] == "focuspolicy.tasks"]
    assert task_lines, "telling the supervisor runs a delivery task"
    for line in task_lines:
        assert line["task"] in {tasks.deliver.name, tasks.deliver_many.name}
        assert line["request_id"] == "raise-1" and line["state"] == "SUCCESS"
        assert line["task_id"] and isinstance(line["duration_ms"], float)
    # Every line written while the request ran carries its id.
    assert {line.get("request_id") for line in json_logs()} == {"raise-1"}
    [request_line] = requests_of(json_logs())
    assert request_line["status"] == 302


def test_a_published_task_carries_the_request_id_in_its_message_headers(settings):
    """Not run in-process: the message put on the (in-memory) broker holds the request id."""
    queue = "focuspolicy-test-request-id"
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = False
    token = request_id.set("publish-1")
    try:
        tasks.deliver.apply_async((1,), queue=queue, retry=False)
        with app.connection_for_read() as connection:
            message = connection.SimpleQueue(queue).get(timeout=2)
            message.ack()
    finally:
        request_id.reset(token)
        app.conf.task_always_eager = saved
    assert message.headers["request_id"] == "publish-1"
    assert message.headers["task"] == tasks.deliver.name


def test_a_task_queued_outside_any_request_gets_an_id_of_its_own(json_logs):
    tasks.deliver_due.delay()

    [line] = [line for line in json_logs() if line["logger"] == "focuspolicy.tasks"]
    assert HEX_ID.fullmatch(line["request_id"]) and line["task"] == tasks.deliver_due.name
    assert request_id.get() is None  # and forgets it when the task ends


def test_no_personal_data_from_the_request_reaches_the_logs(
    client, staff, supervisor, governance, form_data, json_logs, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="axes")  # quieter in the settings, but no safer for it
    # A failed and a successful sign-in (django-axes logs both), a concern, and a search for a person.
    client.post(reverse("login"), {"username": staff.username, "password": "wrong password"})
    client.post(reverse("login"), {"username": staff.username, "password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{reverse('cases:raise')}?about={EMAIL}", form_data, HTTP_USER_AGENT="Agent-Bloggs/1.0")
    client.force_login(governance)
    client.get(reverse("cases:all"), {"q": NAME, "reporter": EMAIL})

    assert Case.objects.count() == 1
    assert len(requests_of(json_logs())) == 4
    # What was written, and every record logged at any level (caplog), whatever the formatter leaves out.
    text = json_logs.text() + caplog.text
    for personal in (EMAIL, NAME, CASE_TEXT, staff.username, staff.email, "127.0.0.1", "Agent-Bloggs"):
        assert personal not in text, personal


def test_an_exception_is_logged_as_json_with_its_request_id(client, staff, json_logs, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the work queues broke")

    monkeypatch.setattr("focuspolicy.views.work_queues", broken)
    client.raise_request_exception = False
    client.force_login(staff)

    response = client.get(reverse("home"), {"q": EMAIL})

    assert response.status_code == 500
    [error] = [line for line in json_logs() if line["logger"] == "django.request"]
    [request_line] = requests_of(json_logs())
    assert error["level"] == "ERROR" and "RuntimeError: the work queues broke" in error["exception"]
    assert error["request_id"] == request_line["request_id"] == response["X-Request-ID"]
    assert (request_line["level"], request_line["status"]) == ("ERROR", 500)
    assert EMAIL not in json_logs.text()


@pytest.mark.urls("tests.core.test_logs")
def test_an_error_response_is_logged_with_its_request_id(client, json_logs):
    response = client.get("/unavailable/")

    # Django logs an error response after the middleware has returned it: the id still holds until the end.
    [django_line] = [line for line in json_logs() if line["logger"] == "django.request"]
    [request_line] = requests_of(json_logs())
    assert django_line["message"] == "Service Unavailable: /unavailable/"
    assert django_line["request_id"] == request_line["request_id"] == response["X-Request-ID"]
    assert request_id.get() is None  # and is forgotten when the response is closed


def test_a_failing_task_is_logged_as_a_failure(json_logs, monkeypatch):
    def broken(now=None):
        raise RuntimeError("the sweep broke")

    monkeypatch.setattr("notifications.services.deliver_due", broken)

    # Run in-process, the exception goes on to the caller (a request logs it, as above); a worker's Celery
    # logs it (celery.app.trace, at ERROR with the traceback), through the same JSON formatter.
    with pytest.raises(RuntimeError):
        tasks.deliver_due.delay()

    [task_line] = [line for line in json_logs() if line["logger"] == "focuspolicy.tasks"]
    assert (task_line["level"], task_line["state"], task_line["task"]) == (
        "ERROR",
        "FAILURE",
        tasks.deliver_due.name,
    )
    assert request_id.get() is None


def test_production_writes_json_lines_and_development_plain_ones():
    emit = "import django, logging; django.setup(); logging.getLogger('focuspolicy').warning('started')"
    production = {
        "SECRET_KEY": "x",
        "ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": "sqlite:////tmp/unused.sqlite3",
        "SITE_URL": "https://example.org",
        "EVIDENCE_ENCRYPTION_KEY": "wYbJ1dCcR_ZJQ3_1k6l0P8c2uTnE9hzyw8Lr1vrcq9c=",
    }

    json_line = run_python(["-c", emit], settings_module="focuspolicy.settings.production", **production)
    text_line = run_python(["-c", emit], settings_module="focuspolicy.settings.local")
    refused = run_python(["-c", emit], settings_module="focuspolicy.settings.local", LOG_FORMAT="xml")

    assert '"level": "WARNING", "logger": "focuspolicy", "message": "started"' in json_line.stderr
    assert re.search(r"^\[\d\d:\d\d:\d\d\] WARNING focuspolicy: started$", text_line.stderr, re.M)
    assert refused.returncode != 0 and "LOG_FORMAT must be json or text" in refused.stderr


def test_under_gunicorn_every_line_is_json_and_each_request_has_one(tmp_path):
    """gunicorn.conf.py as the image runs it: gunicorn's own lines are JSON too, and it writes no access
    line of its own."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    (tmp_path / "static").mkdir()
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="focuspolicy.settings.production",
        SECRET_KEY="x",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        SITE_URL="https://example.org",
        EVIDENCE_ENCRYPTION_KEY="wYbJ1dCcR_ZJQ3_1k6l0P8c2uTnE9hzyw8Lr1vrcq9c=",
        SECURE_SSL_REDIRECT="false",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(  # noqa: S603 - our own server
        [
            gunicorn,
            "focuspolicy.wsgi:application",
            "--config",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/api/v1/policies/?q={EMAIL}", timeout=5
                )  # noqa: S310
            except urllib.error.HTTPError as error:
                answer = error
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        time.sleep(0.5)
    finally:
        server.terminate()
        stdout, stderr = server.communicate(timeout=15)

    assert answer.status == 401
    lines = [json.loads(line) for line in (stdout + stderr).splitlines()]  # every one is JSON
    assert any(line["logger"] == "gunicorn.error" and "Booting worker" in line["message"] for line in lines)
    # post_worker_init: the loaded app (its views imported) is out of the garbage collector's sight.
    [ready] = [line["message"] for line in lines if line["message"].startswith("Worker ready")]
    assert int(re.search(r"(\d+) objects", ready).group(1)) > 50_000
    [request_line] = requests_of(lines)
    assert (request_line["path"], request_line["status"]) == ("/api/v1/policies/", 401)
    assert EMAIL not in stdout + stderr
