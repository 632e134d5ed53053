"""PDF previews (cases:evidence_preview): the pages of the PDF in a new file without its document
information, XMP metadata, scripts, actions or attached files, shown in the browser to whoever may see the
case and sealed off from the app's pages; a PDF that cannot be read gets a message, not an error.

Uploads of PDFs with scripts are refused (tests/cases/test_hostile_uploads.py), so the hostile files here
are put in the store directly, as a file kept before those checks came in would be: the preview does not
count on the upload's checks."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, TextStringObject

from audit.models import AuditEntry
from cases.models import SubjectKind
from cases.uploads import inspect_upload
from tests.cases.hostile_files import (
    HIDDEN_LINK_ACTION,
    HOSTILE_FILES,
    pdf_bytes,
    pdf_with_hidden_javascript,
)
from tests.cases.test_evidence import body, upload

pytestmark = pytest.mark.django_db

XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Jo Bloggs</dc:creator></rdf:Description>'
    b'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def _with_metadata(writer):
    writer.add_metadata({"/Author": "Jo Bloggs", "/Creator": "Jo's laptop", "/Title": "What I saw"})
    writer.xmp_metadata = XMP
    # The same XMP on the page too, where a page cut from another document keeps its own.
    writer.pages[0][NameObject("/Metadata")] = writer.root_object["/Metadata"]


def _with_everything_that_runs(writer):
    """Document JavaScript, an opening action, a page action, a link with a script and an attached file."""
    _with_metadata(writer)
    script = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )
    writer.add_attachment("payload.exe", b"MZ" + b"\0" * 64)
    writer.root_object["/Names"][NameObject("/JavaScript")] = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("run"), writer._add_object(script)])}
    )
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(script)
    page = writer.pages[0]
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): script})
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([]),
            NameObject("/A"): script,
        }
    )
    attached = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/FileAttachment"),
            NameObject("/FS"): writer.root_object["/Names"]["/EmbeddedFiles"]["/Names"][1],
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(link), writer._add_object(attached)])


CLEAN_PDF = pdf_bytes()
PDF_WITH_METADATA = pdf_bytes(_with_metadata)
PDF_THAT_RUNS = pdf_bytes(_with_everything_that_runs)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def case(raise_case, staff, other_staff, media):
    """`staff` reports `staff2` with a PDF; `supervisor` handles it."""
    return raise_case(
        staff,
        subject_kind=SubjectKind.COLLEAGUE,
        subject_person=other_staff,
        subject_description="",
        evidence_files=[upload("letter.pdf", PDF_WITH_METADATA)],
    )


def kept_as_is(evidence, data):
    """The stored file replaced by these bytes, unchecked (sealed like any stored file)."""
    storage, name = evidence.file.storage, evidence.file.name
    storage.delete(name)
    assert storage.save(name, ContentFile(data)) == name
    return evidence


def preview_url(evidence):
    return reverse("cases:evidence_preview", args=[evidence.case.reference, evidence.pk])


def everything_in(reader):
    """Every object of the PDF, and every dictionary and array written inside one."""
    numbers = {number for by_generation in reader.xref.values() for number in by_generation}
    numbers |= set(reader.xref_objStm)
    waiting = [reader.trailer, *(reader.get_object(number) for number in numbers)]
    while waiting:
        item = waiting.pop()
        if isinstance(item, IndirectObject):
            continue
        yield item
        if isinstance(item, DictionaryObject):
            waiting.extend(item.values())
        elif isinstance(item, ArrayObject):
            waiting.extend(item)


def names_in(preview):
    names = set()
    for item in everything_in(PdfReader(io.BytesIO(preview))):
        if isinstance(item, DictionaryObject):
            names |= set(item.keys())
            names |= {value for value in item.values() if isinstance(value, NameObject)}
    return names


def test_the_preview_has_no_document_information_or_xmp(client, case, supervisor):
    evidence = case.evidence.get()
    client.force_login(supervisor)

    response = client.get(preview_url(evidence))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    preview = body(response)
    reader = PdfReader(io.BytesIO(preview))
    assert reader.metadata is None
    assert reader.xmp_metadata is None
    assert "/Metadata" not in names_in(preview)
    assert b"Jo Bloggs" not in preview and b"laptop" not in preview
    assert len(reader.pages) == 1
    assert reader.pages[0].mediabox.width == 200


def test_the_original_keeps_its_metadata_byte_for_byte(client, case, supervisor):
    evidence = case.evidence.get()
    client.force_login(supervisor)

    original = body(client.get(reverse("cases:evidence", args=[case.reference, evidence.pk])))

    assert original == PDF_WITH_METADATA
    assert PdfReader(io.BytesIO(original)).metadata["/Author"] == "Jo Bloggs"


@pytest.mark.parametrize(
    "original",
    [
        pytest.param(PDF_THAT_RUNS, id="scripts-actions-and-an-attached-file"),
        pytest.param(pdf_with_hidden_javascript(), id="opening-script-in-an-object-stream"),
        pytest.param(pdf_with_hidden_javascript(HIDDEN_LINK_ACTION), id="link-script-in-an-object-stream"),
        *(
            pytest.param(data, id=name)
            for name, data, _ in HOSTILE_FILES
            if name.startswith("pdf-") and name not in ("pdf-unreadable.pdf", "pdf-escaped-names.pdf")
        ),
    ],
)
def test_nothing_that_runs_or_is_carried_inside_is_left(client, case, supervisor, original):
    evidence = kept_as_is(case.evidence.get(), original)
    client.force_login(supervisor)

    preview = body(client.get(preview_url(evidence)))

    names = names_in(preview)
    for name in ("/JavaScript", "/JS", "/OpenAction", "/AA", "/A", "/Launch", "/EmbeddedFiles", "/EF"):
        assert name not in names
    assert "/FileAttachment" not in names
    assert b"app.alert" not in preview and b"MZ\0\0" not in preview
    # The upload's own check, which reads every object, finds nothing active in it either.
    assert inspect_upload(SimpleUploadedFile("preview.pdf", preview)).content_type == "application/pdf"
    assert len(PdfReader(io.BytesIO(preview)).pages) == 1


def test_the_preview_is_sealed_off_and_audited(client, case, supervisor, settings):
    settings.SECURE_CONTENT_TYPE_NOSNIFF = False  # the view says nosniff itself
    evidence = case.evidence.get()
    client.force_login(supervisor)

    response = client.get(preview_url(evidence))

    assert response["Content-Disposition"] == 'inline; filename="letter.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'; sandbox"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cache-Control"] == "private, no-store"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DOWNLOAD)
    assert (entry.actor, entry.case) == (supervisor, case)
    assert entry.what.startswith("viewed evidence “letter.pdf”")


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", id="cut-short"),
        pytest.param(b"%PDF-1.7\n" + b"\0" * 64, id="no-objects"),
        pytest.param(next(d for n, d, _ in HOSTILE_FILES if n == "pdf-escaped-names.pdf"), id="no-pages"),
    ],
)
def test_a_pdf_that_cannot_be_read_gets_a_message(client, case, supervisor, broken):
    evidence = kept_as_is(case.evidence.get(), broken)
    client.force_login(supervisor)

    response = client.get(preview_url(evidence), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[0][0] == f"{case.get_absolute_url()}#evidence-heading"
    assert "“letter.pdf” cannot be shown in the browser: it cannot be read as a PDF" in response.text
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.DOWNLOAD).exists()


def test_the_case_page_links_a_pdf_to_its_preview_and_the_original(client, case, supervisor):
    evidence = case.evidence.get()
    client.force_login(supervisor)

    page = client.get(case.get_absolute_url()).text

    assert f'href="{preview_url(evidence)}"' in page
    assert f'href="{reverse("cases:evidence", args=[case.reference, evidence.pk])}" download' in page
