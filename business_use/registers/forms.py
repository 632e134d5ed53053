from django import forms

from core.limits import LONG_TEXT
from people.roles import Role
from people.selectors import role_holders

from .models import ApprovedSite, OfficialAccount


class OfficialAccountForm(forms.ModelForm):
    link = forms.URLField(max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = OfficialAccount
        fields = ["name", "service", "platform", "handle", "link", "posters"]
        widgets = {"posters": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the communications team post on the official accounts (6.3).
        self.fields["posters"].queryset = role_holders(Role.COMMS)


class ApprovedSiteForm(forms.ModelForm):
    link = forms.URLField(max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = ApprovedSite
        fields = ["name", "link", "purpose", "conditions", "approved_on", "review_on"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "conditions": forms.Textarea(attrs={"rows": 6}),
            "approved_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "review_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "name": "The site, forum or tool, e.g. FutureNHS.",
            "purpose": "What staff may use it for, e.g. to share best practice with other providers (6.4).",
            "conditions": "What staff must and must not do there.",
            "review_on": "When to look at this approval again.",
        }

    def clean(self):
        cleaned = super().clean()
        approved, review = cleaned.get("approved_on"), cleaned.get("review_on")
        if approved and review and review < approved:
            self.add_error("review_on", "The review date cannot be before the approval.")
        return cleaned


class EndForm(forms.Form):
    """Retiring an account, withdrawing a site: why, for the history."""

    note = forms.CharField(
        label="Why",
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the entry's history.",
    )
