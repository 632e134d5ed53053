"""The governance reports and a policy's review pack (clause 10.1). Only for those who hold
cases.view_reports (the Head of Business and Governance); everyone else gets a 404, as for a case they may
not see. Figures come from reports.selectors; downloads are audited as exports.

Each count drills down to the cases behind it: a link to All cases with the filters that reproduce it, for
readers who may open All cases (cases.manage_all_cases), whose list has the same door as their figures.
Any other reader (view_reports granted alone) counts only the cases they handle and sees the figures
without links: All cases is not theirs, and a second list of cases with its own door would be a second
place to keep right. The review pack's disciplinary findings link to Disciplinary records the same way,
for readers who may see them (discipline.view_disciplinary_records); its PDF has no links.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from audit.models import AuditEntry
from audit.services import audit_record
from exports.pdf import pdf_response
from exports.spreadsheets import csv_response
from policies.models import Policy

from . import charts, selectors
from .forms import PeriodForm


def _reader_or_404(user):
    if not selectors.may_see_reports(user):
        raise Http404("No such page.")


def _period(request):
    form = PeriodForm(request.GET or None, today=timezone.localdate())
    return form, form.period()


def _chart(rows, *, columns=False, percent=False):
    labels, values = [row.label for row in rows], [row.value for row in rows]
    if columns:
        return charts.column_chart(labels, values)
    if percent:
        return charts.bar_chart(labels, values, suffix="%", scale_top=100)
    return charts.bar_chart(labels, values)


def list_link(list_name, *, may_open, base=None):
    """link(filters): the address of the list `list_name` with `base` and these filters, or None where the
    reader may not open it or no filter lists what is counted (filters None)."""
    address = reverse(list_name)

    def link(filters):
        if not may_open or filters is None:
            return None
        return f"{address}?{urlencode({**(base or {}), **filters})}"

    return link


def _drill_down(user, period):
    """link(row): the address of All cases listing the cases behind a row of `period`, or None where the
    reader may not open All cases or no filter lists the row's cases."""
    link = list_link("cases:all", may_open=user.has_perm("cases.manage_all_cases"), base=period.as_filters())
    return lambda row: link(row.filters)


def _trend_chart(trend):
    series = [(series.key, series.title, [row.value for row in series.rows]) for series in trend.series]
    return charts.line_chart(trend.period.months(), series)


@login_required
@require_safe
def index(request):
    _reader_or_404(request.user)
    form, period = _period(request)
    report = selectors.governance_report(user=request.user, period=period)
    link = _drill_down(request.user, period)
    trend = report.trend
    context = {
        "form": form,
        "period": period,
        "is_default": period == form.default,
        "total": report.total,
        "total_link": link(selectors.Row("", report.total, {})),
        "trend": trend,
        "trend_chart": _trend_chart(trend),
        # Month by month, each series' value, its link and its title (a cell's label on a phone).
        "trend_rows": [
            (month, [(series.rows[n].value, link(series.rows[n]), series.title) for series in trend.series])
            for n, month in enumerate(trend.months)
        ],
        "figures": [
            (
                figure,
                _chart(figure.rows, columns=figure.key == "month"),
                [(row, link(row)) for row in figure.rows],
            )
            for figure in report.figures
        ],
        # Each timing, its chart, its bands with their links, and the links to its cases done within the
        # limit, not done yet, and of those past the limit.
        "timings": [
            (
                timing,
                _chart(timing.bands),
                [(row, link(row)) for row in timing.bands],
                link(timing.within_limit_row),
                link(timing.waiting_row),
                link(timing.waiting_over_row),
            )
            for timing in report.timings
        ],
        "coverage": [
            (item, _chart([selectors.Row(team.team, team.percent) for team in item.teams], percent=True))
            for item in report.coverage
        ],
        "filters": period.as_filters(),
    }
    return render(request, "reports/index.html", context)


@login_required
@require_safe
def csv_download(request):
    """The same figures as the page, for the same period, as one CSV: figure, label, value."""
    _reader_or_404(request.user)
    _, period = _period(request)
    rows = selectors.governance_report(user=request.user, period=period).csv_rows()
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.EXPORT,
        what=f"downloaded the governance report figures for {period.start:%d %b %Y} to {period.end:%d %b %Y}",
        details={"filters": period.as_filters(), "rows": len(rows)},
    )
    return csv_response(
        filename=f"governance-report-{period.start:%Y-%m-%d}-to-{period.end:%Y-%m-%d}.csv",
        header=["Figure", "Label", "Value"],
        rows=rows,
    )


def _pack_or_404(user, slug):
    _reader_or_404(user)
    pack = selectors.review_pack(user=user, policy=get_object_or_404(Policy, slug=slug))
    if pack is None:
        raise Http404("This policy has no approved version to review.")
    return pack


def _pack_context(request, pack, *, links=True):
    """The pack, and on the page (`links`) the lists behind its counts that the reader may open."""
    user = request.user
    cases = list_link("cases:all", may_open=links and user.has_perm("cases.manage_all_cases"))
    records = list_link(
        "discipline:list", may_open=links and user.has_perm("discipline.view_disciplinary_records")
    )
    return {
        "pack": pack,
        "raised_link": cases(pack.raised_filters),
        "closed_as_breach_link": cases(pack.closed_as_breach_filters),
        "breach_rows": [(row, cases(row.case_filters), records(row.record_filters)) for row in pack.breaches],
        "flag_rows": [(flagged.flag, cases(flagged.case_filters)) for flagged in pack.flagged_clauses],
        "breach_chart": charts.bar_chart(
            [row.label for row in pack.breaches], [row.cases for row in pack.breaches]
        ),
        "can_manage": pack.policy.is_managed_by(request.user),
        "generated_by": request.user,
    }


@login_required
@require_safe
def review_pack(request, slug):
    pack = _pack_or_404(request.user, slug)
    return render(request, "reports/review_pack.html", _pack_context(request, pack))


@login_required
@require_safe
def review_pack_pdf(request, slug):
    pack = _pack_or_404(request.user, slug)
    version = pack.version
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.EXPORT,
        what=f"downloaded the review pack of the {pack.policy.title}, version {version.number} (PDF)",
        details={
            "policy": pack.policy.slug,
            "version": version.number,
            "since": pack.last_review.isoformat(),
        },
    )
    return pdf_response(
        "reports/review_pack_pdf.html",
        _pack_context(request, pack, links=False),
        filename=f"review-pack-{pack.policy.slug}-v{version.number}-{timezone.localdate():%Y-%m-%d}.pdf",
        request=request,
    )
