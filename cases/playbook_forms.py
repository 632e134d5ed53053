from django import forms

from core.limits import LONG_TEXT

from .playbook_models import PlaybookStep


class PlaybookStepForm(forms.ModelForm):
    class Meta:
        model = PlaybookStep
        fields = ["label", "action", "requirement", "working_days", "starts_from"]
        labels = {"working_days": "Within how many working days", "starts_from": "Counted from"}
        widgets = {"requirement": forms.RadioSelect, "starts_from": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "None: a step to consider"), *self.fields["action"].choices[1:]]


class ConsiderForm(forms.Form):
    note = forms.CharField(
        label="What was considered and decided",
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
