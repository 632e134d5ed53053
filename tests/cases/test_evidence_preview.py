"""Image previews (cases:evidence_preview): the picture without its EXIF, GPS position, camera or comments,
shown in the browser to whoever may see the case; the original stays byte for byte for download. Who may
see a preview, of an image or a PDF (tests/cases/test_evidence_pdf_preview.py), is here too."""

import io
import struct
import zlib

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from audit.models import AuditEntry
from cases.evidence import evidence_add
from cases.models import SubjectKind
from tests.cases.hostile_files import image_bytes, jpeg_with_gps, pdf_bytes
from tests.cases.test_evidence import body, upload

pytestmark = pytest.mark.django_db

PHOTO = jpeg_with_gps()


def png_with_author():
    png = image_bytes("PNG")
    data = b"Author\0Jo Bloggs, 12 Example Road"
    chunk = struct.pack(">I", len(data)) + b"tEXt" + data + struct.pack(">I", zlib.crc32(b"tEXt" + data))
    return png[:33] + chunk + png[33:]


def jpeg_turned_on_its_side():
    """40 wide and 30 high as stored, with EXIF saying: turn it a quarter to show it (orientation 6)."""
    exif = Image.Exif()
    exif[0x0112] = 6
    return image_bytes("JPEG", size=(40, 30), exif=exif.tobytes())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def case_with_images(raise_case, staff, other_staff, media):
    return raise_case(
        staff,
        subject_kind=SubjectKind.COLLEAGUE,
        subject_person=other_staff,
        subject_description="",
        evidence_files=[
            upload("photo.jpg", PHOTO),
            upload("screenshot.png", png_with_author()),
            upload("sideways.jpg", jpeg_turned_on_its_side()),
            upload("letter.pdf", pdf_bytes()),
            upload("notes.txt", b"Posted at 21:14."),
        ],
    )


def preview_url(evidence):
    return reverse("cases:evidence_preview", args=[evidence.case.reference, evidence.pk])


def download_url(evidence):
    return reverse("cases:evidence", args=[evidence.case.reference, evidence.pk])


def test_the_preview_of_a_photo_has_no_exif_or_gps(client, case_with_images, supervisor):
    evidence = case_with_images.evidence.get(original_name="photo.jpg")
    client.force_login(supervisor)

    response = client.get(preview_url(evidence))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "Content-Disposition" not in response  # shown in the browser
    preview = response.content
    assert b"Exif" not in preview
    assert b"SecretPhone" not in preview and b"PhoneMaker" not in preview
    with Image.open(io.BytesIO(preview)) as image:
        assert dict(image.getexif()) == {}
        assert image.size == (40, 30)


def test_the_original_keeps_its_exif_byte_for_byte(client, case_with_images, supervisor):
    evidence = case_with_images.evidence.get(original_name="photo.jpg")
    client.force_login(supervisor)

    original = body(client.get(download_url(evidence)))

    assert original == PHOTO
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get_ifd(0x8825)[1] == "N"  # the GPS position is still there


def test_the_preview_of_a_png_drops_its_text(client, case_with_images, supervisor):
    evidence = case_with_images.evidence.get(original_name="screenshot.png")
    client.force_login(supervisor)

    response = client.get(preview_url(evidence))

    assert response["Content-Type"] == "image/png"
    assert b"Jo Bloggs" not in response.content
    assert b"tEXt" not in response.content


def test_the_preview_is_turned_the_way_the_camera_meant(client, case_with_images, supervisor):
    evidence = case_with_images.evidence.get(original_name="sideways.jpg")
    client.force_login(supervisor)

    with Image.open(io.BytesIO(client.get(preview_url(evidence)).content)) as image:
        assert image.size == (30, 40)


def test_a_text_file_has_no_preview(client, case_with_images, supervisor):
    evidence = case_with_images.evidence.get(original_name="notes.txt")
    client.force_login(supervisor)

    assert client.get(preview_url(evidence)).status_code == 404


def test_the_preview_is_sealed_off_and_audited(client, case_with_images, supervisor, settings):
    settings.SECURE_CONTENT_TYPE_NOSNIFF = False  # the view says nosniff itself
    evidence = case_with_images.evidence.get(original_name="photo.jpg")
    client.force_login(supervisor)

    response = client.get(preview_url(evidence))

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DOWNLOAD)
    assert entry.actor == supervisor
    assert entry.what.startswith("viewed evidence “photo.jpg”")


def test_the_case_page_links_images_to_their_preview_and_the_original(client, case_with_images, supervisor):
    photo = case_with_images.evidence.get(original_name="photo.jpg")
    notes = case_with_images.evidence.get(original_name="notes.txt")
    client.force_login(supervisor)

    page = client.get(case_with_images.get_absolute_url()).text

    assert f'href="{preview_url(photo)}"' in page
    assert f'href="{download_url(photo)}" download' in page
    assert preview_url(notes) not in page
    assert f'href="{download_url(notes)}" download' in page


@pytest.mark.parametrize("name", ["photo.jpg", "letter.pdf"])
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("staff", 200),  # the reporter, who uploaded it
        ("supervisor", 200),  # the handler
        ("governance", 200),
        ("other_staff", 404),  # the colleague it is about
        ("other_supervisor", 404),
        ("head_of_service", 404),
        ("hr", 404),
        ("outsider", 404),
    ],
)
def test_who_may_see_a_preview(client, case_with_images, request, who, status, name):
    person = request.getfixturevalue(who)
    client.force_login(person)
    evidence = case_with_images.evidence.get(original_name=name)

    assert client.get(preview_url(evidence)).status_code == status

    viewed = AuditEntry.objects.filter(action=AuditEntry.Action.DOWNLOAD, actor=person)
    refused = AuditEntry.objects.filter(action=AuditEntry.Action.REFUSED, actor=person)
    assert (viewed.count(), refused.count()) == ((1, 0) if status == 200 else (0, 1))


@pytest.mark.parametrize("name, content", [("handler.jpg", PHOTO), ("handler.pdf", pdf_bytes())])
def test_the_reporter_sees_no_preview_of_what_a_handler_added(
    client, case_with_images, staff, supervisor, name, content
):
    [added] = evidence_add(case=case_with_images, by=supervisor, files=[upload(name, content)])
    client.force_login(staff)

    assert client.get(preview_url(added)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, case_with_images):
    response = client.get(preview_url(case_with_images.evidence.first()))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_image_that_cannot_be_read_gets_a_message(client, case_with_images, supervisor):
    evidence = case_with_images.evidence.get(original_name="photo.jpg")
    storage, name = evidence.file.storage, evidence.file.name
    storage.delete(name)
    storage.save(name, ContentFile(PHOTO[:40]))  # cut short, as a file damaged in the store would be
    client.force_login(supervisor)

    response = client.get(preview_url(evidence), follow=True)

    assert response.redirect_chain[0][0] == f"{case_with_images.get_absolute_url()}#evidence-heading"
    assert "“photo.jpg” cannot be shown in the browser: it cannot be read as an image" in response.text
