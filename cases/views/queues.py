"""The case lists: my concerns, my triage queue, the governance queue, all cases, and referrals to HR.

Every list comes from cases.selectors, which build on cases.access. Pages for a role-wide right answer 404
to everyone else, like a case they may not see. Lists are not audited; opening a case or a referral is.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from audit.models import AuditEntry
from audit.services import audit_record
from core.filters import given_filters
from core.pagination import CURSOR_PARAM, page_from_request
from core.views import form_submit

from .. import access, selectors, services, tables
from ..filters import CaseFilter, compiled_filters, narrow
from ..forms import SavedFilterForm
from ..models import SavedFilter

# Twenty-five rows: a screenful to scan, and half the rendering per request of fifty; the keyset pages make
# the next page as cheap as the first.
PER_PAGE = 25


@login_required
def my_reports(request):
    page = _page(request, selectors.my_reports, selectors.my_reports(user=request.user))
    table = tables.MY_REPORTS
    context = {"page": page, "headers": table.headers(), "rows": table.body(page)}
    context["drafts"] = selectors.concern_drafts(user=request.user)
    return render(request, "cases/my_reports.html", context)


# The sort last chosen on each list, kept for the person's session under these keys: the list opens in it
# again. Only a sort the list knows is kept; an unknown one is refused with a message and forgotten.
LAST_SORT = "all_cases_sort"
LAST_TRIAGE_SORT = "triage_queue_sort"
LAST_GOVERNANCE_SORT = "governance_queue_sort"

# A queue's own order (the longest waiting first), and its deadline sorts.
QUEUE_SORTS = (selectors.QUEUE_ORDER, *selectors.QUEUE_SORTS)


def _remembered_sort(request, session_key, known):
    """The sort the request asks for, remembered if `known` (an unknown one is left to the caller to
    refuse); without one, the sort last remembered."""
    asked = request.GET.get("sort", "")
    if asked in known and request.session.get(session_key) != asked:  # A session changed is one written.
        request.session[session_key] = asked
    if asked:
        return asked
    remembered = request.session.get(session_key, "")
    return remembered if remembered in known else ""


def _queue_page(request, select, session_key, table):
    """A queue's page in the sort asked for or remembered, its table headers and rows."""
    sort = _remembered_sort(request, session_key, QUEUE_SORTS) or selectors.QUEUE_ORDER
    if sort not in QUEUE_SORTS:
        messages.error(request, f"The list cannot be sorted by “{sort[:40]}”: it is in its usual order.")
        sort = selectors.QUEUE_ORDER
    page = _page(request, select, select(user=request.user, sort=sort), sort=sort)
    return {"page": page, "headers": table.headers(sort), "rows": table.body(page)}


def _page(request, select, queryset, sort=None):
    """The page of one of the person's lists the request names, compiled (selectors.list_pages)."""
    return page_from_request(
        request, queryset, per_page=PER_PAGE, **_compiled_pages(request, select, queryset, sort)
    )


def _compiled_pages(request, select, queryset, sort, narrowed=None):
    """page_from_request's readers of a list's pages, compiled; none for someone who may see none of it."""
    if queryset.query.is_empty():
        return {}
    return selectors.list_pages(select, user=request.user, sort=sort, size=PER_PAGE + 1, narrowed=narrowed)


@login_required
def triage_queue(request):
    context = _queue_page(request, selectors.triage_queue, LAST_TRIAGE_SORT, tables.TRIAGE_QUEUE)
    return render(request, "cases/triage_queue.html", context)


@login_required
def governance_queue(request):
    if not request.user.has_perm("cases.manage_all_cases"):
        raise Http404("No such page.")
    context = _queue_page(request, selectors.governance_queue, LAST_GOVERNANCE_SORT, tables.GOVERNANCE_QUEUE)
    # Few: only the open cases of those who have left and are not yet reassigned (case_open_by_handler_idx).
    context["leavers_cases"] = selectors.leavers_cases_to_reassign(user=request.user)
    return render(request, "cases/governance_queue.html", context)


