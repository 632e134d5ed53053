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
