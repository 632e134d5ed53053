from django import forms
from django.http import QueryDict
from django.utils import timezone

from people.models import User

from . import selectors
from .evidence import EvidenceFilesField
from .filters import CaseFilter
from .models import Platform, Route, SubjectKind
from .workflow import CHOSEN_OUTCOMES


class ClauseChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, clause):
        return f"{clause.number} {clause.text[:110]}{'…' if len(clause.text) > 110 else ''}"


class RaiseConcernForm(forms.Form):
    subject_kind = forms.ChoiceField(
        label="Who is it about?", choices=SubjectKind.choices, widget=forms.RadioSelect
    )
    subject_person = forms.ModelChoiceField(
        label="The colleague",
        queryset=User.objects.none(),
        required=False,
        help_text="Only if it is about a member of focus staff.",
    )
    subject_description = forms.CharField(
        label="Name or description of the person or account",
        max_length=300,
        required=False,
        help_text="For a service user, carer or member of the public: what you know of who posted it.",
    )
    platform = forms.ChoiceField(label="Where was it posted?", choices=Platform.choices)
    platform_other = forms.CharField(label="Other platform", max_length=100, required=False)
    links = forms.CharField(
        label="Links to the posting",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="One web address per line.",
    )
    seen_at = forms.DateTimeField(
        label="When did you see it?",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    description = forms.CharField(
        label="What did you see?", widget=forms.Textarea(attrs={"rows": 6}), max_length=10000
    )
    identifies_service_user_or_carer = forms.BooleanField(
        label="It identifies a service user or carer", required=False
    )
    discloses_confidential_information = forms.BooleanField(
        label="It discloses confidential information", required=False
    )
    discloses_personal_data = forms.BooleanField(
        label="It discloses personal data of a service user, carer or colleague", required=False
    )
    evidence = EvidenceFilesField()
    clauses = ClauseChoiceField(
        label="Clauses it may breach",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose any that seem to apply; whoever handles the concern can add to them.",
    )
    route = forms.ChoiceField(
        label="Who should look at it first?",
        choices=Route.choices,
        initial=Route.SUPERVISOR,
        widget=forms.RadioSelect,
        help_text="Clause 9.1: your supervisor or a Head of Service.",
    )

    def __init__(self, *args, reporter, policy_version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_person"].queryset = User.objects.filter(is_active=True).exclude(pk=reporter.pk)
        self.fields["evidence"].uploader = reporter
        self.fields["clauses"].queryset = policy_version.clauses().prefetch_related("items")

    def clean_links(self):
        validate = forms.URLField(assume_scheme="https").clean
        links = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        bad = []
        for link in links:
            try:
                validate(link)
            except forms.ValidationError:
                bad.append(link)
        if bad:
            raise forms.ValidationError(f"These are not web addresses: {', '.join(bad)}")
        return "\n".join(links)

    def clean_seen_at(self):
        seen_at = self.cleaned_data["seen_at"]
        if seen_at > timezone.now() + timezone.timedelta(minutes=5):
            raise forms.ValidationError("That is in the future.")
        return seen_at

    def clean(self):
        cleaned = super().clean()
        # Where the form offers the staff list (not to an anonymous reporter: cases.anonymous_forms).
        colleague = cleaned.get("subject_kind") == SubjectKind.COLLEAGUE
        if colleague and "subject_person" in self.fields and not cleaned.get("subject_person"):
            self.add_error("subject_person", "Choose the colleague the concern is about.")
        if cleaned.get("platform") == Platform.OTHER and not cleaned.get("platform_other"):
            self.add_error("platform_other", "Name the platform.")
        return cleaned


class MoveForm(forms.Form):
    """One step of the workflow. What it asks for (a reason, an outcome) comes from the MOVES table."""

    expected_stage = forms.CharField(widget=forms.HiddenInput)
    # In the order of the page, so that the error summary lists them in that order.
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("", "Choose…"), *[(outcome.value, outcome.label) for outcome in CHOSEN_OUTCOMES]],
    )
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)

    def __init__(self, *args, move, **kwargs):
        super().__init__(*args, prefix=move.name, **kwargs)
        self.move = move
        self.fields["reason"].required = move.needs_reason
        self.fields["outcome"].required = move.needs_outcome


class ReassignForm(forms.Form):
    """Hand the case to one of the people found by the search above it. Only the matches are offered as
    choices (there may be hundreds who could take it); the choice is checked against every candidate."""

    to = forms.ModelChoiceField(
        label="Reassign to", queryset=User.objects.none(), widget=forms.RadioSelect, empty_label=None
    )
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)

    def __init__(self, *args, candidates, shown=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = candidates
        if self.is_bound and not shown:
            # Shown again after a refusal: keep the person chosen, if they may take the case.
            self.is_valid()
            shown = [self.cleaned_data["to"]] if self.cleaned_data.get("to") else []
        self.fields["to"].widget.choices = [(person.pk, person.display_name) for person in shown]


class NoteForm(forms.Form):
    # Its own ids: the note and message forms share a page, and each label must point at its own box.
    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="id_note_%s", **kwargs)

    text = forms.CharField(
        label="Internal note",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
        help_text="Never shown to the reporter.",
    )


class MessageForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="id_message_%s", **kwargs)

    text = forms.CharField(
        label="Message to the reporter",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
        help_text="The reporter sees this message on their case page.",
    )


class SavedFilterForm(forms.Form):
    """Save All cases' current filters under a name. The filters come as the list's query string and must
    be ones the list takes: a set it would refuse is not kept."""

    name = forms.CharField(label="Save these filters as", max_length=60)
    query = forms.CharField(widget=forms.HiddenInput, max_length=1000, required=False)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_query(self):
        given = QueryDict(self.cleaned_data["query"], mutable=True)
        for position in ("cursor", "page"):  # Where the list was, not what it shows.
            given.pop(position, None)
        if not given:
            raise forms.ValidationError("Choose some filters first: there is nothing to save.")
        filters = CaseFilter(given, queryset=selectors.all_cases(user=self.user))
        if not filters.is_valid():
            raise forms.ValidationError("Correct the filters before saving them.")
        return given.urlencode()


class ReporterMessageForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="id_reporter_message_%s", **kwargs)

    text = forms.CharField(
        label="Message to the person handling your concern",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
        help_text="Only the people handling your concern read it, never the person it is about.",
    )


class ReporterEvidenceForm(forms.Form):
    """More evidence from the reporter: the same checks as when raising (cases.uploads)."""

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, auto_id="id_reporter_evidence_%s", **kwargs)
        self.fields["files"].uploader = by

    files = EvidenceFilesField(required=True, label="Add evidence")
    note = forms.CharField(
        label="What it shows (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
    )


class WithdrawForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="id_withdraw_%s", **kwargs)

    reason = forms.CharField(
        label="Why do you want to withdraw it?",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        help_text="The person handling your concern reads this.",
    )
