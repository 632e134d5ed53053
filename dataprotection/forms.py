from django import forms
from django.utils import timezone

from people.models import ANONYMISED_USERNAME, User

from .models import ErasureRequest


class PersonField(forms.CharField):
    """A member of staff, past or present, by username."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Person (username)")
        kwargs.setdefault("max_length", 150)
        super().__init__(**kwargs)

    def clean(self, value):
        username = super().clean(value).strip()
        person = User.objects.exclude(username=ANONYMISED_USERNAME).filter(username=username).first()
        if person is None:
            raise forms.ValidationError(f"There is nobody with the username “{username}”.")
        return person


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class PersonHoldForm(ReasonForm):
    person = PersonField()
    field_order = ["person", "reason"]


def _date_field(label):
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class SubjectAccessForm(forms.Form):
    person = PersonField(help_text="Whose data is asked for.")
    requested_by = forms.CharField(
        label="Who asked", max_length=200, help_text="The person themselves, or who asked for them."
    )
    received_on = _date_field("Received on")

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise forms.ValidationError("The date received cannot be in the future.")
        return received_on


class ErasureForm(SubjectAccessForm):
    decision = forms.ChoiceField(choices=ErasureRequest.Decision.choices, widget=forms.RadioSelect)
    ground = forms.ChoiceField(
        label="Legal ground for refusing (UK GDPR article 17(3))",
        choices=[("", "Not refused"), *ErasureRequest.Ground.choices],
        required=False,
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == ErasureRequest.Decision.REFUSED and not cleaned.get("ground"):
            self.add_error("ground", "Choose the legal ground for refusing.")
        return cleaned
