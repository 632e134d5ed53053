"""Evidence: what may be uploaded, where it is kept, and who may fetch it."""

import datetime
import hashlib
import io
import re

import pytest
from cryptography.fernet import Fernet
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import encode_multipart
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter

from audit.models import AuditEntry
from cases.evidence import evidence_add
from cases.models import Case, CaseEvent, Evidence, KeptFile, Stage, SubjectKind
from core.errors import DomainError

pytestmark = pytest.mark.django_db

DESCRIPTION = "A post on the Concerned Neighbour page naming a service user and describing their care."
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(png|jpg|gif|webp|pdf|txt)$")


def image_bytes(image_format, colour="red"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), colour).save(buffer, image_format)
    return buffer.getvalue()


PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")


def pdf_bytes():
    """A one-page PDF, as a PDF printer makes one."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=100)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = pdf_bytes()
TEXT = "Screenshot text: “they will regret it”, posted 3 May at 21:14.\n".encode()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def media(settings, tmp_path):
    """MEDIA_ROOT in a folder of its own, inside tmp_path, so anything written elsewhere shows."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files_under(folder):
    return sorted(path for path in folder.rglob("*") if path.is_file())


def raise_data(policy, **extra):
    clause = policy.current_version().clauses().get(number="5.2")
    seen_at = timezone.localtime() - datetime.timedelta(hours=2)
    data = {
        "subject_kind": SubjectKind.PUBLIC,
        "subject_person": "",
        "subject_description": "A Facebook account called Concerned Neighbour",
        "platform": "facebook",
        "platform_other": "",
        "links": "https://facebook.example/posts/1",
        "seen_at": seen_at.strftime("%Y-%m-%dT%H:%M"),
        "description": DESCRIPTION,
        "clauses": [clause.pk],
        "route": "supervisor",
    }
    data.update(extra)
    return data


def body(response):
    """The file sent. Reading it to the end closes it (the test client closes the response then)."""
    return b"".join(response.streaming_content)


# --- What is accepted ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("screenshot.png", PNG, "image/png"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("animation.gif", image_bytes("GIF"), "image/gif"),
        ("capture.webp", image_bytes("WEBP"), "image/webp"),
        ("letter.pdf", PDF, "application/pdf"),
        ("transcript.txt", TEXT, "text/plain; charset=utf-8"),
        ("old-notes.txt", "Café – “quoted”\r\n".encode("cp1252"), "text/plain; charset=windows-1252"),
        # The type comes from the content, whatever the name says.
        ("screenshot.pdf", PNG, "image/png"),
        ("notes", TEXT, "text/plain; charset=utf-8"),
    ],
)
def test_evidence_raised_with_a_concern_is_stored_under_a_generated_name(
    client, staff, policy, media, settings, name, content, content_type
):
    client.force_login(staff)
    response = client.post(reverse("cases:raise"), raise_data(policy, evidence=[upload(name, content)]))
    case = Case.objects.get()
    assert response.status_code == 302
    evidence = case.evidence.get()
    assert STORED_NAME.match(evidence.stored_name)
    assert evidence.file.name == f"evidence/{case.reference}/{evidence.stored_name}"
    assert evidence.content_type == content_type
    assert (evidence.original_name, evidence.size, evidence.uploaded_by) == (name, len(content), staff)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert files_under(media) == [media / "evidence" / case.reference / evidence.stored_name]
    # Sealed at rest: the stored bytes are a token that only the key opens (test_evidence_sealed.py).
    stored = (media / evidence.file.name).read_bytes()
    assert content not in stored
    assert Fernet(settings.EVIDENCE_ENCRYPTION_KEY).decrypt(stored) == content


def test_several_files_at_once_each_get_their_own_name(client, staff, policy, media):
    client.force_login(staff)
    files = [upload("a.png", PNG), upload("b.jpg", JPEG), upload("c.pdf", PDF), upload("d.txt", TEXT)]
    client.post(reverse("cases:raise"), raise_data(policy, evidence=files))
    case = Case.objects.get()
    stored = list(case.evidence.values_list("original_name", "content_type"))
    assert stored == [
        ("a.png", "image/png"),
        ("b.jpg", "image/jpeg"),
        ("c.pdf", "application/pdf"),
        ("d.txt", "text/plain; charset=utf-8"),
    ]
    assert len(files_under(media / "evidence" / case.reference)) == 4
    # Raising the concern is the timeline event; the evidence is in the audit log.
    assert not case.events.filter(kind=CaseEvent.Kind.EVIDENCE).exists()
    assert case.audit_entries.filter(action="change", what__contains="added evidence").exists()


