from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from cases import selectors as case_selectors
from cases.models import CLOSED_STAGES
from policies.selectors import acknowledgement_summary, policies_awaiting_acknowledgement


@login_required
def home(request):
    user = request.user
    return render(
        request,
        "home.html",
        {
            "to_acknowledge": policies_awaiting_acknowledgement(user=user),
            "team_acknowledgements": acknowledgement_summary(viewer=user),
            "open_reports": case_selectors.my_reports(user=user).exclude(stage__in=CLOSED_STAGES).count(),
            "triage_count": case_selectors.triage_queue(user=user).count(),
            "governance_count": case_selectors.governance_queue(user=user).count(),
            "leavers_cases_count": case_selectors.leavers_open_cases(user=user).count(),
        },
    )
