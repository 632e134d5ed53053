from django import forms

from core.filters import QuickSelect
from people.models import Team

from .models import Clause


class SearchForm(forms.Form):
    q = forms.CharField(label="Search the policies", max_length=200, required=False)


class CommentForm(forms.Form):
    clause = forms.ModelChoiceField(
        queryset=Clause.objects.none(),
        required=False,
        empty_label="The policy as a whole",
        label="About",
        widget=QuickSelect,  # on every clause page: its thirty options written in Python
    )
    body = forms.CharField(
        label="Your comment or suggestion",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="Clause 10.2: suggest ways in which the policy might be improved. "
        "Only you and the policy owner see your comment.",
    )

    def __init__(self, *args, version, clauses=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["clause"]
        field.label_from_instance = self.clause_label
        if clauses is not None and not self.is_bound:
            # The version's clauses the page has already read (ClauseToRead): the same choices without
            # another query, nor a queryset built for nothing. What is sent is checked against the queryset.
            field.choices = [("", field.empty_label), *((c.pk, self.clause_label(c)) for c in clauses)]
        else:
            field.queryset = version.clauses().defer("search_document")

    @staticmethod
    def clause_label(clause):
        return f"{clause.number} {clause.text[:70]}…"


class ReplyForm(forms.Form):
    body = forms.CharField(label="Reply", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class ReviewForm(forms.Form):
    new_date = forms.DateField(label="New review date", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="For example, the new legislation that makes an earlier review necessary (clause 10.1).",
    )


class AcknowledgementFilterForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.all(), required=False, empty_label="All teams")
    status = forms.ChoiceField(
        choices=[("", "Everyone"), ("outstanding", "Not yet acknowledged"), ("acknowledged", "Acknowledged")],
        required=False,
    )


class CompareForm(forms.Form):
    old = forms.TypedChoiceField(label="Compare version", coerce=int)
    new = forms.TypedChoiceField(label="with version", coerce=int)

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(v.number, f"{v.number} ({v.get_status_display().lower()})") for v in versions]
        self.fields["old"].choices = choices
        self.fields["new"].choices = choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("old") is not None and cleaned.get("old") == cleaned.get("new"):
            raise forms.ValidationError("Choose two different versions.")
        return cleaned


class MaterialChangesForm(forms.Form):
    """On a draft: which of the clauses it changed are material changes, to be re-acknowledged."""

    clauses = forms.MultipleChoiceField(
        label="Material changes", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, changed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clauses"].choices = [(c.number, f"Clause {c.number} ({c.kind})") for c in changed]