def test_a_concern_can_be_raised_without_evidence(client, staff, policy, media):
    client.force_login(staff)
    client.post(reverse("cases:raise"), raise_data(policy))
    assert Case.objects.get().evidence.count() == 0


def test_the_raise_form_offers_the_evidence_field(client, staff, policy):
    client.force_login(staff)
    response = client.get(reverse("cases:raise"))
    assert 'type="file" name="evidence"' in response.text
    assert "multiple" in response.text
    assert "Evidence (screenshots, PDFs or text files)" in response.text
    assert "at most 10 MB each" in response.text


# --- What is refused, and how ----------------------------------------------------------------------------

HTML_PAGE = (
    b"<!DOCTYPE html><html><body><script>document.location='https://evil.example'</script></body></html>"
)
SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)
XML_SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>'
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4
# A real PNG with one byte of its image data changed: it opens, but its checksum is wrong.
CORRUPT_PNG = PNG[:-20] + bytes([PNG[-20] ^ 0xFF]) + PNG[-19:]
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"This program cannot be run in DOS mode."
)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "“empty.txt” is empty."),
        ("photo.png", HTML_PAGE, "“photo.png” looks like a web page, SVG or script"),
        ("image.jpg", SVG_WITH_SCRIPT, "“image.jpg” looks like a web page, SVG or script"),
        ("drawing.png", XML_SVG, "“drawing.png” looks like a web page, SVG or script"),
        (
            "notes.txt",
            b"What they wrote:\n\n<SCRIPT src=//evil.example/x.js></SCRIPT>",
            "looks like a web page",
        ),
        (
            "broken.png",
            b"\x89PNG\r\n\x1a\n" + b"not really a picture" * 20,
            "starts like a PNG image but cannot",
        ),
        (
            "broken.jpg",
            b"\xff\xd8\xff\xe0" + b"<html><script>alert(1)</script>" * 4,
            "starts like a JPEG image",
        ),
        ("archive.pdf", ZIP, "“archive.pdf” is not an image, PDF, plain-text file or ZIP archive of them."),
        ("report.pdf", EXE, "“report.pdf” is not an image, PDF, plain-text file or ZIP archive of them."),
        ("nul.txt", b"plain words\x00hidden", "“nul.txt” is not an image, PDF, plain-text file or ZIP"),
        (
            "data.txt",
            b"\x01\x02\x03\x04records\x05\x06",
            "“data.txt” is not an image, PDF, plain-text file or ZIP archive of them.",
        ),
        ("corrupt.png", CORRUPT_PNG, "“corrupt.png” starts like a PNG image but cannot be read as one."),
    ],
)
def test_bad_files_are_refused_and_the_form_keeps_what_was_typed(
    client, staff, policy, media, name, content, message
):
    client.force_login(staff)
    response = client.post(
        reverse("cases:raise"), raise_data(policy, evidence=[upload(name, content, "image/png")])
    )
    assert response.status_code == 200
    assert message in response.text
    assert message in " ".join(response.context["form"].errors["evidence"])
    assert DESCRIPTION in response.text
    assert "A Facebook account called Concerned Neighbour" in response.text
    assert not Case.objects.exists()
    assert not Evidence.objects.exists()
    assert files_under(media.parent) == []


