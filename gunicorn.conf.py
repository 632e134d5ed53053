"""gunicorn's settings: read by every gunicorn start in the image (`--config`, in the Dockerfile and
docker-compose.yml). Command-line options still win over these.

No client address or user agent in any log (README, "Anonymous reporting"): anonymous reporters are
promised that neither is kept. gunicorn writes no access log unless told to; should someone turn one on
(--access-logfile -), this format leaves out the address (%(h)s), the user agent (%(a)s) and the referrer
(%(f)s), and keeps what operators need: when, the request line, status, size and time taken.

No access log is needed: the app writes one line per request itself (core/logs.py, README "Logs"), with a
request id, the path without its query string and the person's id; an access log would repeat it.
"""

import os

accesslog = None
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

# gunicorn's own lines (starting, a worker booting or timing out) in the app's format: JSON lines unless
# LOG_FORMAT=text, so that a log collector reads one format.
if os.environ.get("LOG_FORMAT", "json") == "json":
    logconfig_dict = {
        "root": {"level": "INFO", "handlers": []},
        "loggers": {"gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False}},
        "formatters": {"generic": {"()": "core.logs.JsonFormatter"}},
    }


def post_worker_init(worker):
    """The app is loaded in this worker: import the rest of it (every view and form, through the URLconf)
    and move what it made out of the garbage collector's sight (gc.freeze). Long-lived for the worker's
    whole life, those 155,000 objects were walked by every full collection: about 100 ms of one request
    in every few hundred, and a third of a millisecond a request on average (issue 13)."""
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - read to import the views
    gc.freeze()
    worker.log.info(
        "Worker ready: %s objects of the loaded app frozen for the garbage collector", gc.get_freeze_count()
    )
