"""manage.py backup and manage.py restore: a round trip gives back the same rows and the same stored files,
sends nothing again, and restore refuses a target that is not empty, a damaged backup and one from a newer
version. Runs on the database the suite runs on (SQLite, or PostgreSQL with DATABASE_URL): the test database
is wiped (its tables dropped) and the backup restored into it."""

import datetime
import hashlib
import io
import json
import shutil
import threading

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from backups.database import BackupError, database_tables, postgres_env, postgres_tool
from cases.models import Case, Evidence, KeptFile
from notifications.models import Delivery
from reminders.models import Timer
from tests.cases.test_evidence import PDF, PNG, TEXT, raise_data, upload
from tests.cases.test_evidence_s3 import BUCKET, bucket  # noqa: F401 - the S3 fixture

# A backup reads committed data, outside any transaction, as pg_dump does.
in_the_database = pytest.mark.django_db(transaction=True)

ORIGINALS = {"shot.png": PNG, "letter.pdf": PDF, "notes.txt": TEXT}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def later():
    """Ten days after the concern is raised: its triage reminder and escalation are due."""
    return timezone.now() + datetime.timedelta(days=10)


@pytest.fixture
def world(client, raise_case, staff, supervisor, policy, media, later, put_back):
    """A case with evidence, a kept file, every e-mail due sent and every timer due fired, and beat having
    run; then mail.outbox emptied."""
    case = raise_case(staff, evidence_files=[upload(name, content) for name, content in ORIGINALS.items()])
    run_reminders(later)
    with time_machine.travel(later, tick=False):  # a draft saved then, with a file kept for it
        client.force_login(staff)
        draft = raise_data(policy, save_draft="1", description="Draft", evidence=[upload("kept.png", PNG)])
        client.post("/cases/raise/", draft)
    assert KeptFile.objects.count() == 1
    assert Timer.objects.filter(fired_at__isnull=False).exists()
    assert Delivery.objects.filter(status=Delivery.Status.SENT).exists()
    assert mail.outbox  # what the test then proves is not sent again
    assert PeriodicTask.objects.update(last_run_at=later, total_run_count=3)  # as if beat had run each job
    mail.outbox.clear()
    return case


@pytest.fixture
def put_back(media, tmp_path):
    """After a test that left the database wiped, the backup it made (or else the migrations) puts the
    schema back for the tests that follow; a copy is kept, as the test may damage the backup."""
    yield
    if database_tables():
        return
    shutil.rmtree(media, ignore_errors=True)
    if (tmp_path / "pristine").exists():
        restore(tmp_path / "pristine")
    else:
        call_command("migrate", verbosity=0)


@pytest.fixture
def out(world, tmp_path):
    """The backup of the world above, in tmp_path / "backup"."""
    assert "Backup written" in backup(tmp_path / "backup")
    shutil.copytree(tmp_path / "backup", tmp_path / "pristine")
    return tmp_path / "backup"


def run_reminders(when):
    with time_machine.travel(when, tick=False):
        call_command("run_reminders", stdout=io.StringIO())


def backup(out):
    output = io.StringIO()
    call_command("backup", out=str(out), stdout=output)
    return output.getvalue()


def restore(directory):
    output = io.StringIO()
    call_command("restore", str(directory), stdout=output)
    return output.getvalue()


