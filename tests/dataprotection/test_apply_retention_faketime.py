"""manage.py apply_retention on the command line, in another process, with the clock moved by faketime (as
an operator would check the schedule): the database is the test database, handed to the process."""

import os
import shutil
import sqlite3
import subprocess
import sys
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings
from django.db import connection

from cases.models import Stage
from tests.dataprotection.conftest import at

pytestmark = pytest.mark.django_db(transaction=True)


def database_url(tmp_path):
    """A URL for the test database that another process can open: PostgreSQL's by name; SQLite's
    in-memory database copied to a file (and copied back by database_reload)."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
        where = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
        return f"postgres://{quote(db['USER'])}{password}@{where}/{db['NAME']}"
    path = tmp_path / "test.sqlite3"
    with sqlite3.connect(path) as copy:
        connection.ensure_connection()
        connection.connection.backup(copy)
    return f"sqlite:///{path}"


def database_reload(tmp_path):
    if connection.vendor == "sqlite":
        with sqlite3.connect(tmp_path / "test.sqlite3") as changed:
            changed.backup(connection.connection)


def apply_retention(day, url, *args):
    return subprocess.run(  # noqa: S603 - our own manage.py under faketime, with our own arguments
        [shutil.which("faketime"), day, sys.executable, "manage.py", "apply_retention", *args],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "focuspolicy.settings.test", "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_under_faketime_the_command_keeps_the_day_before_and_anonymises_on_the_day(
    raise_case, move_to, staff, tmp_path
):
    assert shutil.which("faketime"), "faketime is needed (Debian: apt-get install faketime)"
    with time_machine.travel(at(2031, 12, 30), tick=False):
        case = raise_case(staff)
    with time_machine.travel(at(2032, 1, 1, 10), tick=False):
        case = move_to(case, Stage.CLOSED_AT_TRIAGE)

    url = database_url(tmp_path)
    dry = apply_retention("2033-01-01 03:00:00", url, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert f"concerns closed at triage anonymised: 1 ({case.reference})" in dry.stdout

    before = apply_retention("2032-12-31 03:00:00", url)
    assert before.returncode == 0, before.stderr
    assert "concerns closed at triage anonymised: 0" in before.stdout

    due = apply_retention("2033-01-01 03:00:00", url)
    assert due.returncode == 0, due.stderr
    assert "concerns closed at triage anonymised: 1" in due.stdout
    database_reload(tmp_path)
    case.refresh_from_db()
    assert case.anonymised_at is not None and case.description == ""
    assert case.anonymised_at.year == 2033
