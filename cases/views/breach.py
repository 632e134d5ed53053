"""The personal data breach panel's two steps: flagging a case, and recording the decision on the ICO."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.confirm import confirmation_page
from core.views import form_submit, message_submit

from .. import access, breach
from .case import _handler_context, still_open_after_refusal


class BreachDecisionForm(forms.Form):
    reported_to_ico = forms.TypedChoiceField(
        label="Was it reported to the Information Commissioner's Office?",
        choices=[("yes", "Yes, it was reported to the ICO"), ("no", "No, it is not to be reported")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(label="Reasons", widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)
    ico_reference = forms.CharField(label="ICO reference", max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="id_breach_%s", **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reported_to_ico") and not cleaned.get("ico_reference", "").strip():
            self.add_error("ico_reference", "Give the ICO's reference for the report.")
        return cleaned

    def confirmation(self, case):
        """What recording the decision does: it is recorded once and cannot be changed (core.confirm)."""
        if self.cleaned_data["reported_to_ico"]:
            decided = f"reported to the ICO (reference {self.cleaned_data['ico_reference'].strip()})"
        else:
            decided = "not to be reported to the ICO"
        return (
            f"The decision that the possible personal data breach on case {case.reference} was {decided} "
            "will be recorded with your reasons, and the breach clock's reminders stop.\n"
            "This cannot be undone: the decision cannot be changed once recorded."
        )


def _to_panel(case):
    return redirect(f"{case.get_absolute_url()}#breach-heading")


@login_required
@require_POST
def flag(request, reference):
    case, _ = access.get_case_for_user(request.user, reference, relations=(access.HANDLER, access.GOVERNANCE))
    if message_submit(request, breach.breach_flag, case=case, by=request.user):
        messages.success(
            request,
            f"{case.reference} is flagged as a possible personal data breach. "
            "The Head of Information & Security has been told.",
        )
    else:
        still_open_after_refusal(
            request,
            case,
            relations=(access.HANDLER, access.GOVERNANCE),
            attempted="flagging a possible personal data breach",
        )
    return _to_panel(case)


@login_required
@require_POST
def decision(request, reference):
    case, relation = access.get_case_for_user(
        request.user, reference, relations=(access.INFOSEC, access.GOVERNANCE)
    )
    form = BreachDecisionForm(request.POST)
    if form.is_valid():
        check = confirmation_page(
            request,
            what=form.confirmation(case),
            title="Record the breach decision",
            back=f"{case.get_absolute_url()}#breach-heading",
        )
        if check is not None:
            return check
        if form_submit(form, breach.breach_decision_record, case=case, by=request.user, **form.cleaned_data):
            messages.success(request, "The decision on the possible personal data breach is recorded.")
            return _to_panel(case)
    case, relation = still_open_after_refusal(
        request,
        case,
        relations=(access.INFOSEC, access.GOVERNANCE),
        attempted="recording the breach decision",
    )
    context = _handler_context(request, case, relation)
    context["breach_form"] = context["error_form"] = form
    context["page_error"] = " ".join(form.non_field_errors()) or "Check the breach decision and try again."
    return render(request, "cases/detail.html", context, status=400)