def test_an_oversized_file_is_refused(client, staff, policy, media, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    client.force_login(staff)
    big = upload("big.pdf", PDF + b"0" * 1024)
    response = client.post(reverse("cases:raise"), raise_data(policy, evidence=[upload("ok.pdf", PDF), big]))
    assert response.context["form"].errors["evidence"] == ["“big.pdf” is larger than 1 KB."]
    assert "“big.pdf” is larger than 1 KB." in response.text
    assert DESCRIPTION in response.text
    assert not Case.objects.exists()
    # The refused file is stored nowhere; the good one is kept for the next try (test_raise_kept_files.py).
    assert list(KeptFile.objects.values_list("original_name", flat=True)) == ["ok.pdf"]
    assert [path.parent.name for path in files_under(media.parent)] == ["kept"]


def test_a_file_exactly_at_the_limit_is_accepted(client, staff, policy, media, settings):
    settings.EVIDENCE_MAX_BYTES = len(PDF)
    client.force_login(staff)
    client.post(reverse("cases:raise"), raise_data(policy, evidence=[upload("exact.pdf", PDF)]))
    assert Case.objects.get().evidence.count() == 1


def test_too_many_files_are_refused(client, staff, policy, media, settings):
    settings.EVIDENCE_MAX_FILES = 2
    client.force_login(staff)
    files = [upload(f"{n}.png", PNG) for n in range(3)]
    response = client.post(reverse("cases:raise"), raise_data(policy, evidence=files))
    assert response.context["form"].errors["evidence"] == ["Choose at most 2 files at a time."]
    assert "Choose at most 2 files at a time." in response.text
    assert DESCRIPTION in response.text
    assert not Case.objects.exists()
    assert files_under(media.parent) == []


def test_every_bad_file_is_named_and_only_the_good_one_is_kept(client, staff, policy, media):
    client.force_login(staff)
    files = [upload("good.png", PNG), upload("page.png", HTML_PAGE), upload("tool.pdf", EXE)]
    response = client.post(reverse("cases:raise"), raise_data(policy, evidence=files))
    assert "“page.png” looks like a web page" in response.text
    assert "“tool.pdf” is not an image" in response.text
    assert "kept: good.png" in response.text
    assert "kept: page.png" not in response.text and "kept: tool.pdf" not in response.text
    assert not Case.objects.exists()
    assert list(KeptFile.objects.values_list("original_name", flat=True)) == ["good.png"]
    assert [path.parent.name for path in files_under(media.parent)] == ["kept"]


BOUNDARY = "EvidenceTestBoundary"


def multipart_with_raw_file_name(fields, field, file_name, content):
    """A multipart body whose file name is sent exactly as given (the test client would shorten it)."""
    encoded = encode_multipart(BOUNDARY, fields)
    closing = f"--{BOUNDARY}--\r\n".encode()
    assert encoded.endswith(closing)
    part = (
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="{field}"; filename="{file_name}"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode()
    return encoded[: -len(closing)] + part + content + b"\r\n" + closing


def test_a_path_in_the_file_name_is_never_used(client, staff, policy, media):
    client.force_login(staff)
    data = multipart_with_raw_file_name(raise_data(policy), "evidence", "../../../etc/passwd.png", PNG)
    client.post(reverse("cases:raise"), data, content_type=f"multipart/form-data; boundary={BOUNDARY}")
    case = Case.objects.get()
    evidence = case.evidence.get()
    assert evidence.original_name == "passwd.png"
    assert STORED_NAME.match(evidence.stored_name)
    # Nothing outside MEDIA_ROOT, and inside it only the generated name in the case's folder.
    assert files_under(media.parent) == [media / "evidence" / case.reference / evidence.stored_name]


def test_the_service_strips_windows_paths_from_names_too(raise_case, staff, media):
    case = raise_case(staff, evidence_files=[upload("..\\..\\Windows\\System32\\evil.png", PNG)])
    evidence = case.evidence.get()
    assert evidence.original_name == "evil.png"
    assert files_under(media.parent) == [media / "evidence" / case.reference / evidence.stored_name]


def test_the_service_refuses_bad_files_even_without_the_form(raise_case, staff, supervisor, media):
    case = raise_case(staff)
    with pytest.raises(DomainError, match="“page.png” looks like a web page"):
        evidence_add(case=case, by=supervisor, files=[upload("ok.png", PNG), upload("page.png", HTML_PAGE)])
    assert not Evidence.objects.exists()
    assert files_under(media.parent) == []


@pytest.mark.parametrize("who", ["staff", "other_staff", "other_supervisor", "hr", "outsider"])
def test_the_service_lets_only_the_handler_and_governance_add_evidence(
    raise_case, staff, other_staff, media, request, who
):
    case = raise_case(
        staff, subject_kind=SubjectKind.COLLEAGUE, subject_person=other_staff, subject_description=""
    )
    with pytest.raises(DomainError, match="You cannot add evidence to this case."):
        evidence_add(case=case, by=request.getfixturevalue(who), files=[upload("x.png", PNG)])
    assert not Evidence.objects.exists()


def test_the_service_refuses_too_many_files(raise_case, staff, supervisor, media, settings):
    case = raise_case(staff)
    settings.EVIDENCE_MAX_FILES = 1
    with pytest.raises(DomainError, match="at most 1 files"):
        evidence_add(case=case, by=supervisor, files=[upload("a.png", PNG), upload("b.png", PNG)])
    assert not Evidence.objects.exists()


def test_a_bad_file_given_to_case_raise_raises_no_case(raise_case, staff, media):
    with pytest.raises(DomainError, match="is not an image"):
        raise_case(staff, evidence_files=[upload("x.pdf", EXE)])
    assert not Case.objects.exists()


# --- Adding evidence to a case ---------------------------------------------------------------------------


def add_url(case):
    return reverse("cases:add_evidence", args=[case.reference])


def test_the_handler_adds_evidence(client, raise_case, staff, supervisor, media):
    case = raise_case(staff)
    client.force_login(supervisor)
    response = client.post(add_url(case), {"files": [upload("later.png", PNG), upload("note.txt", TEXT)]})
    assert response.status_code == 302
    assert response.url == f"{case.get_absolute_url()}#evidence-heading"
    assert [e.original_name for e in case.evidence.all()] == ["later.png", "note.txt"]
    assert case.evidence.filter(uploaded_by=supervisor).count() == 2
    event = case.events.get(kind=CaseEvent.Kind.EVIDENCE)
    assert (event.actor, event.text, event.visible_to_reporter) == (
        supervisor,
        "Added evidence: later.png, note.txt",
        False,
    )
    assert case.audit_entries.filter(actor=supervisor, action="change", what__contains="later.png").exists()
    page = client.get(case.get_absolute_url())
    assert "Evidence added: later.png, note.txt." in page.text
    assert "later.png" in page.text and "PNG image" in page.text


def test_the_governance_head_adds_evidence(client, raise_case, staff, governance, media):
    case = raise_case(staff)
    client.force_login(governance)
    client.post(add_url(case), {"files": [upload("letter.pdf", PDF)]})
    assert case.evidence.get().uploaded_by == governance


def test_a_bad_file_added_later_is_refused_with_a_message(client, raise_case, staff, supervisor, media):
    case = raise_case(staff)
    client.force_login(supervisor)
    response = client.post(add_url(case), {"files": [upload("photo.png", HTML_PAGE)]}, follow=True)
    assert "“photo.png” looks like a web page, SVG or script" in response.text
    assert "No evidence was added." in response.text
    assert not Evidence.objects.exists()
    assert files_under(media.parent) == []


def test_adding_with_no_file_asks_for_one(client, raise_case, staff, supervisor, media):
    case = raise_case(staff)
    client.force_login(supervisor)
    response = client.post(add_url(case), {}, follow=True)
    assert "Choose at least one file." in response.text


@pytest.mark.parametrize("who", ["staff", "other_staff", "other_supervisor", "hr", "outsider"])
def test_only_the_handler_and_governance_may_add_evidence(client, case_about_colleague, media, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.post(add_url(case_about_colleague), {"files": [upload("x.png", PNG)]})
    assert response.status_code == 404
    assert not Evidence.objects.exists()


def test_adding_evidence_needs_a_post(client, raise_case, staff, supervisor):
    case = raise_case(staff)
    client.force_login(supervisor)
    assert client.get(add_url(case)).status_code == 405


def test_no_evidence_is_added_to_a_closed_case(client, raise_case, staff, supervisor, move_to, media):
    case = move_to(raise_case(staff), Stage.CLOSED_AT_TRIAGE)
    client.force_login(supervisor)
    response = client.post(add_url(case), {"files": [upload("late.png", PNG)]}, follow=True)
    assert "Evidence cannot be added to a closed case." in response.text
    assert not Evidence.objects.exists()
    assert 'action="/cases/' + case.reference + '/evidence/"' not in response.text


def test_the_case_page_lists_evidence_safely(client, raise_case, staff, supervisor, media):
    name = "<img src=x onerror=alert(1)>.png"
    case = raise_case(staff, evidence_files=[upload(name, PNG)])
    client.force_login(supervisor)
    response = client.get(case.get_absolute_url())
    evidence = case.evidence.get()
    assert reverse("cases:evidence", args=[case.reference, evidence.pk]) in response.text
    assert "&lt;img src=x onerror=alert(1)&gt;.png" in response.text
    assert "<img src=x" not in response.text
    assert f'action="{add_url(case)}"' in response.text
    assert 'enctype="multipart/form-data"' in response.text


# --- Fetching evidence -----------------------------------------------------------------------------------


@pytest.fixture
def case_with_evidence(raise_case, staff, other_staff, media):
    """`staff` reports `staff2` with a screenshot, a PDF and a text file; `supervisor` handles it."""
    return raise_case(
        staff,
        subject_kind=SubjectKind.COLLEAGUE,
        subject_person=other_staff,
        subject_description="",
        evidence_files=[upload("shot.png", PNG), upload("letter.pdf", PDF), upload("notes.txt", TEXT)],
    )


def download_url(evidence, case=None):
    return reverse("cases:evidence", args=[(case or evidence.case).reference, evidence.pk])


@pytest.mark.parametrize("who", ["staff", "supervisor", "governance"])
def test_the_reporter_handler_and_governance_may_download(client, case_with_evidence, request, who):
    person = request.getfixturevalue(who)
    client.force_login(person)
    evidence = case_with_evidence.evidence.get(original_name="shot.png")
    response = client.get(download_url(evidence))
    assert response.status_code == 200
    assert body(response) == PNG
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DOWNLOAD)
    assert (entry.actor, entry.case) == (person, case_with_evidence)
    assert "shot.png" in entry.what


@pytest.mark.parametrize("who", ["other_staff", "other_supervisor", "head_of_service", "hr", "outsider"])
def test_nobody_else_may_download(client, case_with_evidence, request, who):
    client.force_login(request.getfixturevalue(who))
    for evidence in case_with_evidence.evidence.all():
        assert client.get(download_url(evidence)).status_code == 404
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.DOWNLOAD).exists()


def test_anonymous_visitors_are_sent_to_log_in(client, case_with_evidence):
    evidence = case_with_evidence.evidence.first()
    response = client.get(download_url(evidence))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.DOWNLOAD).exists()


