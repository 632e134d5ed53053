"""Logs: one line per request and per task, each carrying the id of the request that caused it.

The request id comes from the X-Request-ID header when a proxy sent a safe short token, or is made here,
and goes back in the response's X-Request-ID. Every record logged while a request or a task runs carries
it (RequestIdFilter), and a task queued during a request carries it in its message headers, so a case's
e-mail sent by a worker can be traced to the request that raised the case.

No personal data: a line holds the method, the path without its query string (a search or a filter may
name someone), the status, the time taken and the person's id, never a name, an e-mail address, a client
address (anonymous reporters are promised none is kept) or anything sent in the request. JsonFormatter
writes only the fields listed in FIELDS, so what a library attaches to a record (Django's request object,
whose text holds the query string; Celery's task arguments) never reaches the log.
"""

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from celery.signals import before_task_publish, task_postrun, task_prerun
from django.core.signals import request_finished

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

HEADER = "X-Request-ID"
# A proxy's id is kept only if it is a short token: nothing that could smuggle a line break or a sentence.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# What a JSON line may hold besides time, level, logger, message and an exception's traceback.
FIELDS = ("request_id", "method", "path", "status", "duration_ms", "user_id", "task", "task_id", "state")
PATH_MAX = 300

requests_logger = logging.getLogger("focuspolicy.requests")
tasks_logger = logging.getLogger("focuspolicy.tasks")


def _milliseconds_since(started):
    return round((time.monotonic() - started) * 1000, 1)


class RequestIdFilter(logging.Filter):
    """Gives every record the id of the request or task being served (None outside both)."""

    def filter(self, record):
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the FIELDS a record has and nothing else."""

    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                line[field] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, default=str)


class RequestLogMiddleware:
    """First in MIDDLEWARE: sets the request id for everything below and logs the request's one line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        # Kept until the response is closed (request_finished): a streamed download and Django's own line for
        # an error response, written after this returns, carry the id too.
        request_id.set(given if SAFE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex)
        started = time.monotonic()
        # Below this, Django turns any exception into a 500 response (logged by django.request).
        response = self.get_response(request)
        response[HEADER] = request_id.get()
        method, path, duration = request.method[:16], request.path[:PATH_MAX], _milliseconds_since(started)
        requests_logger.log(
            logging.ERROR if response.status_code >= 500 else logging.INFO,
            "%s %s %s in %.0f ms",
            method,
            path,
            response.status_code,
            duration,
            extra={
                "method": method,
                "path": path,
                "status": response.status_code,
                "duration_ms": duration,
                "user_id": getattr(getattr(request, "user", None), "pk", None),
            },
        )
        return response


def _request_finished(**kwargs):
    request_id.set(None)


# Tasks being run in this process: task id -> (the request id's context token, when it started).
_running = {}


def _task_publishing(headers=None, **kwargs):
    if headers is not None and request_id.get():
        headers.setdefault("request_id", request_id.get())


def _task_started(task_id=None, task=None, **kwargs):
    given = getattr(task.request, "request_id", None)
    if not (isinstance(given, str) and SAFE_REQUEST_ID.fullmatch(given)):
        # Run in-process, the task is inside its request already; queued by beat, it starts its own id.
        given = request_id.get() or uuid.uuid4().hex
    _running[task_id] = (request_id.set(given), time.monotonic())


def _task_finished(task_id=None, task=None, state=None, **kwargs):
    token, started = _running.pop(task_id, (None, None))
    if token is None:
        return
    # Run in-process, a task that raised has no state yet: its exception goes on to the caller, which logs it.
    state = state or "FAILURE"
    duration = _milliseconds_since(started)
    tasks_logger.log(
        logging.ERROR if state == "FAILURE" else logging.INFO,
        "%s %s in %.0f ms",
        task.name,
        state,
        duration,
        extra={"task": task.name, "task_id": task_id, "state": state, "duration_ms": duration},
    )
    try:
        request_id.reset(token)
    except ValueError:  # finished in another context than it started: just forget the id
        request_id.set(None)


def connect_signals():
    """Called once at start-up (focuspolicy.apps): the request id ends with its request and rides along with
    every task."""
    request_finished.connect(_request_finished, weak=False, dispatch_uid="core.logs.request_finished")
    before_task_publish.connect(_task_publishing, weak=False, dispatch_uid="core.logs.publish")
    task_prerun.connect(_task_started, weak=False, dispatch_uid="core.logs.prerun")
    task_postrun.connect(_task_finished, weak=False, dispatch_uid="core.logs.postrun")
