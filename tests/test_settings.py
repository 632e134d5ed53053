"""Settings come from the environment: production refuses to start without its required settings, and
development needs none.

Settings are read once, at import, so each case runs in a fresh Python process with a scrubbed environment.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REQUIRED_IN_PRODUCTION = (
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "SITE_URL",
    "EVIDENCE_ENCRYPTION_KEY",
)
PRINT_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "broker_url": settings.CELERY_BROKER_URL,
    "always_eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "storage": settings.STORAGES["default"],
    "cache": settings.CACHES["default"],
    "session_engine": settings.SESSION_ENGINE,
}))
"""


def run_python(args, *, settings_module, **environment):
    """Run this interpreter in the project folder with only PATH (and a few harmless basics) inherited."""
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TMPDIR") if name in os.environ}
    env.update(DJANGO_SETTINGS_MODULE=settings_module, PYTHONDONTWRITEBYTECODE="1", **environment)
    return subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def start_production(**environment):
    return run_python(
        ["-c", "import django; django.setup()"],
        settings_module="focuspolicy.settings.production",
        **environment,
    )


def error_line(result):
    """The last line of the traceback: the exception and its message."""
    return result.stderr.strip().splitlines()[-1]


def production_environment(tmp_path):
    return {
        "SECRET_KEY": "a-long-random-test-secret-key-3f9c1e7a52b84d6e9a0c4f2b8d1e6a7c",
        "ALLOWED_HOSTS": "focuspolicy.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "SITE_URL": "https://focuspolicy.example",
        "EVIDENCE_ENCRYPTION_KEY": "Scb2c86NRtOoM4Eo-3slfOkxB3lS5hkxdnI-y3kynRE=",
    }


def test_production_with_nothing_set_names_every_missing_setting():
    result = start_production()

    assert result.returncode != 0
    assert "ImproperlyConfigured" in error_line(result)
    for name in REQUIRED_IN_PRODUCTION:
        assert name in error_line(result)


@pytest.mark.parametrize("missing", REQUIRED_IN_PRODUCTION)
def test_production_names_only_the_setting_that_is_missing(tmp_path, missing):
    environment = production_environment(tmp_path)
    del environment[missing]

    result = start_production(**environment)

    assert result.returncode != 0
    assert missing in error_line(result)
    for name in set(REQUIRED_IN_PRODUCTION) - {missing}:
        assert name not in error_line(result)


def test_production_starts_with_the_required_settings(tmp_path):
    result = start_production(**production_environment(tmp_path))

    assert result.returncode == 0, result.stderr


def test_production_passes_the_deploy_checks(tmp_path):
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        settings_module="focuspolicy.settings.production",
        **production_environment(tmp_path),
    )

    assert result.returncode == 0, result.stderr + result.stdout


