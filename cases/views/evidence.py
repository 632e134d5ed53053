"""Adding evidence to a case, and the only way to fetch a stored file: through the case's door."""

import io
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from audit.models import AuditEntry
from audit.services import audit_record
from core.views import message_submit

from .. import access
from ..evidence import KNOWN_TYPES, EvidenceForm, evidence_add
from ..previews import image_preview, pdf_preview
from ..sealed import SealError
from .case import still_open_after_refusal

logger = logging.getLogger(__name__)


def _back_to_evidence(case):
    return redirect(f"{case.get_absolute_url()}#evidence-heading")


@login_required
@require_POST
def add(request, reference):
    case, _ = access.get_case_for_user(request.user, reference, relations=(access.HANDLER, access.GOVERNANCE))
    form = EvidenceForm(request.POST, request.FILES, by=request.user)
    if not form.is_valid():
        for error in form.errors.get("files", []) + form.non_field_errors():
            messages.error(request, f"{error} No evidence was added.")
        return _back_to_evidence(case)
    added = message_submit(
        request, evidence_add, case=case, by=request.user, files=form.cleaned_data["files"]
    )
    if added:
        messages.success(request, f"Evidence added: {', '.join(e.original_name for e in added)}.")
    else:
        still_open_after_refusal(
            request, case, relations=(access.HANDLER, access.GOVERNANCE), attempted="adding evidence"
        )
    return _back_to_evidence(case)


class _Unopened(Exception):
    pass


def _open_original(evidence):
    try:
        return evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The file is missing.") from error
    except SealError as error:
        # The key that sealed it was removed from EVIDENCE_ENCRYPTION_KEY: the operators' to put right.
        logger.error("Evidence #%s (%s): %s", evidence.pk, evidence.file.name, error)
        raise _Unopened from error


def _unopened():
    return HttpResponse(
        "This evidence file cannot be opened with the keys configured. Nothing is lost: tell IT, who can "
        "put back the key that sealed it.",
        status=503,
        content_type="text/plain; charset=utf-8",
    )


def _isolated(response):
    """Never run or shown as a page in the app's origin, never kept by a browser or proxy."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def download(request, reference, pk):
    """The file exactly as it was uploaded (its SHA-256 is on the case page), always as a download."""
    case, evidence = access.get_evidence_for_user(request.user, reference, pk)
    try:
        handle = _open_original(evidence)
    except _Unopened:
        return _unopened()
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.DOWNLOAD,
        case=case,
        what=f"downloaded evidence “{evidence.original_name}” (#{evidence.pk}) from {case.reference}",
    )
    known = evidence.content_type in KNOWN_TYPES
    response = FileResponse(
        handle,
        content_type=evidence.content_type if known else "application/octet-stream",
        # Saved, never shown: images are looked at through the preview, which carries no location or camera.
        as_attachment=True,
        filename=evidence.original_name,
    )
    return _isolated(response)


def _preview_response(evidence, data):
    """The preview shown in the browser (ValueError if the file cannot be read): an image drawn again, or
    the PDF's pages rewritten, each without metadata (cases/previews.py)."""
    if evidence.is_pdf:
        # Shown, not saved (inline); the sandbox and the page's own policy keep anything in it from running.
        return FileResponse(
            io.BytesIO(pdf_preview(data)), content_type="application/pdf", filename=evidence.original_name
        )
    content_type, image = image_preview(data)
    return HttpResponse(image, content_type=content_type)


@login_required
@require_GET
def preview(request, reference, pk):
    """An image or PDF without its metadata (EXIF, GPS position, camera; author, creator, XMP) or anything
    that runs, to look at in the browser. The original stays as it was, for download."""
    case, evidence = access.get_evidence_for_user(request.user, reference, pk)
    if not (evidence.has_preview and evidence.content_type in KNOWN_TYPES):
        raise Http404("Only images and PDFs have a preview.")
    try:
        handle = _open_original(evidence)
    except _Unopened:
        return _unopened()
    with handle:
        data = handle.read()
    try:
        response = _preview_response(evidence, data)
    except ValueError:
        messages.error(
            request,
            f"“{evidence.original_name}” cannot be shown in the browser: it cannot be read as "
            f"{'a PDF' if evidence.is_pdf else 'an image'}. Download the original to open it.",
        )
        return _back_to_evidence(case)
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.DOWNLOAD,
        case=case,
        what=f"viewed evidence “{evidence.original_name}” (#{evidence.pk}) from {case.reference}",
    )
    return _isolated(response)
