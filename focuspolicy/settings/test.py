"""Tests: the database comes from DATABASE_URL (PostgreSQL in CI) or SQLite; nothing leaves the process."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# No Redis and no object store in tests, even when CI exports REDIS_URL: the cache is in-process and
# sessions in the database (the two-machine proof, benchmarks/two_machines.py, runs with both).
# The per-process cache keeps nothing: each test reads what its own data says, not a minute-old answer.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "process": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Tasks run in-process in tests even when CI exports REDIS_URL; the Celery tests that need a real
# broker and worker say so themselves.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://localhost/"

# A fixed key, so that tests can open what they sealed; tests of rotation add their own.
EVIDENCE_ENCRYPTION_KEY = "wYbJ1dCcR_ZJQ3_1k6l0P8c2uTnE9hzyw8Lr1vrcq9c="

# Uploaded evidence from tests goes to a throwaway folder, never into the project.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="focuspolicy-test-media-"))

# Two-factor sign-in is off unless a test turns it on (tests/signin/test_two_factor.py).
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=False)
