from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from cases import selectors as case_selectors
from core.counts import capped
from policies.changes import with_changes_only
from policies.selectors import acknowledgement_summary, policies_awaiting_acknowledgement

from .tables import WORK_QUEUE
from .work import work_queues


@login_required
def home(request):
    user = request.user
    # The counts of the concerns section, in the same query as the queues' (focuspolicy.work). Signed in,
    # the person is active (a leaver's session ends: people.middleware).
    also_count = [case_selectors.open_reports_counted(user)]
    governs = user.has_perm("cases.manage_all_cases")
    if governs:
        also_count.append(case_selectors.governance_queue_counted(user))
    queues, (open_reports, *governance) = work_queues(user, also_count=also_count)
    by_key = {queue.key: queue for queue in queues}
    return render(
        request,
        "home.html",
        {
            # Each of the person's work queues, soonest deadline first (focuspolicy.work), with its rows.
            "queues": [(queue, WORK_QUEUE.body(queue.items)) for queue in queues],
            "queue_headers": WORK_QUEUE.headers(),
            # Each with `changes_only`: whether reading its material changes acknowledges it.
            "to_acknowledge": with_changes_only(policies_awaiting_acknowledgement(user=user), user),
            "team_acknowledgements": acknowledgement_summary(viewer=user),
            "open_reports": open_reports,
            # Up to 99, then "99+": the queues themselves list the cases. The triage queue's own count (the
            # same cases); someone without one has no case routed to them to triage (work.handles_cases).
            "triage_count": by_key["triage"].count if "triage" in by_key else 0,
            "governance_count": capped(governance[0]) if governs else 0,
            "leavers_cases_count": _leavers_count(user, by_key.get("leavers")),
        },
    )


def _leavers_count(user, queue):
    """Every open case of a leaver, not capped: the queue's count, or past 99 a count of its own."""
    if queue is None:
        return 0
    if isinstance(queue.count, str):
        return case_selectors.leavers_open_cases(user=user).count()
    return queue.count


def admin_login(request):
    """The admin has no sign-in form of its own: everyone signs in on the site's page, with its checks.

    A visitor is sent there and comes back to the admin; someone signed in without access to the admin is
    refused, rather than sent round between the two pages."""
    admin_index = reverse("admin:index")
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = admin_index
    if not request.user.is_authenticated:
        return redirect_to_login(next_url)
    if admin.site.has_permission(request):
        return redirect(next_url)
    raise PermissionDenied
