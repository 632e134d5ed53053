"""Forms for the actions the Head of Business and Governance records on a case (cases.actions).

Each form's fields are the keyword arguments of its service, so a view can call
`service(case=case, by=user, **form.cleaned_data)`. The rules themselves live in the services.
"""

from django import forms
from django.utils import timezone

from core.text import day
from people.selectors import staff_members

from . import actions
from .models import RETIRED_PLATFORMS, DisciplinaryReferral, Platform, RemovalRequest, SubjectKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, help_text="", initial=None):
    return forms.DateField(label=label, widget=DateInput, help_text=help_text, initial=initial)


class ActionForm(forms.Form):
    """An action form knows its case; the choices it offers come from it."""

    def __init__(self, *args, case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)

    def confirmation(self):
        """What recording it will do, for an action that cannot be undone (core.confirm); "" for none."""
        return ""


class LegalAdviceForm(ActionForm):
    advised_on = date_field("Date of the advice", initial=timezone.localdate)
    adviser = forms.CharField(
        label="Who gave the advice",
        max_length=200,
        required=False,
        help_text="The solicitor or firm, for example.",
    )
    summary = forms.CharField(
        label="Summary of the advice",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        help_text="What the advice was, in enough detail to act on it later.",
    )


class RemovalRequestForm(ActionForm):
    requested_from = forms.CharField(
        label="To whom was the request sent?",
        max_length=200,
        help_text="The person or account asked to remove the posting.",
    )
    staff_member = forms.ModelChoiceField(
        label="If the request is to a member of staff, who",
        queryset=None,
        required=False,
        help_text="Clause 2.5: failing to comply with the request may in itself lead to disciplinary action.",
    )
    sent_on = date_field("Date the request was sent", initial=timezone.localdate)
    deadline = date_field("Deadline for removing the posting")

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["staff_member"].queryset = staff_members().filter(is_active=True)
        if case.subject_kind == SubjectKind.COLLEAGUE and case.subject_person:
            self.fields["staff_member"].initial = case.subject_person
            self.fields["requested_from"].initial = str(case.subject_person)


class PlatformNoticeForm(ActionForm):
    platform = forms.ChoiceField(label="Platform notified", choices=Platform.offered)
    sent_on = date_field("Date the notice was sent", initial=timezone.localdate)
    reference = forms.CharField(
        label="The platform's reference",
        max_length=200,
        required=False,
        help_text="The report or ticket number the platform gave, if any.",
    )
    summary = forms.CharField(
        label="What was reported to the platform",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        required=False,
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["platform"].initial = case.platform
        if case.platform in RETIRED_PLATFORMS:  # An old case's own platform may still be notified.
            own = (case.platform, case.get_platform_display())
            self.fields["platform"].choices = [*Platform.offered(), own]


class PoliceReferralForm(ActionForm):
    reference = forms.CharField(label="Police reference", max_length=200)
    force = forms.CharField(
        label="Police force", max_length=200, required=False, help_text="For example, Humberside Police."
    )
    referred_on = date_field("Date of the referral", initial=timezone.localdate)
    summary = forms.CharField(
        label="What was referred",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        required=False,
    )

    def confirmation(self):
        police = self.cleaned_data["force"] or "the police"
        return (
            f"A referral of case {self.case.reference} to {police} "
            f"(reference {self.cleaned_data['reference']}) will be recorded, and the case will be "
            "“Action in progress”.\n"
            "This cannot be undone: the referral stays on the case and in the reports."
        )


class CaseClauseField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, clause):
        words = clause.text.split()
        first = " ".join(words[:12])
        return f"{clause.number} {first}{'…' if len(words) > 12 else ''}"


class RemovalRequestChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, request):
        return (
            f"Request of {day(request.sent_on)} to {request.requested_from} "
            f"(deadline {day(request.deadline)})"
        )


class DisciplinaryReferralForm(ActionForm):
    person = forms.ModelChoiceField(
        label="Person referred",
        queryset=None,
        help_text="The member of staff, or former member of staff, thought to have breached the policy.",
    )
    removal_request = RemovalRequestChoiceField(
        label="For not complying with a removal request",
        queryset=None,
        required=False,
        empty_label="No: the referral is about the posting itself",
        help_text="Clause 2.5: failing to comply with a request to remove a posting may in itself result "
        "in disciplinary action.",
    )
    allegation = forms.CharField(
        label="The allegation",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        required=False,
        help_text="What the person is alleged to have done. For a removal request that was not complied "
        "with, it may be left empty.",
    )
    clauses_breached = CaseClauseField(
        label="Clauses breached",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="The clauses of this case the person is thought to have breached.",
    )
    severity = forms.ChoiceField(
        label="Misconduct or gross misconduct",
        choices=DisciplinaryReferral.Severity.choices,
        widget=forms.RadioSelect,
        help_text="Clause 5.2: such actions “could be construed as misconduct / gross misconduct”.",
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["person"].queryset = actions.disciplinary_candidates(case=case)
        not_complied = case.removalrequests.filter(status=RemovalRequest.Status.NOT_COMPLIED)
        self.fields["removal_request"].queryset = not_complied
        self.fields["clauses_breached"].queryset = case.clauses.all()
        if self.is_bound:
            return
        if case.subject_kind == SubjectKind.COLLEAGUE and case.subject_person:
            self.fields["person"].initial = case.subject_person
        # Pre-filled for a removal request that was not complied with (?removal_request=<pk>).
        chosen = str(self.initial.get("removal_request") or "")
        request = not_complied.filter(pk=chosen).first() if chosen.isdigit() else None
        if request is not None:
            self.initial["removal_request"] = request.pk
            self.initial.setdefault("allegation", actions.non_compliance_allegation(request))
            if request.staff_member_id:
                self.initial["person"] = request.staff_member_id

    def confirmation(self):
        severity = DisciplinaryReferral.Severity(self.cleaned_data["severity"]).label.lower()
        return (
            f"{self.cleaned_data['person']} will be referred to HR for {severity} on case "
            f"{self.case.reference}, and the case will be “Action in progress”. HR will see the referral "
            "and may open a disciplinary record from it.\n"
            "This cannot be undone: the referral stays on the case and in the reports."
        )


# URL slug → (label, form, service).
ACTION_KINDS = {
    "legal-advice": ("Record legal advice", LegalAdviceForm, actions.legal_advice_record),
    "removal-request": ("Request removal", RemovalRequestForm, actions.removal_request_record),
    "platform-notice": ("Notify the platform", PlatformNoticeForm, actions.platform_notice_record),
    "police-referral": ("Refer to the police", PoliceReferralForm, actions.police_referral_record),
    "disciplinary-referral": (
        "Refer to HR (disciplinary)",
        DisciplinaryReferralForm,
        actions.disciplinary_referral_record,
    ),
}
