"""Forms for opening a disciplinary record and recording its steps.

Each step form's fields are the keyword arguments of its service, so a view can call
`service(record=record, by=user, **form.cleaned_data)`. The rules themselves live in discipline.services.
"""

from dataclasses import dataclass

from django import forms
from django.utils import timezone

from cases.forms import ClauseChoiceField
from core.text import day
from people.models import User
from people.selectors import staff_members

from . import services
from .letters import template_refusal
from .models import AppealOutcome, LetterTemplate, Outcome, Severity, Step, WarningPeriods


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, help_text="", initial=None, required=True):
    return forms.DateField(
        label=label, widget=DateInput, help_text=help_text, initial=initial, required=required
    )


def text_field(label, help_text="", required=True, rows=4):
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=10000,
        help_text=help_text,
        required=required,
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return f"{person}, {person.job_title}" if person.job_title else str(person)


def people_other_than(employee):
    """Who may investigate or hear: anyone still working here except the employee concerned."""
    return User.objects.filter(is_active=True).exclude(pk=employee.pk)


class OpenRecordForm(forms.Form):
    employee = PersonChoiceField(
        label="Employee",
        queryset=User.objects.none(),
        empty_label="Choose…",
        help_text="Any member of staff, past or present: employees, contractors and agency staff (2.1).",
    )
    allegation = text_field("The allegation", "What the employee is alleged to have done.")
    severity = forms.ChoiceField(
        label="Misconduct or gross misconduct", choices=Severity.choices, widget=forms.RadioSelect
    )
    clauses = ClauseChoiceField(
        label="Clauses breached",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Their text is kept on the record as it reads today.",
    )
    opened_on = date_field(
        "Date the process began",
        "Today, unless you are recording a process that began earlier.",
        initial=timezone.localdate,
    )

    def __init__(self, *args, by, policy_version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = staff_members().exclude(pk=by.pk).select_related("team")
        self.fields["clauses"].queryset = policy_version.clauses().prefetch_related("items")


class StepForm(forms.Form):
    """A step form knows its record: the people it offers leave out the employee concerned."""

    def __init__(self, *args, record, **kwargs):
        self.record = record
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, PersonChoiceField):
                field.queryset = people_other_than(record.employee)


class InvestigationForm(StepForm):
    investigator = PersonChoiceField(
        label="Investigator",
        queryset=User.objects.none(),
        empty_label="Choose…",
        help_text="ACAS: where practicable, someone other than the person who will hear the case.",
    )
    summary = text_field(
        "Summary of the investigation",
        "What was looked at and found. The evidence is on the case, if the record came from one.",
        rows=6,
    )
    completed_on = date_field("Date the investigation was completed", initial=timezone.localdate)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class InvitationForm(StepForm):
    sent_on = date_field("Date the written invitation was sent", initial=timezone.localdate)
    hearing_arranged_for = date_field(
        "Date arranged for the hearing",
        "ACAS: allow the employee reasonable time to prepare.",
    )
    hearing_time = forms.TimeField(
        label="Time of the hearing", widget=TimeInput, help_text="For example 14:30."
    )
    hearing_place = forms.CharField(
        label="Place of the hearing", max_length=200, help_text="The room and address, or how to join a call."
    )
    told_of_right_to_be_accompanied = forms.BooleanField(
        label="The invitation tells the employee of their right to be accompanied",
        help_text="By a colleague or a trade union representative (ACAS Code of Practice). Required.",
        error_messages={
            "required": "The invitation must tell the employee of their right to be accompanied."
        },
    )
    invited_companion = forms.CharField(
        label="Companion, if known",
        max_length=200,
        required=False,
        help_text="The colleague or trade union representative the employee has named.",
    )
    notes = text_field(
        "Notes on the invitation",
        "For example what evidence was sent with the letter.",
        required=False,
        rows=3,
    )


class HearingForm(StepForm):
    held_on = date_field("Date the hearing was held")
    heard_by = PersonChoiceField(label="Heard by", queryset=User.objects.none(), empty_label="Choose…")
    companion = forms.CharField(
        label="Companion",
        max_length=200,
        required=False,
        help_text="A colleague or trade union representative who accompanied the employee, if any.",
    )
    attendees = text_field(
        "Who attended",
        "Each person and their role: the employee, the person hearing it, a note-taker, the companion.",
        rows=3,
    )
    notes = text_field("Notes of the hearing", "What was said, including the employee's case.", rows=8)

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        arranged = record.hearing_arranged_for
        self.fields["held_on"].initial = (
            arranged if arranged and arranged <= timezone.localdate() else timezone.localdate()
        )


