"""Settings for benchmarks/pages.py only: production's, over plain http on loopback, with the bare pages.

Everything production refuses to start without is given by pages.py in the environment (a throwaway
SECRET_KEY, ALLOWED_HOSTS 127.0.0.1, SITE_URL); here only what plain http on one machine needs differs.
"""

from focuspolicy.settings.production import *  # noqa: F403

# No TLS in front of gunicorn here: no redirect to https, and cookies a plain-http client sends back.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The load tool signs in with a password alone (generated users have no second factor).
REQUIRE_2FA = False
# The real URLs, and the bare pages the real ones are compared with (never routed in the application).
ROOT_URLCONF = "benchmarks.urls"