def stored_files(media):
    return {
        str(path.relative_to(media)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in media.rglob("*")
        if path.is_file()
    }


def state():
    """What must come back as it was: what was sent, what fired, what beat ran."""
    return {
        "cases": list(Case.objects.values_list("reference", "stage")),
        "evidence": list(Evidence.objects.values_list("pk", "file", "sha256")),
        "deliveries": list(Delivery.objects.order_by("pk").values_list("pk", "status", "sent_at")),
        "timers": list(Timer.objects.order_by("pk").values_list("pk", "fired_at", "cancelled_at")),
        "beat": list(
            PeriodicTask.objects.order_by("name").values_list("name", "last_run_at", "total_run_count")
        ),
    }


def wipe(media):
    """Drop every table and delete every stored file: an empty database and storage to restore into."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            cursor.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view')")
            for kind, name in cursor.fetchall():
                if not name.startswith("sqlite_"):
                    cursor.execute(f'DROP {kind.upper()} "{name}"')
            cursor.execute("PRAGMA foreign_keys = ON")
    shutil.rmtree(media, ignore_errors=True)
    assert database_tables() == []


@in_the_database
def test_a_backup_restored_gives_back_the_same_rows_and_files_and_sends_nothing_again(
    world, media, tmp_path, client, staff, later, settings
):
    before, files = state(), stored_files(media)
    assert len(files) == 4  # three pieces of evidence and the kept file, as stored (sealed)
    out = tmp_path / "backup"
    assert "Backup written" in backup(out)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["cases_evidence"] == 3
    assert {entry["name"]: entry["sha256"] for entry in manifest["files"]} == files
    assert manifest["migrations"]["cases"]

    wipe(media)
    key = settings.EVIDENCE_ENCRYPTION_KEY
    settings.EVIDENCE_ENCRYPTION_KEY = Fernet.generate_key().decode()  # the key was not kept
    output = restore(out)
    assert "Restored" in output
    assert "3 evidence file(s) were sealed with a key that EVIDENCE_ENCRYPTION_KEY does not" in output
    settings.EVIDENCE_ENCRYPTION_KEY = key

    assert state() == before
    assert stored_files(media) == files
    # The files open with the key, as the originals.
    assert {e.original_name: e.file.open().read() for e in Evidence.objects.all()} == ORIGINALS
    # The sweeps after the restore find nothing due that was done before it.
    run_reminders(later)
    run_reminders(later + datetime.timedelta(minutes=5))
    assert mail.outbox == []
    assert state() == before
    client.force_login(staff)
    assert client.get(f"/cases/{world.reference}/").status_code == 200


def bucket_objects(s3):
    listed = s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {
        item["Key"]: hashlib.sha256(s3.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()).hexdigest()
        for item in listed
    }


@in_the_database
def test_evidence_in_a_bucket_is_backed_up_and_restored_into_an_empty_bucket(bucket, world, media, tmp_path):  # noqa: F811
    objects = bucket_objects(bucket)
    assert len(objects) == 4
    backup(tmp_path / "backup")
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert {entry["name"]: entry["sha256"] for entry in manifest["files"]} == objects

    wipe(media)
    left, *others = objects
    for key in others:
        bucket.delete_object(Bucket=BUCKET, Key=key)
    with pytest.raises(CommandError, match="The evidence storage is not empty"):
        restore(tmp_path / "backup")
    bucket.delete_object(Bucket=BUCKET, Key=left)
    restore(tmp_path / "backup")
    assert bucket_objects(bucket) == objects
    assert {e.original_name: e.file.open().read() for e in Evidence.objects.all()} == ORIGINALS

    lost = Evidence.objects.get(original_name="shot.png")
    bucket.delete_object(Bucket=BUCKET, Key=lost.file.name)
    with pytest.raises(CommandError, match=f"1 file\\(s\\) are missing .*{lost.file.name}"):
        backup(tmp_path / "again")


@in_the_database
def test_restore_refuses_a_database_or_storage_that_is_not_empty(out, media):
    before, files = state(), stored_files(media)
    with pytest.raises(CommandError, match="The database already has .* restore only into an empty database"):
        restore(out)
    assert state() == before and stored_files(media) == files
    wipe(media)
    (media / "evidence").mkdir(parents=True)
    (media / "evidence" / "left-over.bin").write_bytes(b"x")
    with pytest.raises(CommandError, match="The evidence storage is not empty"):
        restore(out)
    assert database_tables() == []


@in_the_database
def test_restore_refuses_a_changed_backup_or_one_from_a_newer_version_and_restores_nothing(out, media):
    wipe(media)
    manifest_file = out / "manifest.json"
    manifest = json.loads(manifest_file.read_text())
    newer = {**manifest, "migrations": {**manifest["migrations"], "cases": ["9999_from_the_future"]}}
    manifest_file.write_text(json.dumps(newer))
    with pytest.raises(CommandError, match="newer version of focuspolicy.*cases.9999_from_the_future"):
        restore(out)
    manifest_file.write_text(json.dumps(manifest))

    for changed in (out / manifest["database"]["file"], next((out / "files" / "evidence").rglob("*.*"))):
        original = changed.read_bytes()
        changed.write_bytes(original[:-1] + b"!")
        with pytest.raises(
            CommandError, match="1 file\\(s\\) of the backup are missing or changed .*nothing"
        ):
            restore(out)
        changed.write_bytes(original)
    assert database_tables() == []
    assert not media.exists()


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match="No backup at .*there is no such folder"):
        restore(tmp_path / "nowhere")
    (tmp_path / "unfinished").mkdir()
    with pytest.raises(CommandError, match="holds no manifest.json"):
        restore(tmp_path / "unfinished")


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "old.txt").write_text("an earlier backup")
    with pytest.raises(CommandError, match="is not an empty folder"):
        backup(tmp_path)


@in_the_database
def test_a_file_deleted_with_its_row_while_the_backup_runs_is_left_out(world, media, tmp_path, monkeypatch):
    """The retention sweep deletes a piece of evidence after the snapshot: the backup is taken again."""
    from backups import archive

    gone = Evidence.objects.get(original_name="notes.txt")
    real_snapshot = archive.snapshot

    def snapshot_then_delete(path):
        context = real_snapshot(path)
        reader = context.__enter__()
        if Evidence.objects.filter(pk=gone.pk).exists():
            # Another connection (a worker) deletes it and its file once the deletion commits.
            deleter = threading.Thread(target=delete_evidence, args=[gone.pk])
            deleter.start()
            deleter.join()
        return _Entered(context, reader)

    monkeypatch.setattr(archive, "snapshot", snapshot_then_delete)
    output = backup(tmp_path / "backup")
    assert "Attempt 1: 1 file(s) were deleted with their rows after the snapshot." in output
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["counts"]["cases_evidence"] == 2
    assert gone.file.name not in {entry["name"] for entry in manifest["files"]}
    assert len(manifest["files"]) == 3


@in_the_database
def test_a_file_lost_while_its_row_remains_fails_the_backup(world, media, tmp_path):
    lost = Evidence.objects.get(original_name="letter.pdf")
    (media / lost.file.name).unlink()
    with pytest.raises(CommandError, match=f"1 file\\(s\\) are missing .*cases.evidence {lost.file.name}"):
        backup(tmp_path / "backup")
    assert list((tmp_path / "backup").iterdir()) == []  # nothing half-written left to look like a backup


def test_without_the_postgresql_client_tools_the_error_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match="pg_dump was not found on PATH: install the PostgreSQL 15 client"):
        postgres_tool("pg_dump")


def test_pg_dump_and_pg_restore_are_given_the_password_in_their_environment(monkeypatch):
    for key, value in {"HOST": "db.example", "PORT": 6543, "USER": "owner", "PASSWORD": "s3cret"}.items():
        monkeypatch.setitem(connection.settings_dict, key, value)
    env = postgres_env()
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGPASSWORD"]) == (
        "db.example",
        "6543",
        "owner",
        "s3cret",
    )


def delete_evidence(pk):
    try:
        with transaction.atomic():
            Evidence.objects.get(pk=pk).delete()
    finally:
        connection.close()


class _Entered:
    """A context already entered: the real snapshot, once the deletion above has happened."""

    def __init__(self, context, reader):
        self.context, self.reader = context, reader

    def __enter__(self):
        return self.reader

    def __exit__(self, *exc):
        return self.context.__exit__(*exc)
