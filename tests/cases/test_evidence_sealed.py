"""Evidence sealed at rest (cases/sealed.py): the folder or bucket alone tells nothing of a file, the app
gives back the original byte for byte with the SHA-256 recorded at intake, and a file goes when its row or
case is deleted, once the deletion is committed."""

import hashlib

import pytest
from django.db import transaction
from django.urls import reverse

from audit.models import AuditEntry
from cases.models import Case, Evidence
from tests.cases.hostile_files import image_bytes, jpeg_with_gps, pdf_bytes
from tests.cases.test_evidence import body, files_under, raise_data, upload
from tests.cases.test_evidence_s3 import BUCKET, bucket  # noqa: F401 - the S3 fixture

pytestmark = pytest.mark.django_db

MARKER = b"CONFIDENTIAL-MARKER-7c1e: Jo Bloggs of 12 Example Road posted this at 21:14."


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def s3(bucket):  # noqa: F811 - moto's S3 bucket, from test_evidence_s3
    return bucket


@pytest.fixture
def sealed_case(raise_case, staff, media):
    return raise_case(
        staff,
        evidence_files=[
            upload("notes.txt", MARKER),
            upload("photo.jpg", jpeg_with_gps()),
            upload("letter.pdf", pdf_bytes()),
        ],
    )


ORIGINALS = {"notes.txt": MARKER, "photo.jpg": jpeg_with_gps(), "letter.pdf": pdf_bytes()}


def test_the_folder_alone_holds_nothing_of_the_files(sealed_case, media):
    stored = [path.read_bytes() for path in files_under(media)]

    assert len(stored) == 3
    for raw in stored:
        assert MARKER not in raw
        assert b"CONFIDENTIAL" not in raw
        assert b"SecretPhone" not in raw  # the camera named in the photo's EXIF
        assert b"%PDF" not in raw and b"JFIF" not in raw and b"Exif" not in raw
        assert raw.startswith(b"gAAAAA")  # a Fernet token


def test_each_row_records_the_key_that_sealed_it(sealed_case, settings):
    from cases.sealed import key_id

    assert set(sealed_case.evidence.values_list("sealed_with", flat=True)) == {
        key_id(settings.EVIDENCE_ENCRYPTION_KEY)
    }


@pytest.mark.parametrize("name", ORIGINALS)
def test_the_download_is_the_original_byte_for_byte(client, sealed_case, supervisor, name):
    evidence = sealed_case.evidence.get(original_name=name)
    client.force_login(supervisor)

    response = client.get(reverse("cases:evidence", args=[sealed_case.reference, evidence.pk]))

    downloaded = body(response)
    assert downloaded == ORIGINALS[name]
    assert hashlib.sha256(downloaded).hexdigest() == evidence.sha256
    assert evidence.sha256 == hashlib.sha256(ORIGINALS[name]).hexdigest()


def test_the_case_page_shows_each_files_sha256(client, sealed_case, supervisor):
    client.force_login(supervisor)

    page = client.get(sealed_case.get_absolute_url()).text

    for original in ORIGINALS.values():
        assert hashlib.sha256(original).hexdigest() in page
    assert "SHA-256 as uploaded" in page


def test_the_reporters_page_shows_the_sha256_of_their_files_too(client, sealed_case, staff):
    client.force_login(staff)

    page = client.get(sealed_case.get_absolute_url()).text

    assert hashlib.sha256(MARKER).hexdigest() in page


@pytest.mark.parametrize("url_name", ["cases:evidence", "cases:evidence_preview"])
def test_a_file_that_no_configured_key_opens_is_refused_with_a_message(
    client, sealed_case, supervisor, settings, caplog, url_name
):
    settings.EVIDENCE_ENCRYPTION_KEY = "Scb2c86NRtOoM4Eo-3slfOkxB3lS5hkxdnI-y3kynRE="  # another key only
    evidence = sealed_case.evidence.get(original_name="photo.jpg")
    client.force_login(supervisor)

    response = client.get(reverse(url_name, args=[sealed_case.reference, evidence.pk]))

    assert response.status_code == 503
    assert "cannot be opened with the keys configured" in response.content.decode()
    assert not response.content.startswith(b"gAAAAA")  # the token is never handed out
    assert f"Evidence #{evidence.pk}" in caplog.text  # an operator's mistake: logged for them
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.DOWNLOAD).exists()


def test_in_the_bucket_too_only_tokens_are_stored(client, staff, supervisor, policy, s3):
    client.force_login(staff)
    client.post(reverse("cases:raise"), raise_data(policy, evidence=[upload("notes.txt", MARKER)]))
    case = Case.objects.get()
    evidence = case.evidence.get()

    raw = s3.get_object(Bucket=BUCKET, Key=evidence.file.name)["Body"].read()
    assert MARKER not in raw and b"CONFIDENTIAL" not in raw
    client.force_login(supervisor)
    assert body(client.get(reverse("cases:evidence", args=[case.reference, evidence.pk]))) == MARKER


# --- No file outlives its row ----------------------------------------------------------------------------


def test_deleting_an_evidence_row_deletes_its_file_once_committed(
    sealed_case, media, django_capture_on_commit_callbacks
):
    evidence = sealed_case.evidence.get(original_name="notes.txt")
    path = media / evidence.file.name

    with django_capture_on_commit_callbacks(execute=True):
        evidence.delete()
        assert path.exists()  # not before the commit

    assert not path.exists()
    assert len(files_under(media)) == 2


def test_a_deletion_rolled_back_keeps_the_file(sealed_case, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            sealed_case.evidence.all().delete()
            raise RuntimeError("something later in the same transaction failed")

    assert callbacks == []
    assert Evidence.objects.count() == 3
    assert len(files_under(media)) == 3


def test_deleting_a_case_leaves_no_file_behind(sealed_case, media, django_capture_on_commit_callbacks):
    # The audit trail holds a case (PROTECT) until retention lets it go; here it is let go by hand.
    AuditEntry.objects.filter(case=sealed_case).delete()

    with django_capture_on_commit_callbacks(execute=True):
        Case.objects.filter(pk=sealed_case.pk).delete()

    assert not Evidence.objects.exists()
    assert files_under(media) == []


def test_deleting_evidence_deletes_it_from_the_bucket(
    client,
    staff,
    policy,
    s3,
    django_capture_on_commit_callbacks,
):
    client.force_login(staff)
    files = [upload("a.png", image_bytes("PNG")), upload("b.txt", MARKER)]
    client.post(reverse("cases:raise"), raise_data(policy, evidence=files))
    assert len(s3.list_objects_v2(Bucket=BUCKET)["Contents"]) == 2

    with django_capture_on_commit_callbacks(execute=True):
        Evidence.objects.all().delete()

    assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET)
