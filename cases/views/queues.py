"""The case lists: my concerns, my triage queue, the governance queue, all cases, and referrals to HR.

Every list comes from cases.selectors, which build on cases.access. Pages for a role-wide right answer 404
to everyone else, like a case they may not see. Lists are not audited; opening a case or a referral is.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from audit.models import AuditEntry
from audit.services import audit_record
from core.pagination import page_from_request

from .. import access, selectors
from ..filters import CaseFilter

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
    return render(request, "cases/my_reports.html", {"page": page})


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


@login_required
def all_cases(request):
    if not request.user.has_perm("cases.manage_all_cases"):
        raise Http404("No such page.")
    filterset = CaseFilter(
        request.GET or None, queryset=selectors.all_cases(user=request.user), request=request
    )
    cases = filterset.qs  # Filters that do not fit are left out, and shown as errors by the form.
    sort = filterset.form.cleaned_data.get("sort") if filterset.is_bound else None
    page = page_from_request(request, cases, per_page=PER_PAGE)
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
    return render(request, "cases/all_cases.html", {"form": filterset.form, "page": page, "headers": headers})


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
