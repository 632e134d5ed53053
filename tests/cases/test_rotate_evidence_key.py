"""manage.py rotate_evidence_key: every file re-sealed with the first key while both keys open them, files
stored before encryption sealed, safe to stop and run again, and nothing to do the second time."""

import hashlib
import io

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import CommandError, call_command
from django.urls import reverse

from cases.models import Evidence
from cases.sealed import SealedStorage, key_id
from tests.cases.hostile_files import image_bytes, pdf_bytes
from tests.cases.test_evidence import body, raise_data, upload
from tests.cases.test_evidence_s3 import BUCKET, bucket  # noqa: F401 - the S3 fixture

pytestmark = pytest.mark.django_db

NOTES = b"Transcript: 'they will regret it', 3 May 21:14."
ORIGINALS = {"shot.png": image_bytes("PNG"), "letter.pdf": pdf_bytes(), "notes.txt": NOTES}
NEW = Fernet.generate_key().decode()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def old_key(settings):
    return settings.EVIDENCE_ENCRYPTION_KEY


@pytest.fixture
def case(raise_case, staff, media):
    return raise_case(staff, evidence_files=[upload(name, content) for name, content in ORIGINALS.items()])


@pytest.fixture
def s3(bucket):  # noqa: F811 - moto's S3 bucket, from test_evidence_s3
    return bucket


def rotate(**options):
    out = io.StringIO()
    call_command("rotate_evidence_key", stdout=out, stderr=out, **options)
    return out.getvalue()


def stored(media, evidence):
    return (media / evidence.file.name).read_bytes()


def assert_downloads_are_the_originals(client, case, person):
    client.force_login(person)
    for evidence in case.evidence.all():
        url = reverse("cases:evidence", args=[case.reference, evidence.pk])
        assert body(client.get(url)) == ORIGINALS[evidence.original_name]


def test_rotation_reseals_every_file_with_the_first_key(client, case, supervisor, media, settings, old_key):
    settings.EVIDENCE_ENCRYPTION_KEY = f"{NEW},{old_key}"
    assert_downloads_are_the_originals(client, case, supervisor)  # both keys open, before

    output = rotate()

    assert "3 evidence file(s) to seal with the first key" in output
    assert "3/3 done" in output
    assert "re-sealed 3" in output
    assert "the other keys may now be removed" in output
    for evidence in case.evidence.all():
        raw = stored(media, evidence)
        assert Fernet(NEW).decrypt(raw) == ORIGINALS[evidence.original_name]
        with pytest.raises(InvalidToken):
            Fernet(old_key).decrypt(raw)
        assert evidence.sealed_with == key_id(NEW)
    settings.EVIDENCE_ENCRYPTION_KEY = NEW  # the old key removed
    assert_downloads_are_the_originals(client, case, supervisor)


def test_a_second_run_has_nothing_to_do(case, media, settings, old_key):
    settings.EVIDENCE_ENCRYPTION_KEY = f"{NEW},{old_key}"
    rotate()
    before = {evidence.pk: stored(media, evidence) for evidence in case.evidence.all()}

    output = rotate()

    assert "0 evidence file(s) to seal" in output
    assert {evidence.pk: stored(media, evidence) for evidence in case.evidence.all()} == before


def test_a_stopped_rotation_carries_on_where_it_stopped(
    client, case, supervisor, media, settings, old_key, monkeypatch
):
    settings.EVIDENCE_ENCRYPTION_KEY = f"{NEW},{old_key}"
    replace = SealedStorage.replace
    calls = []

    def replace_then_stop(self, name, data):
        calls.append(name)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the operator stops it, or the machine goes down
        return replace(self, name, data)

    monkeypatch.setattr(SealedStorage, "replace", replace_then_stop)
    with pytest.raises(KeyboardInterrupt):
        rotate(batch_size=1)
    monkeypatch.setattr(SealedStorage, "replace", replace)

    assert sorted(Evidence.objects.values_list("sealed_with", flat=True)) == sorted(
        [key_id(NEW), key_id(old_key), key_id(old_key)]
    )
    assert_downloads_are_the_originals(client, case, supervisor)  # half done, every file still served

    output = rotate()

    assert "2 evidence file(s) to seal" in output
    assert set(Evidence.objects.values_list("sealed_with", flat=True)) == {key_id(NEW)}
    settings.EVIDENCE_ENCRYPTION_KEY = NEW
    assert_downloads_are_the_originals(client, case, supervisor)


