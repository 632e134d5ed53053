"""Development: runs with nothing set (SQLite, in-process tasks, e-mail to the console)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
# The demo opens with a password alone; set REQUIRE_2FA=true to try two-factor sign-in.
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=False)
