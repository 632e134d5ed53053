"""Hostile files, each refused through the raise-a-concern form and the add-evidence form with a message
naming the file: no case, no evidence row, no file in storage, never a 500 (cases/uploads.py)."""

import pytest
from django.urls import reverse
from pypdf.generic import ArrayObject, NameObject, NullObject, NumberObject

from cases.models import Case, Evidence
from tests.cases.hostile_files import HOSTILE_FILES, image_bytes, jpeg_with_gps, pdf_bytes, zip_bytes
from tests.cases.test_evidence import DESCRIPTION, files_under, raise_data, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_the_corpus_holds_at_least_twenty_hostile_files_each_named_once():
    names = [name for name, _, _ in HOSTILE_FILES]
    assert len(names) >= 20
    assert len(set(names)) == len(names)


@pytest.mark.parametrize(("name", "content", "message"), HOSTILE_FILES, ids=[f[0] for f in HOSTILE_FILES])
def test_a_hostile_file_is_refused_when_raising_a_concern(
    client, staff, policy, media, name, content, message
):
    client.force_login(staff)

    response = client.post(reverse("cases:raise"), raise_data(policy, evidence=[upload(name, content)]))

    assert response.status_code == 200
    [error] = response.context["form"].errors["evidence"]
    assert error.startswith(f"“{name}")  # the file, or the file inside the archive: “a.zip › b.txt”
    assert message in error
    assert f"“{name}" in response.text
    assert DESCRIPTION in response.text  # What was typed is kept.
    assert not Case.objects.exists()
    assert not Evidence.objects.exists()
    assert files_under(media.parent) == []


# One in four of the corpus: the same checks, through the other form that takes evidence.
SOME = HOSTILE_FILES[::4]


@pytest.mark.parametrize(("name", "content", "message"), SOME, ids=[f[0] for f in SOME])
def test_a_hostile_file_is_refused_when_added_to_a_case(
    client, raise_case, staff, supervisor, media, name, content, message
):
    case = raise_case(staff)
    client.force_login(supervisor)

    response = client.post(
        reverse("cases:add_evidence", args=[case.reference]), {"files": [upload(name, content)]}, follow=True
    )

    assert response.status_code == 200
    assert f"“{name}" in response.text
    assert "No evidence was added." in response.text
    assert not Evidence.objects.exists()
    assert files_under(media.parent) == []


def _open_at_first_page(writer):
    """What LibreOffice writes: open at page 1, zoom unchanged. A destination, not an action."""
    writer._root_object[NameObject("/OpenAction")] = ArrayObject(
        [writer.pages[0].indirect_reference, NameObject("/XYZ"), NullObject(), NullObject(), NumberObject(0)]
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("opens-at-page-one.pdf", pdf_bytes(_open_at_first_page)),
        ("photo-with-gps.jpg", jpeg_with_gps()),
        ("large-but-allowed.png", image_bytes("PNG", size=(7_000, 7_000), mode="1")),
        (
            "screenshots.zip",
            zip_bytes([("a.png", image_bytes("PNG")), ("b/letter.pdf", pdf_bytes()), ("c.txt", b"notes")]),
        ),
    ],
)
def test_ordinary_files_near_the_lines_are_still_accepted(client, staff, policy, media, name, content):
    client.force_login(staff)

    response = client.post(reverse("cases:raise"), raise_data(policy, evidence=[upload(name, content)]))

    assert response.status_code == 302
    assert Case.objects.get().evidence.get().original_name == name


def test_the_pixel_limit_is_a_setting(client, staff, policy, media, settings):
    settings.EVIDENCE_MAX_IMAGE_PIXELS = 47
    client.force_login(staff)

    response = client.post(
        reverse("cases:raise"), raise_data(policy, evidence=[upload("shot.png", image_bytes("PNG"))])
    )

    [error] = response.context["form"].errors["evidence"]
    assert error.startswith("“shot.png” is an image of 8 × 6 pixels, more than the 47 allowed.")
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("sent_name", "shown_name"),
    [
        ("..\\..\\evidence\\shot.png", "shot.png"),
        ("nul\x00byte.png", "nulbyte.png"),
        ("bell\x07and\x1bescape.png", "bellandescape.png"),
        ("right-to-left\u202egnp.exe", "right-to-leftgnp.exe"),
        ("\x01\x02", "unnamed file"),
    ],
)
def test_names_with_folders_or_control_characters_are_never_used_to_store(
    raise_case, staff, media, sent_name, shown_name
):
    case = raise_case(staff, evidence_files=[upload(sent_name, image_bytes("PNG"))])

    evidence = case.evidence.get()
    assert evidence.original_name == shown_name
    assert files_under(media.parent) == [media / "evidence" / case.reference / evidence.stored_name]


def test_the_archive_limits_are_settings(client, staff, policy, media, settings):
    settings.EVIDENCE_ZIP_MAX_FILES = 2
    settings.EVIDENCE_ZIP_MAX_EXPANDED_BYTES = 1000
    client.force_login(staff)
    three = upload("three.zip", zip_bytes([(f"{n}.txt", b"x") for n in range(3)]))
    big = upload("big.zip", zip_bytes([("a.txt", b"y" * 1001)]))

    response = client.post(reverse("cases:raise"), raise_data(policy, evidence=[three, big]))

    assert response.context["form"].errors["evidence"] == [
        "“three.zip” is a ZIP archive of more than 2 files, which cannot be uploaded.",
        "“big.zip” is a ZIP archive that expands to more than 1000 bytes, which cannot be uploaded.",
    ]
    assert not Evidence.objects.exists()


def test_an_accepted_archive_is_listed_and_downloaded_as_it_was(client, raise_case, staff, supervisor, media):
    archive = zip_bytes([("a.png", image_bytes("PNG")), ("notes.txt", b"what I saw")])
    case = raise_case(staff, evidence_files=[upload("screenshots.zip", archive)])
    evidence = case.evidence.get()
    client.force_login(supervisor)

    page = client.get(case.get_absolute_url()).text
    response = client.get(reverse("cases:evidence", args=[case.reference, evidence.pk]))

    assert evidence.content_type == "application/zip"
    assert "ZIP archive" in page
    assert response["Content-Disposition"] == 'attachment; filename="screenshots.zip"'
    assert b"".join(response.streaming_content) == archive
