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
REQUIRED_IN_PRODUCTION = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "SITE_URL")
PRINT_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "broker_url": settings.CELERY_BROKER_URL,
    "always_eager": settings.CELERY_TASK_ALWAYS_EAGER,
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


def local_settings(**environment):
    result = run_python(["-c", PRINT_SETTINGS], settings_module="focuspolicy.settings.local", **environment)
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
