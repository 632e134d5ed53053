"""The clause analytics: for each clause of a policy, how often it is cited, how long its cases take to
close, how many are substantiated, by team and by month, beside published industry figures
(reports.BenchmarkFigure). The same door as the reports page (cases.view_reports, else 404); each count
links to All cases with the filters behind it, for readers who may open All cases."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from policies.models import Policy
from policies.selectors import latest_clause

from .selectors.clauses import benchmarks, clause_analytics, clauses_cited
from .views import _period, _reader_or_404, list_link


def _cases_link(user):
    """link(filters): the address of All cases with these filters; None for a reader who may not open it."""
    return list_link("cases:all", may_open=user.has_perm("cases.manage_all_cases"))


def _counted_rows(rows, link):
    return [(row, *row.links(link)) for row in rows]


@login_required
@require_safe
def clause_index(request):
    _reader_or_404(request.user)
    form, period = _period(request)
    link = _cases_link(request.user)
    headlines = clauses_cited(user=request.user, period=period)
    context = {
        "form": form,
        "period": period,
        "is_default": period == form.default,
        "headlines": [(headline, *headline.figures.links(link)) for headline in headlines],
        "benchmarks": benchmarks(),
    }
    return render(request, "reports/clauses.html", context)


def _clause_or_404(policy, number):
    """The clause as its latest version writes it: the number is the policy's across versions."""
    clause = latest_clause(policy, number)
    if clause is None:
        raise Http404(f"The {policy.title} has no clause {number}.")
    return clause


@login_required
@require_safe
def clause_page(request, slug, clause_number):
    _reader_or_404(request.user)
    policy = get_object_or_404(Policy, slug=slug)
    clause = _clause_or_404(policy, clause_number)
    form, period = _period(request)
    link = _cases_link(request.user)
    analytics = clause_analytics(user=request.user, policy=policy, number=clause_number, period=period)
    context = {
        "form": form,
        "period": period,
        "is_default": period == form.default,
        "clause": clause,
        "analytics": analytics,
        "total": analytics.total,
        "total_links": analytics.total.links(link),
        "repeat_link": link(analytics.repeat_filters),
        "outcomes": [(row, link(row.filters)) for row in analytics.outcomes],
        "teams": _counted_rows(analytics.teams, link),
        "months": _counted_rows(analytics.months, link),
        "benchmarks": analytics.benchmarks,
    }
    return render(request, "reports/clause.html", context)