def test_the_reporter_may_not_download_what_a_handler_added(client, case_with_evidence, staff, supervisor):
    [added] = evidence_add(case=case_with_evidence, by=supervisor, files=[upload("handler.pdf", PDF)])
    client.force_login(staff)
    assert client.get(download_url(added)).status_code == 404
    client.force_login(supervisor)
    response = client.get(download_url(added))
    assert response.status_code == 200
    assert body(response) == PDF


def test_evidence_of_one_case_cannot_be_fetched_through_another(
    client, case_with_evidence, raise_case, staff, supervisor
):
    other_case = raise_case(staff)
    assert other_case.handler == supervisor == case_with_evidence.handler
    client.force_login(supervisor)
    evidence = case_with_evidence.evidence.first()
    assert client.get(download_url(evidence, case=other_case)).status_code == 404
    assert client.get(reverse("cases:evidence", args=["SMP-1999-0001", evidence.pk])).status_code == 404


@pytest.mark.parametrize(
    "name, content_type, disposition",
    [
        ("letter.pdf", "application/pdf", 'attachment; filename="letter.pdf"'),
        ("notes.txt", "text/plain; charset=utf-8", 'attachment; filename="notes.txt"'),
        # Images too: they are looked at through the preview, which has no EXIF (test_evidence_preview.py).
        ("shot.png", "image/png", 'attachment; filename="shot.png"'),
    ],
)
def test_downloads_are_never_shown_as_a_web_page(
    client, case_with_evidence, supervisor, settings, name, content_type, disposition
):
    settings.SECURE_CONTENT_TYPE_NOSNIFF = False  # the view says nosniff itself, whatever the middleware does
    client.force_login(supervisor)
    response = client.get(download_url(case_with_evidence.evidence.get(original_name=name)))
    body(response)
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"


def test_an_unknown_stored_type_is_served_as_a_plain_download(client, case_with_evidence, supervisor):
    evidence = case_with_evidence.evidence.get(original_name="notes.txt")
    Evidence.objects.filter(pk=evidence.pk).update(content_type="text/html")
    client.force_login(supervisor)
    response = client.get(download_url(evidence))
    body(response)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_a_missing_file_is_a_404_not_an_error(client, case_with_evidence, supervisor, media):
    evidence = case_with_evidence.evidence.first()
    (media / evidence.file.name).unlink()
    client.force_login(supervisor)
    assert client.get(download_url(evidence)).status_code == 404
