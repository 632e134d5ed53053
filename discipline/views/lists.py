"""The list of disciplinary records, its CSV and Excel exports, and a record's PDF summary.

Records come through discipline.selectors: HR and the Head of Business and Governance see them, nobody sees
a record about themselves, and everyone else gets a 404. Downloading the list needs the export right as
well. Every download is audited before any of it is sent; reading the list is not, like the case lists.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.filters import given_filters
from core.pagination import page_from_request
from exports.downloads import excel_refusal, table_download
from exports.pdf import pdf_response
from exports.services import export_audit
from exports.tables import Column, Table, choice_label, in_reading_order, joined, person_fields, person_name
from people.models import User

from ..access import get_record_for_user
from ..filters import RecordFilter
from ..models import WARNINGS, AppealOutcome, DisciplinaryRecord, Outcome, RecordClause, Severity, Step
from ..selectors import for_list, record_pages, records_visible_to
from ..tables import RECORDS

PER_PAGE = 50
VIEW = "discipline.view_disciplinary_records"
EXPORT = "discipline.export_disciplinary_records"
MANAGE = "discipline.manage_disciplinary_records"
WARNING_STATUS = {"live": "Live", "expired": "Expired"}
CLAUSE_ORDER = ("clause__section__number", "clause__position", "pk")


def _warning_status(outcome_in_force, live):
    if outcome_in_force not in WARNINGS:
        return ""
    return WARNING_STATUS["live" if live else "expired"]


def record_table(*, today):
    """The columns of a records export; a warning is live or expired as of `today`."""
    return Table(
        columns=[
            Column("Reference", ["reference"]),
            Column("Employee", person_fields("employee"), person_name),
            Column("Team", ["employee_team__name"]),
            Column("Employment type", ["employment_type"], choice_label(User.EmploymentType.choices)),
            Column("Severity", ["severity"], choice_label(Severity.choices)),
            Column("Clauses", ["clause_numbers"], in_reading_order),
            Column("Allegation", ["allegation"]),
            Column("Step", ["step"], choice_label(Step.choices)),
            Column("Outcome", ["outcome"], choice_label(Outcome.choices)),
            Column("Outcome in force", ["outcome_in_force"], choice_label(Outcome.choices)),
            Column("Decided on", ["decided_on"]),
            Column("Warning expires", ["warning_expires_on"]),
            Column("Warning status", ["outcome_in_force", "warning_live"], _warning_status),
            Column("Appeal outcome", ["appeal_outcome"], choice_label(AppealOutcome.choices)),
            Column("Opened on", ["opened_on"]),
            Column("Case reference", ["case__reference"]),
        ],
        annotations={
            "clause_numbers": joined(RecordClause, to="record", field="number"),
            # Asked of the database with the one rule for a live warning, rather than repeated here.
            "warning_live": Exists(DisciplinaryRecord.objects.live_warnings(today).filter(pk=OuterRef("pk"))),
        },
    )


def _filterset(request, today):
    return RecordFilter(
        request.GET or None, queryset=records_visible_to(request.user), request=request, today=today
    )


@login_required
@require_safe
def record_list(request):
    if not request.user.has_perm(VIEW):
        raise Http404("No such page.")
    today = timezone.localdate()
    filterset = _filterset(request, today)
    records = filterset.qs  # Filters that do not fit are left out, and shown as errors by the form.
    compiled = {} if given_filters(filterset) else record_pages(request.user, size=PER_PAGE + 1)
    page = page_from_request(request, for_list(records), per_page=PER_PAGE, **compiled)
    rows = [(record, record.warning_status(today)) for record in page]
    return render(
        request,
        "discipline/list.html",
        {
            "form": filterset.form,
            "page": page,
            "headers": RECORDS.headers(),
            "records": rows,  # (record, its warning's status today), drawn as `rows`
            "rows": RECORDS.body(rows),
            "can_export": request.user.has_perm(EXPORT),
            "can_manage": request.user.has_perm(MANAGE),
        },
    )


def _export(request, format):
    if not request.user.has_perm(EXPORT):
        raise Http404("No such page.")
    today = timezone.localdate()
    filterset = _filterset(request, today)
    if filterset.is_bound and not filterset.is_valid():
        # An export must hold what was asked for: a filter left out would export more than that.
        messages.error(request, "Nothing was exported: correct the filters below, then download again.")
        return redirect(f"{reverse('discipline:list')}?{request.GET.urlencode()}")
    if refusal := excel_refusal(format, filterset.qs):
        messages.error(request, refusal)
        return redirect(f"{reverse('discipline:list')}?{request.GET.urlencode()}")
    return table_download(
        format=format,
        table=record_table(today=today),
        queryset=filterset.qs,
        by=request.user,
        what="disciplinary records",
        filters=given_filters(filterset),
        filename=f"disciplinary-records-{today.isoformat()}",
        sheet_title="Disciplinary records",
    )


@login_required
@require_safe
def export_csv(request):
    return _export(request, "csv")


@login_required
@require_safe
def export_xlsx(request):
    return _export(request, "xlsx")


@login_required
@require_safe
def record_pdf(request, reference):
    record = get_record_for_user(request.user, reference)
    today = timezone.localdate()
    context = {
        "record": record,
        "clauses": record.clauses.order_by(*CLAUSE_ORDER),
        "employment_type": choice_label(User.EmploymentType.choices)(record.employment_type),
        "warning_status": WARNING_STATUS.get(record.warning_status(today), ""),
        "today": today,
        "generated_by": request.user,
    }
    response = pdf_response(
        "discipline/record_pdf.html", context, filename=f"{reference}.pdf", request=request
    )
    export_audit(
        by=request.user,
        what=f"exported disciplinary record {reference} as a PDF summary",
        format="pdf",
        filters={"reference": reference},
        rows=1,
        case=record.case,
    )
    return response