def test_files_stored_before_encryption_are_sealed_and_keep_their_hash(client, case, supervisor, media):
    for evidence in case.evidence.all():  # As they lay before this release: plaintext, no key recorded.
        (media / evidence.file.name).write_bytes(ORIGINALS[evidence.original_name])
    Evidence.objects.update(sealed_with="")
    assert_downloads_are_the_originals(client, case, supervisor)  # served as they are meanwhile

    output = rotate()

    assert "Sealed 3 file(s) stored before encryption" in output
    for evidence in case.evidence.all():
        raw = stored(media, evidence)
        assert ORIGINALS[evidence.original_name] not in raw
        assert evidence.sha256 == hashlib.sha256(ORIGINALS[evidence.original_name]).hexdigest()
    assert_downloads_are_the_originals(client, case, supervisor)


def test_a_plaintext_file_changed_since_upload_is_sealed_and_reported(case, media):
    notes = case.evidence.get(original_name="notes.txt")
    (media / notes.file.name).write_bytes(b"Someone edited this file on the disk.")
    Evidence.objects.filter(pk=notes.pk).update(sealed_with="")

    output = rotate()

    assert f"evidence #{notes.pk}" in output
    assert "do not match the SHA-256 recorded when it was uploaded" in output
    assert b"edited" not in stored(media, notes)
    assert Evidence.objects.get(pk=notes.pk).sha256 == hashlib.sha256(NOTES).hexdigest()


def test_a_missing_file_is_named_and_the_rest_are_done(case, media, settings, old_key):
    settings.EVIDENCE_ENCRYPTION_KEY = f"{NEW},{old_key}"
    missing = case.evidence.get(original_name="letter.pdf")
    (media / missing.file.name).unlink()

    with pytest.raises(CommandError, match=r"1 file\(s\) were not sealed with the first key \(1 missing"):
        rotate()

    assert Evidence.objects.get(pk=missing.pk).sealed_with == key_id(old_key)
    assert Evidence.objects.exclude(pk=missing.pk).filter(sealed_with=key_id(NEW)).count() == 2


def test_a_file_sealed_with_a_key_no_longer_given_is_named(case, settings):
    settings.EVIDENCE_ENCRYPTION_KEY = NEW  # the old key removed before rotating: too soon

    with pytest.raises(CommandError, match=r"3 file\(s\) were not sealed .* 3 unopened"):
        rotate()

    assert not Evidence.objects.filter(sealed_with=key_id(NEW)).exists()


def test_rotation_replaces_the_objects_in_a_bucket_in_place(client, staff, supervisor, policy, s3, settings):
    client.force_login(staff)
    client.post(reverse("cases:raise"), raise_data(policy, evidence=[upload("notes.txt", NOTES)]))
    evidence = Evidence.objects.get()
    old_key = settings.EVIDENCE_ENCRYPTION_KEY
    settings.EVIDENCE_ENCRYPTION_KEY = f"{NEW},{old_key}"

    rotate()

    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [evidence.file.name]  # the same object, no copy left behind
    raw = s3.get_object(Bucket=BUCKET, Key=evidence.file.name)["Body"].read()
    assert Fernet(NEW).decrypt(raw) == NOTES
    settings.EVIDENCE_ENCRYPTION_KEY = NEW
    client.force_login(supervisor)
    assert body(client.get(reverse("cases:evidence", args=[evidence.case.reference, evidence.pk]))) == NOTES


def test_a_file_whose_row_is_deleted_during_its_resealing_is_not_left_behind(
    case, media, settings, old_key, monkeypatch
):
    settings.EVIDENCE_ENCRYPTION_KEY = f"{NEW},{old_key}"
    notes = case.evidence.get(original_name="notes.txt")
    replace = SealedStorage.replace

    def deleted_meanwhile(self, name, data):
        if name == notes.file.name:
            (media / name).unlink()  # what the deletion's on_commit does
            Evidence.objects.filter(pk=notes.pk).delete()
        return replace(self, name, data)

    monkeypatch.setattr(SealedStorage, "replace", deleted_meanwhile)

    output = rotate()

    assert "1 deleted meanwhile" in output
    assert not (media / notes.file.name).exists()
    assert Evidence.objects.filter(sealed_with=key_id(NEW)).count() == 2