PRINT_HEADER_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({name: getattr(settings, name) for name in (
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "SECURE_CROSS_ORIGIN_OPENER_POLICY",
)}))
"""
ONE_YEAR = 365 * 24 * 60 * 60


def header_settings(settings_module, **environment):
    result = run_python(["-c", PRINT_HEADER_SETTINGS], settings_module=settings_module, **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_sends_hsts_for_a_year_by_default(tmp_path):
    settings = header_settings("focuspolicy.settings.production", **production_environment(tmp_path))

    assert settings == {
        "SECURE_HSTS_SECONDS": ONE_YEAR,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
    }


@pytest.mark.parametrize("module", ["local", "test"])
def test_development_and_tests_send_no_hsts_unless_set(module):
    settings = header_settings(f"focuspolicy.settings.{module}")

    assert settings["SECURE_HSTS_SECONDS"] == 0
    assert settings["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert settings["SECURE_REFERRER_POLICY"] == "same-origin"
    assert settings["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"


@pytest.mark.parametrize("module", ["local", "test", "production"])
def test_every_header_setting_comes_from_the_environment(tmp_path, module):
    environment = production_environment(tmp_path) if module == "production" else {}
    environment.update(
        SECURE_HSTS_SECONDS="600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
        SECURE_HSTS_PRELOAD="false",
        SECURE_CONTENT_TYPE_NOSNIFF="false",
        SECURE_REFERRER_POLICY="strict-origin-when-cross-origin",
        SECURE_CROSS_ORIGIN_OPENER_POLICY="same-origin-allow-popups",
    )

    settings = header_settings(f"focuspolicy.settings.{module}", **environment)

    assert settings == {
        "SECURE_HSTS_SECONDS": 600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_CONTENT_TYPE_NOSNIFF": False,
        "SECURE_REFERRER_POLICY": "strict-origin-when-cross-origin",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin-allow-popups",
    }


def local_settings(module="focuspolicy.settings.local", **environment):
    result = run_python(["-c", PRINT_SETTINGS], settings_module=module, **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_development_needs_nothing_set_sqlite_and_in_process_tasks():
    settings = local_settings()

    assert settings["engine"] == "django.db.backends.sqlite3"
    assert settings["always_eager"] is True


def test_development_with_redis_url_sends_tasks_to_the_broker():
    settings = local_settings(REDIS_URL="redis://127.0.0.1:6379/0")

    assert settings["broker_url"] == "redis://127.0.0.1:6379/0"
    assert settings["always_eager"] is False


def test_development_keeps_evidence_on_disk_cache_in_process_and_sessions_in_the_database():
    settings = local_settings()

    assert settings["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert settings["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert settings["session_engine"] == "django.contrib.sessions.backends.db"


def test_with_redis_url_the_cache_is_redis_and_sessions_are_cached_in_front_of_the_database():
    settings = local_settings(REDIS_URL="redis://127.0.0.1:6379/3")

    assert settings["cache"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert settings["cache"]["LOCATION"] == "redis://127.0.0.1:6379/3"
    assert settings["session_engine"] == "core.cached_sessions"


def test_cache_url_puts_the_cache_in_another_redis_than_the_broker():
    settings = local_settings(REDIS_URL="redis://broker:6379/0", CACHE_URL="redis://cache:6379/1")

    assert settings["broker_url"] == "redis://broker:6379/0"
    assert settings["cache"]["LOCATION"] == "redis://cache:6379/1"


def test_with_a_bucket_evidence_goes_to_a_private_s3_store():
    settings = local_settings(
        AWS_STORAGE_BUCKET_NAME="focuspolicy-evidence",
        AWS_S3_ENDPOINT_URL="http://minio:9000",
        AWS_S3_ADDRESSING_STYLE="path",
    )

    assert settings["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = settings["storage"]["OPTIONS"]
    assert options["bucket_name"] == "focuspolicy-evidence"
    assert options["endpoint_url"] == "http://minio:9000"
    assert options["addressing_style"] == "path"
    assert options["default_acl"] is None
    assert options["querystring_auth"] is True
    assert options["file_overwrite"] is False


def test_an_s3_endpoint_without_a_bucket_stops_start_up_naming_the_bucket_setting():
    result = run_python(
        ["-c", "import django; django.setup()"],
        settings_module="focuspolicy.settings.local",
        AWS_S3_ENDPOINT_URL="http://minio:9000",
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in error_line(result)
    assert "AWS_STORAGE_BUCKET_NAME" in error_line(result)


def test_the_test_settings_need_neither_redis_nor_an_object_store_whatever_the_environment_says():
    settings = local_settings(
        "focuspolicy.settings.test",
        REDIS_URL="redis://127.0.0.1:6379/3",
        AWS_STORAGE_BUCKET_NAME="focuspolicy-evidence",
    )

    assert settings["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert settings["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert settings["session_engine"] == "django.contrib.sessions.backends.db"


SHOW_JIT = """
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SHOW jit")
    print(cursor.fetchone()[0])
"""


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (DATABASE_URL), as in CI",
)
@pytest.mark.parametrize(("setting", "expected"), [({}, "off"), ({"DATABASE_JIT_OFF": "false"}, "on")])
def test_connections_to_postgresql_run_without_jit_unless_told_otherwise(setting, expected):
    # The server's own default is on: each connection turns it off, so short queries are not compiled.
    result = run_python(
        ["-c", SHOW_JIT],
        settings_module="focuspolicy.settings.local",
        DATABASE_URL=os.environ["DATABASE_URL"],
        **setting,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


@pytest.mark.parametrize(
    "value, message",
    [
        ("not-a-key", "EVIDENCE_ENCRYPTION_KEY: key 1 of 1 is not a Fernet key"),
        ("Scb2c86NRtOoM4Eo-3slfOkxB3lS5hkxdnI-y3kynRE=,short", "EVIDENCE_ENCRYPTION_KEY: key 2 of 2 is not"),
    ],
)
def test_production_refuses_a_malformed_evidence_key(tmp_path, value, message):
    result = start_production(**{**production_environment(tmp_path), "EVIDENCE_ENCRYPTION_KEY": value})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in error_line(result)
    assert message in error_line(result)


def test_development_seals_evidence_with_a_key_of_its_own_when_none_is_given():
    result = run_python(
        ["-c", "import django; django.setup(); from cases.sealed import cipher; print(cipher()[1])"],
        settings_module="focuspolicy.settings.local",
    )

    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip()) == 16
