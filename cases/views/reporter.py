"""The reporter's steps on their case page: a message to those handling it, more evidence, withdrawing it
(cases.reporter). Only the reporter of the case reaches them; anyone else gets the case's 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from core.confirm import confirmation_page
from core.views import form_submit

from .. import access, reporter
from ..forms import ReporterEvidenceForm, ReporterMessageForm, WithdrawForm
from .case import reporter_page


def _reporters_case(request, reference, attempted):
    return access.get_case_for_user(
        request.user,
        reference,
        relations=(access.REPORTER,),
        refused=f"was refused {attempted} on {reference[:40]}",
    )[0]


def _again(request, case, attempted, **forms):
    """The page again with the form that failed, keeping what was typed; the case as it is now, and a 404
    if they may no longer follow it."""
    case = _reporters_case(request, case.reference, attempted)
    return reporter_page(request, case, status=400, **forms)


@login_required
@require_POST
def send_message(request, reference):
    case = _reporters_case(request, reference, "sending a message")
    form = ReporterMessageForm(request.POST)
    if form.is_valid():
        sent = form_submit(
            form, reporter.reporter_send_message, case=case, text=form.cleaned_data["text"], by=request.user
        )
        if sent is not None:
            messages.success(request, "Your message has been sent.")
            return redirect(f"{case.get_absolute_url()}#progress-heading")
    return _again(request, case, "sending a message", message=form)


@login_required
@require_POST
def add_evidence(request, reference):
    case = _reporters_case(request, reference, "adding evidence")
    form = ReporterEvidenceForm(request.POST, request.FILES, by=request.user)
    if form.is_valid():
        added = form_submit(
            form, reporter.reporter_add_evidence, case=case, by=request.user, **form.cleaned_data
        )
        if added:
            messages.success(request, f"Evidence added: {', '.join(e.original_name for e in added)}.")
            return redirect(f"{case.get_absolute_url()}#yours-heading")
    return _again(request, case, "adding evidence", evidence=form)


@login_required
@require_POST
def withdraw(request, reference):
    case = _reporters_case(request, reference, "withdrawing")
    form = WithdrawForm(request.POST)
    if form.is_valid():
        check = confirmation_page(
            request,
            what=reporter.WITHDRAW.confirmation(case=case),
            title=reporter.WITHDRAW.label,
            back=case.get_absolute_url(),
        )
        if check is not None:
            return check
        if form_submit(form, reporter.reporter_withdraw, case=case, by=request.user, **form.cleaned_data):
            messages.success(request, f"Your concern {case.reference} has been withdrawn.")
            return redirect(case)
    return _again(request, case, "withdrawing", withdraw=form)
