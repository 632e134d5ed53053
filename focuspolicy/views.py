from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from cases import selectors as case_selectors
from cases.models import CLOSED_STAGES
from core.counts import capped_count
from policies.selectors import acknowledgement_summary, policies_awaiting_acknowledgement

from .tables import WORK_QUEUE
from .work import work_queues


@login_required
def home(request):
    user = request.user
    return render(
        request,
        "home.html",
        {
            # Each of the person's work queues, soonest deadline first (focuspolicy.work), with its rows.
            "queues": [(queue, WORK_QUEUE.body(queue.items)) for queue in work_queues(user)],
            "queue_headers": WORK_QUEUE.headers(),
            "to_acknowledge": policies_awaiting_acknowledgement(user=user),
            "team_acknowledgements": acknowledgement_summary(viewer=user),
            "open_reports": case_selectors.my_reports(user=user).exclude(stage__in=CLOSED_STAGES).count(),
            # Up to 99, then "99+": the queues themselves list the cases.
            "triage_count": capped_count(case_selectors.triage_queue(user=user)),
            "governance_count": capped_count(case_selectors.governance_queue(user=user)),
            "leavers_cases_count": case_selectors.leavers_open_cases(user=user).count(),
        },
    )


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