ALL_CASES_SORTS = tuple(f"{sign}{key}" for key in selectors.SORTS for sign in ("", "-"))


@login_required
def all_cases(request):
    if not request.user.has_perm("cases.manage_all_cases"):
        raise Http404("No such page.")
    query = request.GET.copy()
    # An unknown sort goes to the filters, which refuse it as the API does ("Some filters were not used").
    if sort := _remembered_sort(request, LAST_SORT, ALL_CASES_SORTS):
        query["sort"] = sort
    filterset = CaseFilter(query or None, queryset=selectors.all_cases(user=request.user), request=request)
    given = given_filters(filterset)  # Filters that do not fit are left out, and shown as errors by the form.
    sort = given.get("sort") or selectors.DEFAULT_SORT
    if (filters := compiled_filters(given)) is not None:
        # The list in one order, or filtered by filters whose SQL a compiled query holds: its pages compiled.
        # They read the rows; of the list itself the page needs only its order, so the filtered queryset is
        # not built (half a millisecond of a filtered page: issue 13), nor the list again for its order.
        cases = selectors.sorted_by(filterset.queryset, sort=sort)
        shape, arguments = filters
        narrowed = (narrow, shape, arguments) if shape else None
        compiled = _compiled_pages(request, selectors.all_cases, cases, sort, narrowed)
    else:
        cases, compiled = filterset.qs, {}
    page = page_from_request(request, cases, per_page=PER_PAGE, **compiled)
    selectors.with_clause_numbers(page.object_list)
    if filterset.findings:
        filterset.findings.why_matched(page.object_list)
    context = {
        "form": filterset.form,
        "page": page,
        "headers": tables.ALL_CASES.headers(sort),
        "rows": tables.ALL_CASES.body(page),
        "filtered": bool(query.keys() - {"sort", CURSOR_PARAM}),
        "saved_filters": selectors.saved_filters(request.user),
        "save_form": SavedFilterForm(initial={"query": request.GET.urlencode()}, user=request.user),
    }
    return render(request, "cases/all_cases.html", context)


@login_required
@require_POST
def save_filters(request):
    """Keep All cases' current filters under a name (the list's form posts its query string)."""
    if not request.user.has_perm("cases.manage_all_cases"):
        raise Http404("No such page.")
    form = SavedFilterForm(request.POST, user=request.user)
    saved = form.is_valid() and form_submit(
        form, services.saved_filter_save, owner=request.user, **form.cleaned_data
    )
    if saved:
        messages.success(request, f"Filters saved as “{saved.name}”.")
        return redirect(saved)
    messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
    return redirect(f"{reverse('cases:all')}?{request.POST.get('query', '')[:1000]}")


@login_required
@require_POST
def delete_saved_filter(request, pk):
    saved = get_object_or_404(SavedFilter, owner=request.user, pk=pk)
    saved.delete()
    messages.success(request, f"Saved filters “{saved.name}” deleted.")
    return redirect("cases:all")


@login_required
def referrals_to_hr(request):
    if not request.user.has_perm("cases.view_referrals_to_hr"):
        raise Http404("No such page.")
    referrals = selectors.referrals_to_hr(user=request.user)
    compiled = selectors.referral_pages(user=request.user, size=PER_PAGE + 1)
    page = page_from_request(request, referrals, per_page=PER_PAGE, **compiled)
    selectors.with_breached_numbers(page.object_list)
    table = tables.REFERRALS
    return render(
        request, "cases/referrals.html", {"page": page, "headers": table.headers(), "rows": table.body(page)}
    )


@login_required
def referral_detail(request, pk):
    referral = access.get_referral_for_user(request.user, pk)
    case = referral.case
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.VIEW,
        case=case,
        what=f"viewed disciplinary referral {referral.pk} on {case.reference}",
    )
    return render(
        request,
        "cases/referral_detail.html",
        {
            "referral": referral,
            "case": case,
            "clauses": selectors.breached_clauses(referral),
            # HR see the referral, not the case: the link only for those who may open the case.
            "can_open_case": access.case_relation(request.user, case) is not None,
        },
    )
