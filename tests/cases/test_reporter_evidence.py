"""The reporter adds evidence and information after raising, while the case is open: the same checks and
sealing as at raising, on the timeline and in the audit log, and the handler is told."""

import pytest
from cryptography.fernet import Fernet
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from cases import reporter
from cases.models import CaseEvent, Evidence, Stage
from core.errors import DomainError
from notifications.models import Kind, Notification
from tests.cases.test_evidence import HTML_PAGE, PNG

pytestmark = pytest.mark.django_db

TEXT = b"The second post, copied out: 'I know where she lives'."


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def add(client, case, *files, note=""):
    return client.post(
        reverse("cases:reporter_evidence", args=[case.reference]),
        {"files": list(files), "note": note},
        follow=True,
    )


def test_the_reporter_adds_evidence_with_a_note(
    client, case_about_colleague, staff, supervisor, settings, media
):
    case = case_about_colleague
    client.force_login(staff)
    response = add(
        client,
        case,
        SimpleUploadedFile("second-post.txt", TEXT, "text/plain"),
        note="Posted the day after the first.",
    )

    assert "Evidence added: second-post.txt." in response.text
    assert "You added evidence" in response.text and "Posted the day after the first." in response.text
    evidence = case.evidence.get()
    assert (evidence.uploaded_by, evidence.original_name) == (staff, "second-post.txt")
    stored = (media / evidence.file.name).read_bytes()
    assert TEXT not in stored
    assert Fernet(settings.EVIDENCE_ENCRYPTION_KEY).decrypt(stored) == TEXT
    event = case.events.get(kind=CaseEvent.Kind.EVIDENCE)
    assert (event.actor, event.visible_to_reporter) == (staff, True)
    assert AuditEntry.objects.filter(case=case, actor=staff, what__contains="second-post.txt").exists()
    notice = Notification.objects.get(recipient=supervisor, kind=Kind.FROM_REPORTER)
    assert notice.title == f"The reporter of case {case.reference} has added evidence"

    download = client.get(reverse("cases:evidence", args=[case.reference, evidence.pk]))
    assert b"".join(download.streaming_content) == TEXT
    client.force_login(supervisor)
    page = client.get(case.get_absolute_url()).text
    assert "second-post.txt" in page and "The reporter added evidence: second-post.txt" in page


def test_a_bad_file_is_refused_and_nothing_is_kept(client, case_about_colleague, staff, supervisor, media):
    client.force_login(staff)
    response = client.post(
        reverse("cases:reporter_evidence", args=[case_about_colleague.reference]),
        {
            "files": [SimpleUploadedFile("ok.png", PNG), SimpleUploadedFile("page.png", HTML_PAGE)],
            "note": "Both screenshots.",
        },
    )
    assert response.status_code == 400
    assert "“page.png” looks like a web page" in response.text
    assert "Both screenshots." in response.text  # what was typed is kept
    assert not Evidence.objects.exists()
    assert not case_about_colleague.events.filter(kind=CaseEvent.Kind.EVIDENCE).exists()
    assert not Notification.objects.filter(kind=Kind.FROM_REPORTER).exists()


def test_no_file_asks_for_one(client, case_about_colleague, staff, media):
    client.force_login(staff)
    response = client.post(
        reverse("cases:reporter_evidence", args=[case_about_colleague.reference]), {"note": "x"}
    )
    assert response.status_code == 400
    assert "Choose at least one file." in response.text


@pytest.mark.parametrize("stage", [Stage.CLOSED_AT_TRIAGE, Stage.CLOSED])
def test_no_evidence_once_the_case_is_closed(client, case_about_colleague, move_to, staff, media, stage):
    case = move_to(case_about_colleague, stage)
    client.force_login(staff)
    assert (
        reverse("cases:reporter_evidence", args=[case.reference])
        not in client.get(case.get_absolute_url()).text
    )
    with pytest.raises(DomainError, match="This concern is closed"):
        reporter.reporter_add_evidence(case=case, files=[SimpleUploadedFile("x.png", PNG)], by=staff)
    assert not Evidence.objects.exists()


def test_evidence_may_be_added_while_the_governance_review_goes_on(
    case_about_colleague, move_to, staff, governance, media
):
    case = move_to(case_about_colleague, Stage.UNDER_REVIEW)
    reporter.reporter_add_evidence(case=case, files=[SimpleUploadedFile("x.png", PNG)], by=staff)
    assert case.evidence.count() == 1
    assert Notification.objects.filter(recipient=governance, kind=Kind.FROM_REPORTER).exists()


@pytest.mark.parametrize("who", ["other_staff", "supervisor", "outsider"])
def test_only_the_reporter_adds_the_reporters_evidence(client, case_about_colleague, media, request, who):
    person = request.getfixturevalue(who)
    with pytest.raises(DomainError, match="Only the reporter"):
        reporter.reporter_add_evidence(
            case=case_about_colleague, files=[SimpleUploadedFile("x.png", PNG)], by=person
        )
    client.force_login(person)
    assert add(client, case_about_colleague, SimpleUploadedFile("x.png", PNG)).status_code == 404
    assert not Evidence.objects.exists()
