"""Adding evidence to a case, and the only way to fetch a stored file: through the case's door."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from audit.models import AuditEntry
from audit.services import audit_record
from core.views import message_submit

from .. import access
from ..evidence import KNOWN_TYPES, EvidenceForm, evidence_add
from .case import still_open_after_refusal


def _back_to_evidence(case):
    return redirect(f"{case.get_absolute_url()}#evidence-heading")


@login_required
@require_POST
def add(request, reference):
    case, _ = access.get_case_for_user(request.user, reference, relations=(access.HANDLER, access.GOVERNANCE))
    form = EvidenceForm(request.POST, request.FILES)
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


@login_required
@require_GET
def download(request, reference, pk):
    case, evidence = access.get_evidence_for_user(request.user, reference, pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The file is missing.") from error
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
        # Images open in the browser; PDFs and text are saved, never shown in the app's origin.
        as_attachment=not (known and evidence.is_image),
        filename=evidence.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
