from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from policies.selectors import acknowledgement_summary, policies_awaiting_acknowledgement


@login_required
def home(request):
    return render(
        request,
        "home.html",
        {
            "to_acknowledge": policies_awaiting_acknowledgement(user=request.user),
            "team_acknowledgements": acknowledgement_summary(viewer=request.user),
        },
    )
