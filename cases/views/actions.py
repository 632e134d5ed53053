"""Recording what the Head of Business and Governance does about a case. Nobody else gets past the door."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from core.confirm import confirmation_page
from core.views import form_submit, message_submit

from .. import access
from ..action_forms import ACTION_KINDS
from ..actions import action_refusal, removal_request_resolve
from ..models import RemovalRequest
from .case import still_open_after_refusal


@login_required
def record(request, reference, kind):
    if kind not in ACTION_KINDS:
        raise Http404("No such action.")
    case, _ = access.get_case_for_user(request.user, reference, relations=(access.GOVERNANCE,))
    label, form_class, service = ACTION_KINDS[kind]
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, case=case)
        if form.is_valid():
            # Checked first only if it can be recorded: a refusal is said at once.
            what = form.confirmation() if action_refusal(case) is None else ""
            check = confirmation_page(request, what=what, title=label, back=case.get_absolute_url())
            if check is not None:
                return check
            if form_submit(form, service, case=case, by=request.user, **form.cleaned_data):
                messages.success(request, f"{label}: recorded on {case.reference}.")
                return redirect(case)
        case, _ = still_open_after_refusal(
            request, case, relations=(access.GOVERNANCE,), attempted=f"recording {label.lower()}"
        )
        status = 400
    else:
        # Links may pre-fill the form, e.g. ?removal_request=<pk> after a request was not complied with.
        form = form_class(case=case, initial=request.GET.dict())
    return render(
        request,
        "cases/action_form.html",
        {"case": case, "form": form, "label": label, "kind": kind, "refusal": action_refusal(case)},
        status=status,
    )


@login_required
@require_POST
def resolve_removal_request(request, reference, pk):
    case, _ = access.get_case_for_user(request.user, reference, relations=(access.GOVERNANCE,))
    removal_request = get_object_or_404(RemovalRequest, pk=pk, case=case)
    status = request.POST.get("status", "")
    removal_request = message_submit(
        request, removal_request_resolve, removal_request=removal_request, by=request.user, status=status
    )
    if removal_request is None:
        still_open_after_refusal(
            request, case, relations=(access.GOVERNANCE,), attempted="resolving a removal request"
        )
        return redirect(case)
    done = f"The removal request to {removal_request.requested_from} is marked as"
    if removal_request.is_referable():
        url = reverse("cases:record_action", args=[case.reference, "disciplinary-referral"])
        messages.success(
            request,
            format_html(
                "{} not complied with. Clause 2.5: this may in itself result in disciplinary action. "
                '<a href="{}?removal_request={}">Refer {} to HR for not complying</a>.',
                done,
                url,
                removal_request.pk,
                removal_request.staff_member,
            ),
        )
    else:
        messages.success(request, f"{done} {removal_request.get_status_display().lower()}.")
    return redirect(case)
