"""/healthz/ and /readyz/, with the database, the broker and the storage really failing: the database at a
closed port, a Redis of the test's own stopped, the evidence folder impossible to create."""

import threading

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from focuspolicy import health
from focuspolicy.celery import app
from tests.cases.test_evidence_s3 import BUCKET, bucket  # noqa: F401 - a fixture


@pytest.fixture
def broker_at():
    """broker_at(url): the broker /readyz/ checks (and the app uses), for this test only."""
    saved = app.conf.broker_url

    def use(url):
        app.conf.broker_url = url

    yield use
    app.conf.broker_url = saved


@pytest.fixture
def stop_database(monkeypatch):
    """stop_database(): from then on every database connection leads nowhere (a closed port; for SQLite a
    folder that does not exist), this thread's too, which is closed and reconnects there."""

    def stop():
        unreachable = dict(connections.settings[DEFAULT_DB_ALIAS])
        if connection.vendor == "postgresql":
            unreachable.update(HOST="127.0.0.1", PORT="1")
        else:
            unreachable["NAME"] = "/nonexistent-folder/focuspolicy.sqlite3"
        monkeypatch.setitem(connections.settings, DEFAULT_DB_ALIAS, unreachable)
        connection.close()
        monkeypatch.setattr(connections[DEFAULT_DB_ALIAS], "settings_dict", unreachable)

    yield stop
    monkeypatch.undo()  # before the test database is flushed
    connection.close()


@pytest.fixture
def database_down(stop_database):
    stop_database()


@pytest.fixture
def storage_unwritable(settings, tmp_path):
    """Evidence goes to a folder that cannot be made (its parent is a file): fails even as root."""
    (tmp_path / "a-file").write_text("not a folder")
    settings.MEDIA_ROOT = tmp_path / "a-file" / "uploads"


def test_healthz_says_ok_and_checks_nothing(client, database_down):
    response = client.get("/healthz/")

    assert (response.status_code, response.text) == (200, "ok")


def test_readyz_says_ok_when_the_database_the_broker_and_the_storage_answer(
    client, db, redis_server, broker_at
):
    broker_at(redis_server.url)

    response = client.get("/readyz/")

    assert (response.status_code, response.text) == (200, "ok")
    assert response["Content-Type"] == "text/plain"
    assert "no-store" in response["Cache-Control"]


def test_readyz_leaves_no_probe_file_behind(client, db, settings):
    # The storage is shared with the session's other tests: compare what is there before and after.
    before = set(settings.MEDIA_ROOT.rglob("*"))

    assert client.get("/readyz/").status_code == 200

    assert set(settings.MEDIA_ROOT.rglob("*")) == before


@pytest.mark.django_db(transaction=True)
def test_readyz_names_the_database_when_it_is_down_even_for_someone_signed_in(client, staff, stop_database):
    # Signed in before the database went: the session cookie must not make a middleware read the database.
    client.force_login(staff)
    stop_database()

    response = client.get("/readyz/")

    assert (response.status_code, response.text) == (503, "database: unavailable\n")


def test_readyz_names_the_broker_when_it_is_down(client, db, redis_server, broker_at):
    broker_at(redis_server.url)
    redis_server.stop()

    response = client.get("/readyz/")

    assert (response.status_code, response.text) == (503, "broker: unavailable\n")
    assert str(redis_server.port) not in response.text


def test_readyz_does_not_check_a_broker_when_there_is_none(client, db, broker_at):
    broker_at("memory://")

    assert client.get("/readyz/").status_code == 200


def test_readyz_names_the_storage_when_it_cannot_write(client, db, storage_unwritable):
    response = client.get("/readyz/")

    assert (response.status_code, response.text) == (503, "storage: unavailable\n")


def test_readyz_names_everything_that_failed(
    client, redis_server, broker_at, storage_unwritable, database_down
):
    broker_at(redis_server.url)
    redis_server.stop()

    response = client.get("/readyz/")

    assert response.status_code == 503
    assert response.text == "database: unavailable\nbroker: unavailable\nstorage: unavailable\n"


def test_readyz_answers_in_time_when_a_check_hangs(client, db, monkeypatch):
    """A storage that never answers: the probe answers when its time is up, naming it."""
    release = threading.Event()
    monkeypatch.setitem(health.CHECKS, "storage", lambda: release.wait(30))
    try:
        response = client.get("/readyz/")
    finally:
        release.set()

    assert (response.status_code, response.text) == (503, "storage: timed out\n")


def test_readyz_checks_a_bucket_and_leaves_nothing_in_it(client, db, bucket):  # noqa: F811 - the fixture
    # The first check builds the S3 client, which on a busy machine may take longer than the probe waits
    # (it then answers "storage: timed out", and the next probe finds the client made).
    client.get("/readyz/")

    response = client.get("/readyz/")

    assert (response.status_code, response.text) == (200, "ok")
    assert bucket.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0

    bucket.delete_bucket(Bucket=BUCKET)

    assert client.get("/readyz/").text == "storage: unavailable\n"
