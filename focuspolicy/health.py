"""/healthz/ and /readyz/: is the process running, and can it serve?

/healthz/ checks nothing (an orchestrator that restarts a container on it must not restart every web
container because the database is down). /readyz/ checks what a request needs: the database, the broker
when there is one, and the evidence storage, each in its own thread, and answers within READY_WITHIN
seconds whatever hangs. Its answer names what failed and never how (no URL, host or error text: those
go to the log).
"""

import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse

from .celery import app

logger = logging.getLogger(__name__)

# Every check together: the probe answers within 2 s (docker-compose.yml's healthcheck allows a few more).
READY_WITHIN = 1.5
# The probes' addresses: a session cookie sent to them is ignored (ProbeMiddleware).
PROBE_PATHS = ("/healthz/", "/readyz/")


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def database_check():
    """A trivial query on a connection of its own, closed after: the check never inherits a request's
    transaction, and a database that stopped answering cannot leave a broken connection behind."""
    database = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with database.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        database.close()


def broker_check():
    """Connect and ping (Redis answers PING when the channel opens), once, without retrying."""
    if app.conf.broker_url.startswith("memory://"):  # no broker: tasks run in the request
        return
    options = {"socket_connect_timeout": READY_WITHIN, "socket_timeout": READY_WITHIN}
    with app.connection_for_write(connect_timeout=READY_WITHIN, transport_options=options) as connection:
        connection.ensure_connection(max_retries=0)


def storage_check():
    """Write, read back and delete a small file in the evidence storage (a folder or a bucket), sealed
    like evidence: a full disk, a read-only folder, a wrong key or an unreachable bucket all fail here."""
    from cases.sealed import evidence_storage

    storage = evidence_storage()
    # At the top of the storage: a folder of its own would stay behind, empty, after the file is deleted.
    name = storage.save(f"readyz-{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with storage.open(name) as probe:
            if probe.read() != b"ok":
                raise OSError("the probe file did not read back as written")
    finally:
        storage.delete(name)


CHECKS = {"database": database_check, "broker": broker_check, "storage": storage_check}
# One thread per check, kept for the process: a check that hangs holds only its own thread, and the next
# probes of that check queue behind it and answer "timed out" until it returns, rather than start more.
_runners = {name: ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"readyz-{name}") for name in CHECKS}


def readiness():
    """{check: "unavailable" | "timed out"} for each check that failed; empty when all passed."""
    deadline = time.monotonic() + READY_WITHIN
    running = {name: _runners[name].submit(check) for name, check in CHECKS.items()}
    failed = {}
    for name, future in running.items():
        try:
            future.result(timeout=max(deadline - time.monotonic(), 0))
        except FutureTimeout:
            failed[name] = "timed out"
            logger.warning("Readiness: the %s check did not answer within %ss.", name, READY_WITHIN)
        except Exception:  # noqa: BLE001 - any failure means not ready; the details go to the log only
            failed[name] = "unavailable"
            logger.warning("Readiness: the %s check failed.", name, exc_info=True)
    return failed


def readyz(request):
    failed = readiness()
    if failed:
        body = "".join(f"{name}: {why}\n" for name, why in failed.items())
        return HttpResponse(body, content_type="text/plain", status=503)
    return HttpResponse("ok", content_type="text/plain")


class ProbeMiddleware:
    """Before the session: a probe is answered as to anyone. A session cookie sent with it (a browser
    opening /readyz/) would make the middlewares below read the session and the person from the database,
    and a database that is down would turn the probe's 503 into a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in PROBE_PATHS:
            request.COOKIES.pop(settings.SESSION_COOKIE_NAME, None)
        return self.get_response(request)
