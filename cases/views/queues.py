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
from core.pagination import CURSOR_PARAM, page_from_request
from core.views import form_submit

from .. import access, selectors, services
from ..filters import CaseFilter
from ..forms import SavedFilterForm
from ..models import SavedFilter

# Twenty-five rows: a screenful to scan, and half the rendering per request of fifty; the keyset pages make
# the next page as cheap as the first.
PER_PAGE = 25


def _sort_headers(current, columns):
    """Table headers for the columns: a link that sorts by it (or reverses it), and its aria-sort."""
    headers = []
    for label, key in columns:
        header = {"label": label, "sort": None, "aria_sort": None}
        if key:
            if current == key:
                header.update(sort=f"-{key}", aria_sort="ascending")
            elif current == f"-{key}":
                header.update(sort=key, aria_sort="descending")
            else:
                header["sort"] = key
        headers.append(header)
    return headers


@login_required
def my_reports(request):
    page = page_from_request(request, selectors.my_reports(user=request.user), per_page=PER_PAGE)
    drafts = selectors.concern_drafts(user=request.user)
    return render(request, "cases/my_reports.html", {"page": page, "drafts": drafts})


@login_required
def triage_queue(request):
    page = page_from_request(request, selectors.triage_queue(user=request.user), per_page=PER_PAGE)
    return render(request, "cases/triage_queue.html", {"page": page})


@login_required
def governance_queue(request):
    if not request.user.has_perm("cases.manage_all_cases"):
        raise Http404("No such page.")
    page = page_from_request(request, selectors.governance_queue(user=request.user), per_page=PER_PAGE)
    # Few: only the open cases of those who have left and are not yet reassigned (case_open_by_handler_idx).
    leavers_cases = selectors.leavers_open_cases(user=request.user)
    return render(request, "cases/governance_queue.html", {"page": page, "leavers_cases": leavers_cases})


# The sort last chosen on All cases, kept for the person's session: the list opens in it again.
LAST_SORT = "all_cases_sort"


@login_required
def all_cases(request):
    if not request.user.has_perm("cases.manage_all_cases"):
        raise Http404("No such page.")
    query = request.GET.copy()
    if query.get("sort"):
        request.session[LAST_SORT] = query["sort"][:40]
    elif request.session.get(LAST_SORT):
        query["sort"] = request.session[LAST_SORT]
    filterset = CaseFilter(query or None, queryset=selectors.all_cases(user=request.user), request=request)
    cases = filterset.qs  # Filters that do not fit are left out, and shown as errors by the form.
    sort = filterset.form.cleaned_data.get("sort") if filterset.is_bound else None
    page = page_from_request(request, cases, per_page=PER_PAGE)
    if filterset.findings:
        filterset.findings.why_matched(page.object_list)
    headers = _sort_headers(
        sort or selectors.DEFAULT_SORT,
        [
            ("Reference", "reference"),
            ("Stage", "stage"),
            ("Raised", "raised"),
            ("Open for", "age"),
            ("About", None),
            ("Platform", None),
            ("Clauses", None),
            ("Reporter's team", None),
            ("Handler", None),
        ],
    )
    context = {
        "form": filterset.form,
        "page": page,
        "headers": headers,
        "filtered": bool(query.keys() - {"sort", CURSOR_PARAM}),
        "saved_filters": SavedFilter.objects.filter(owner=request.user),
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
    page = page_from_request(request, selectors.referrals_to_hr(user=request.user), per_page=PER_PAGE)
    return render(request, "cases/referrals.html", {"page": page})


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
            # HR see the referral, not the case: the link only for those who may open the case.
            "can_open_case": access.case_relation(request.user, case) is not None,
        },
    )
