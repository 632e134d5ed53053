"""A full disk (or a failing storage) while evidence is stored: the form comes back with a clear error and
everything typed on it, and nothing is left behind: no case, no evidence or kept file row, no file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Case, ConcernDraft, Evidence, KeptFile
from cases.sealed import STORAGE_FAILED
from tests.cases.test_evidence import PDF, PNG, files_under, raise_data

pytestmark = pytest.mark.django_db

RAISE = "/cases/raise/"


@pytest.fixture
def full_disk(settings, tmp_path):
    """full_disk(room_for): evidence goes to a folder with room for that many more files."""
    folder = tmp_path / "media"

    def fill(room_for=0):
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "tests.cases.full_disk.FullDiskStorage",
                "OPTIONS": {"location": str(folder), "room_for": room_for},
            },
        }
        return folder

    return fill


def files():
    return [
        SimpleUploadedFile("screenshot.png", PNG, "image/png"),
        SimpleUploadedFile("letter.pdf", PDF, "application/pdf"),
    ]


def nothing_left(folder):
    assert not Case.objects.exists()
    assert not Evidence.objects.exists() and not KeptFile.objects.exists()
    assert not folder.exists() or files_under(folder) == []


@pytest.mark.parametrize("room_for", [0, 1])
def test_raising_a_concern_on_a_full_disk_keeps_the_form_and_leaves_nothing(
    client, staff, policy, full_disk, room_for
):
    # With room for one file, the first is stored and the second fails halfway: both are removed.
    folder = full_disk(room_for)
    client.force_login(staff)
    data = raise_data(policy, description="A photo of the day centre's front door.", evidence=files())
    response = client.post(RAISE, data)

    assert response.status_code == 200
    assert STORAGE_FAILED in response.text
    assert "A photo of the day centre&#x27;s front door." in response.text
    assert "A Facebook account called Concerned Neighbour" in response.text
    # The chosen files could not be kept either (the disk is still full), and the form says so.
    assert "The files you chose could not be kept, as the file storage failed: choose them again." in (
        response.text
    )
    nothing_left(folder)


def test_a_concern_is_raised_once_the_disk_has_room_again(client, staff, policy, full_disk):
    full_disk(0)
    client.force_login(staff)
    client.post(RAISE, raise_data(policy, evidence=files()))
    folder = full_disk(10)
    response = client.post(RAISE, raise_data(policy, evidence=files()))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.evidence.count() == 2 and len(files_under(folder)) == 2


def test_saving_a_draft_on_a_full_disk_keeps_the_form_and_leaves_nothing(client, staff, policy, full_disk):
    folder = full_disk(1)
    client.force_login(staff)
    data = raise_data(policy, description="Half written", evidence=files(), save_draft="1")
    response = client.post(RAISE, data)

    assert response.status_code == 200
    assert STORAGE_FAILED in response.text and "Half written" in response.text
    assert not ConcernDraft.objects.exists()
    nothing_left(folder)


def test_a_handler_adding_evidence_on_a_full_disk_is_told_and_nothing_is_added(
    client, case_about_colleague, supervisor, full_disk
):
    folder = full_disk(1)
    client.force_login(supervisor)
    case = case_about_colleague
    response = client.post(
        reverse("cases:add_evidence", args=[case.reference]), {"files": files()}, follow=True
    )
    assert response.status_code == 200
    assert STORAGE_FAILED in response.text
    assert not case.evidence.exists() and not case.events.filter(kind="evidence").exists()
    assert files_under(folder) == []


def test_a_reporter_adding_evidence_on_a_full_disk_keeps_their_note(
    client, case_about_colleague, staff, full_disk
):
    folder = full_disk(0)
    client.force_login(staff)
    case = case_about_colleague
    response = client.post(
        reverse("cases:reporter_evidence", args=[case.reference]),
        {"files": files(), "note": "Posted the day after the first."},
    )
    assert response.status_code == 400  # the case page again, its form sent back
    assert STORAGE_FAILED in response.text and "Posted the day after the first." in response.text
    assert not case.evidence.exists()
    assert files_under(folder) == []
