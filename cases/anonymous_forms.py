"""The forms of anonymous reporting: the raise form without what needs an account, the receipt key, and
what the reporter sends afterwards."""

from django import forms

from .evidence import EvidenceFilesField
from .forms import RaiseConcernForm
from .models import SubjectKind


class AnonymousConcernForm(RaiseConcernForm):
    """The raise form, its fields and checks, less the staff list (nobody outside may read who works here:
    a colleague is named in words) and the route (there is no supervisor: it goes to a Head of Service)."""

    def __init__(self, *args, policy_version, **kwargs):
        super().__init__(*args, reporter=_Nobody(), policy_version=policy_version, **kwargs)
        # Nor drafts and kept files, which wait for an account: an anonymous reporter chooses files again.
        for name in ("subject_person", "route", "draft", "kept_files", "discarded_files"):
            del self.fields[name]
        self.fields["evidence"].uploader = None
        self.fields["subject_description"].help_text = (
            "For a colleague: their name, or what you know of them (their role, their team). "
            "For anyone else: what you know of who posted it."
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("subject_kind") == SubjectKind.COLLEAGUE and not cleaned.get("subject_description"):
            self.add_error(
                "subject_description", "Say who the colleague is: their name, or what you know of them."
            )
        return cleaned


class _Nobody:
    """No account: the raise form leaves nobody out of its (removed) staff list."""

    pk = None


class ReceiptKeyForm(forms.Form):
    key = forms.CharField(
        label="Your receipt key",
        max_length=60,
        help_text="The key you were given when you made the report, like ABCD-EFGH-JKMN-PQRS-TVWX-YZ23.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        error_messages={"required": "Enter your receipt key."},
    )


class ReporterMessageForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="id_message_%s", **kwargs)

    text = forms.CharField(
        label="Message to the person handling your report",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        error_messages={"required": "Write the message before sending it."},
    )


class ReporterEvidenceForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="id_evidence_%s", **kwargs)

    files = EvidenceFilesField(required=True, label="Add evidence")
    note = forms.CharField(
        label="A note about it (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=10000,
        required=False,
    )
