"""The ACAS bundle of a record as a PDF, in full for HR and legal advisers, or redacted for the employee.

Through the one door for records (discipline.access): HR and the Head of Business and Governance, never the
employee concerned, who is given the redacted copy by HR. Each download is audited as an export of the
record before it is sent, and is never kept by a browser or proxy.
"""

from django.contrib.auth.decorators import login_required
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from audit.models import AuditEntry
from audit.services import audit_record
from exports.pdf import pdf_response

from ..access import get_record_for_user
from ..bundle import bundle_contents


def _bundle(request, reference, *, redacted):
    record = get_record_for_user(request.user, reference)
    copy = "redacted" if redacted else "full"
    response = pdf_response(
        "discipline/bundle_pdf.html",
        bundle_contents(record=record, by=request.user, redacted=redacted),
        filename=f"ACAS-bundle-{record.reference}{'-redacted' if redacted else ''}.pdf",
        request=request,
    )
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.EXPORT,
        case=record.case,
        what=f"produced the ACAS bundle of disciplinary record {record.reference} "
        + ("(the redacted copy for the employee)" if redacted else "(the full copy)"),
        details={"record": record.reference, "format": "pdf", "copy": copy},
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
@never_cache
def acas_bundle(request, reference):
    return _bundle(request, reference, redacted=False)


@login_required
@require_safe
@never_cache
def acas_bundle_redacted(request, reference):
    return _bundle(request, reference, redacted=True)
