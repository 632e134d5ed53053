"""Development: runs with nothing set (SQLite, in-process tasks, e-mail to the console)."""

import base64
import hashlib

from .base import *  # noqa: F403
from .base import env, log_format

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
# The demo opens with a password alone; set REQUIRE_2FA=true to try two-factor sign-in.
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=False)
# Plain log lines for a person reading the development server's output; LOG_FORMAT=json to see production's.
LOG_FORMAT = log_format("text")
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT  # noqa: F405
# Evidence is sealed in development too, with a key derived from SECRET_KEY unless one is given, so that
# bin/demo works on a fresh machine and the demo's files survive a restart. Never used in production.
EVIDENCE_ENCRYPTION_KEY = (
    env("EVIDENCE_ENCRYPTION_KEY", default="")
    or base64.urlsafe_b64encode(
        hashlib.sha256(f"focuspolicy evidence key: {SECRET_KEY}".encode()).digest()
    ).decode()
)
