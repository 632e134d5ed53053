"""The filters of the disciplinary record list, shared by the page and its CSV and Excel exports."""

from django import forms

from people.models import Team, User

from .models import Outcome
from .selectors import WARNING_STATES

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_WARNING_LABELS = {"live": "Live warnings", "expired": "Expired warnings"}


class RecordFilterForm(forms.Form):
    """A value that does not fit is shown as an error and not used; `filters()` gives the rest."""

    opened_from = forms.DateField(label="Opened from", required=False, widget=_DATE)
    opened_to = forms.DateField(label="Opened to", required=False, widget=_DATE)
    outcome = forms.ChoiceField(
        label="Outcome in force", choices=[("", "Any outcome"), *Outcome.choices], required=False
    )
    team = forms.ModelChoiceField(
        label="Team", queryset=Team.objects.all(), empty_label="All teams", required=False
    )
    employment_type = forms.ChoiceField(
        label="Employment type", choices=[("", "Any type"), *User.EmploymentType.choices], required=False
    )
    clause = forms.ChoiceField(label="Clause", required=False)
    warning = forms.ChoiceField(
        label="Warning",
        choices=[("", "Any"), *[(state, _WARNING_LABELS[state]) for state in WARNING_STATES]],
        required=False,
    )

    def __init__(self, *args, clause_numbers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clause"].choices = [("", "Any clause"), *[(number, number) for number in clause_numbers]]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("opened_from"), cleaned.get("opened_to")
        if start and end and start > end:
            self.add_error("opened_to", "The end of the range must not be before its start.")
        return cleaned

    def filters(self):
        """The valid filters for discipline.selectors.filter_records; {} for an unbound form."""
        if not self.is_bound:
            return {}
        self.is_valid()  # Invalid fields are left out of cleaned_data and shown as errors.
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