def _expiry_help():
    periods, today = WarningPeriods.current(), timezone.localdate()
    first, final = (
        day(periods.default_expiry(outcome, today))
        for outcome in (Outcome.FIRST_WRITTEN_WARNING, Outcome.FINAL_WRITTEN_WARNING)
    )
    return (
        "Only for a first or final written warning. Leave blank for the usual period: "
        f"{periods.first_written_warning_months} months for a first written warning, "
        f"{periods.final_written_warning_months} months for a final written warning, from the decision "
        f"(decided today: {first} and {final})."
    )


class OutcomeForm(StepForm):
    outcome = forms.ChoiceField(label="Outcome", choices=Outcome.choices, widget=forms.RadioSelect)
    reasons = text_field("Reasons for the outcome", rows=5)
    decided_on = date_field("Date of the decision", initial=timezone.localdate)
    warning_expires_on = date_field("Warning expires on", required=False)

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        self.fields["warning_expires_on"].help_text = _expiry_help()


class AppealForm(StepForm):
    lodged_on = date_field("Date the appeal was lodged", initial=timezone.localdate)
    grounds = text_field("Grounds of the appeal")


class AppealOutcomeForm(StepForm):
    heard_on = date_field("Date the appeal was heard", initial=timezone.localdate)
    heard_by = PersonChoiceField(
        label="Appeal heard by",
        queryset=User.objects.none(),
        empty_label="Choose…",
        help_text="ACAS: where possible, a more senior manager who was not involved before.",
    )
    appeal_outcome = forms.ChoiceField(
        label="Outcome of the appeal", choices=AppealOutcome.choices, widget=forms.RadioSelect
    )
    reasons = text_field("Reasons for the appeal decision", rows=5)
    new_outcome = forms.ChoiceField(
        label="Varied to",
        choices=[("", "Not varied"), *[c for c in Outcome.choices if c[0] != Outcome.NO_ACTION]],
        required=False,
        help_text="Only if the decision is varied: the outcome that now stands. It cannot be more severe.",
    )
    new_warning_expires_on = date_field("Varied warning expires on", required=False)

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        self.fields["new_warning_expires_on"].help_text = (
            _expiry_help() + " The period runs from the original decision."
        )


@dataclass(frozen=True)
class StepSpec:
    label: str
    form: type
    service: object
    done: str


# Each step of the procedure: how the page names it, its form and its service.
STEPS = {
    Step.INVESTIGATED: StepSpec(
        "Record the investigation", InvestigationForm, services.record_investigation, "Investigation recorded"
    ),
    Step.INVITED: StepSpec(
        "Record the invitation to a hearing",
        InvitationForm,
        services.record_invitation,
        "Invitation recorded",
    ),
    Step.HEARD: StepSpec("Record the hearing", HearingForm, services.record_hearing, "Hearing recorded"),
    Step.DECIDED: StepSpec("Record the outcome", OutcomeForm, services.record_outcome, "Outcome recorded"),
    Step.APPEAL_LODGED: StepSpec("Record an appeal", AppealForm, services.record_appeal, "Appeal recorded"),
    Step.APPEAL_DECIDED: StepSpec(
        "Record the appeal's outcome",
        AppealOutcomeForm,
        services.record_appeal_outcome,
        "Appeal outcome recorded",
    ),
}


class WarningPeriodsForm(forms.ModelForm):
    """How long a first and a final written warning stay live unless the decision gives another date."""

    class Meta:
        model = WarningPeriods
        fields = ["first_written_warning_months", "final_written_warning_months"]
        labels = {
            "first_written_warning_months": "First written warning, in months",
            "final_written_warning_months": "Final written warning, in months",
        }

    def clean(self):
        cleaned = super().clean()
        first, final = (
            cleaned.get("first_written_warning_months"),
            cleaned.get("final_written_warning_months"),
        )
        if first and final and final < first:
            self.add_error(
                "final_written_warning_months", "A final written warning cannot be shorter than a first one."
            )
        return cleaned


class LetterTemplateForm(forms.ModelForm):
    """A letter's wording. Placeholders only: anything else is refused here with the reason, before the
    service checks it again."""

    class Meta:
        model = LetterTemplate
        fields = ["subject", "body"]
        labels = {"subject": "Subject", "body": "The letter"}
        widgets = {"body": forms.Textarea(attrs={"rows": 24})}

    def _checked(self, name):
        text = self.cleaned_data[name]
        if refusal := template_refusal(text):
            raise forms.ValidationError(refusal)
        return text

    def clean_subject(self):
        return self._checked("subject")

    def clean_body(self):
        return self._checked("body")
