import uuid

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils import timezone

from core.errors import DomainError
from core.limits import LINK, LONG_TEXT
from people.models import User

from . import draft_services, selectors
from .clause_suggestions import clause_stems, clauses_suggested
from .draft_services import FILES_NOT_KEPT, NO_LONGER_KEPT
from .evidence import EvidenceFilesField
from .filters import CaseFilter
from .models import ConcernDraft, KeptFile, Platform, Route, SubjectKind
from .workflow import CHOSEN_OUTCOMES

# A concern about one of these names the person by a description: they have no account here.
DESCRIBED_SUBJECTS = {SubjectKind.SERVICE_USER, SubjectKind.CARER, SubjectKind.PUBLIC}


class ClauseCheckboxes(forms.CheckboxSelectMultiple):
    """Each clause's checkbox carries its words (data-words), for the suggestions made as one types."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        clause = getattr(value, "instance", None)
        if clause is not None:
            option["attrs"]["data-words"] = " ".join(sorted(clause_stems(clause)))
        return option


class ClauseChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, clause):
        return f"{clause.number} {clause.text[:110]}{'…' if len(clause.text) > 110 else ''}"


class KeptFilesField(forms.Field):
    """The ids of files kept from an earlier try (cases.drafts.KeptFile): cleans to the owner's own.

    One that is not (any more) theirs to claim is an error, and is not shown again, so the next try
    goes through with the others."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)
        self.queryset = KeptFile.objects.none()

    def to_python(self, value):
        ids = []
        for text in value or []:
            try:
                ids.append(uuid.UUID(str(text)))
            except ValueError:
                ids.append(None)
        return ids

    def clean(self, value):
        ids = self.to_python(value)
        found = list(self.queryset.filter(pk__in=[pk for pk in ids if pk]))
        self.found = found
        if len(found) != len(set(ids)):
            raise forms.ValidationError(NO_LONGER_KEPT, code="no_longer_kept")
        return found


class RaiseConcernForm(forms.Form):
    """A concern, as the reporter raises it. Besides checking what was typed, it keeps what was chosen:
    files chosen on a try sent back with errors are kept (keep_files) and attached on the next, and a
    half-written concern may be saved as a draft (draft_data)."""

    subject_kind = forms.ChoiceField(
        label="Who is it about?", choices=SubjectKind.choices, widget=forms.RadioSelect
    )
    subject_person = forms.ModelChoiceField(
        label="Which colleague is it about?",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose the colleague",
        help_text="Needed for a concern about a colleague: the member of focus staff who posted it.",
    )
    subject_description = forms.CharField(
        label="Who posted it?",
        max_length=300,
        required=False,
        help_text="For a service user, carer or member of the public: their name, the account's name or a "
        "description. They need no account here.",
    )
    platform = forms.ChoiceField(
        label="Where was it posted?", choices=[("", "Choose the platform"), *Platform.offered()]
    )
    platform_other = forms.CharField(
        label="Platform name", max_length=100, required=False, help_text="Needed if you chose Other."
    )
    links = forms.CharField(
        label="Links to the posting",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=LONG_TEXT,
        required=False,
        help_text=f"One web address per line, each at most {LINK:,} characters.",
    )
    seen_at = forms.DateTimeField(
        label="When did you see it?",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    incident_on = forms.DateField(
        label="When was it posted, or when did it happen?",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="If you know it; otherwise the day you saw it is taken. The policy is read as it stood "
        "on that day.",
    )
    description = forms.CharField(
        label="What did you see?", widget=forms.Textarea(attrs={"rows": 6}), max_length=LONG_TEXT
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
    kept_files = KeptFilesField()
    discarded_files = KeptFilesField()
    clauses = ClauseChoiceField(
        label="Clauses it may breach",
        queryset=None,
        required=False,
        widget=ClauseCheckboxes,
        help_text="Choose any that seem to apply; whoever handles the concern can add to them.",
    )
    route = forms.ChoiceField(
        label="Who should look at it first?",
        choices=Route.choices,
        initial=Route.SUPERVISOR,
        widget=forms.RadioSelect,
        help_text="Clause 9.1: your supervisor or a Head of Service.",
    )
    draft = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # Shown only with the kind of concern (or platform) they belong to; never "(optional)" (the template).
    CONDITIONAL = {"subject_person", "subject_description", "platform_other"}
    # What a draft keeps: what was typed, not the files (kept with the draft) or the draft's own id.
    NOT_DRAFTED = {"evidence", "kept_files", "discarded_files", "draft"}

    def __init__(self, *args, reporter, policy_version, draft=None, **kwargs):
        self.reporter = reporter
        super().__init__(*args, **kwargs)
        if draft is not None and not self.is_bound:
            self.initial.update(self.initial_from(draft), draft=draft.pk)
        self.fields["subject_person"].queryset = User.objects.filter(is_active=True).exclude(pk=reporter.pk)
        self.fields["evidence"].uploader = reporter
        self.fields["clauses"].queryset = policy_version.clauses().prefetch_related("items")
        # Files are kept for an account only: an anonymous reporter (cases.anonymous_forms) has none.
        kept = KeptFile.objects.claimable(owner=reporter) if reporter.pk else KeptFile.objects.none()
        for name in ("kept_files", "discarded_files"):
            self.fields[name].queryset = kept
        for name in self.CONDITIONAL:
            self.fields[name].conditional = True
        # What is kept now: on a new form, the draft's files; after a try, those it still names.
        self.kept = list(draft.kept_files.all()) if draft is not None and not self.is_bound else []

    def initial_from(self, draft):
        """The draft's values as the form's initial values (a list for the fields that take several)."""
        initial = {}
        for name, values in draft.data.items():
            field = self.base_fields.get(name)
            if field is None or name in self.NOT_DRAFTED or not isinstance(values, list):
                continue
            multiple = isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
            initial[name] = values if multiple else (values[0] if values else "")
        return initial

    def clean_links(self):
        validate = forms.URLField(assume_scheme="https").clean
        links = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        for link in links:
            if len(link) > LINK:
                raise forms.ValidationError(
                    f"Each link may be at most {LINK:,} characters (you gave {len(link):,} in the one "
                    f"starting “{link[:40]}…”)."
                )
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

    def clean_draft(self):
        # A draft that has gone (expired, deleted, never the reporter's) is no error: this is a new concern.
        pk = self.cleaned_data["draft"]
        return ConcernDraft.objects.filter(pk=pk, reporter=self.reporter).first() if pk else None

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("subject_kind")
        # Where the form offers the staff list (not to an anonymous reporter: cases.anonymous_forms).
        if (
            kind == SubjectKind.COLLEAGUE
            and "subject_person" in self.fields
            and not cleaned.get("subject_person")
        ):
            self.add_error("subject_person", "Choose the colleague the concern is about.")
        if kind in DESCRIBED_SUBJECTS and not cleaned.get("subject_description", "").strip():
            self.add_error(
                "subject_description",
                "Say who posted it: a name, an account's name or a description (they need no account here).",
            )
        incident_on, seen_at = cleaned.get("incident_on"), cleaned.get("seen_at")
        if incident_on and seen_at and incident_on > timezone.localdate(seen_at):
            self.add_error("incident_on", "That is after the day you saw it.")
        if cleaned.get("platform") == Platform.OTHER and not cleaned.get("platform_other", "").strip():
            self.add_error("platform_other", "Name the platform.")
        if "evidence" in cleaned and "kept_files" in cleaned:
            discarded = set(cleaned.get("discarded_files") or [])
            count = len(cleaned["evidence"]) + len(set(cleaned["kept_files"]) - discarded)
            if count > settings.EVIDENCE_MAX_FILES:
                self.add_error("evidence", f"Choose at most {settings.EVIDENCE_MAX_FILES} files in all.")
        return cleaned

    def _chosen(self):
        """(the newly chosen files that passed the checks, the kept ones still named, those removed)."""
        self.is_valid()
        fresh = self.fields["evidence"].accepted
        kept = getattr(self.fields["kept_files"], "found", [])
        discarded = getattr(self.fields["discarded_files"], "found", [])
        return fresh, [k for k in kept if k not in discarded], discarded

    def keep_files(self):
        """After a try sent back with errors: keep the files chosen on it, forget those removed, so that
        the page shows "kept: name" for each and the next try attaches them."""
        fresh, kept, discarded = self._chosen()
        draft_services.kept_files_discard(owner=self.reporter, files=discarded)
        try:
            stored = draft_services.kept_files_store(owner=self.reporter, files=fresh)
        except DomainError:  # The storage failed: the files chosen this time could not be kept.
            stored = []
            self.add_error("evidence", FILES_NOT_KEPT)
        self.kept = kept + stored

    def draft_data(self):
        """The keyword arguments of draft_services.draft_save: what was typed and chosen, unchecked."""
        fresh, kept, discarded = self._chosen()
        data = {
            name: self.data.getlist(name)
            for name in self.fields
            if name not in self.NOT_DRAFTED and name in self.data
        }
        return {
            "data": data,
            "draft": self.cleaned_data.get("draft"),
            "files": fresh,
            "kept_files": kept,
            "discarded_files": discarded,
        }

    def suggested_clauses(self):
        """[(clause, its checkbox's id)] the description suggests (cases.clause_suggestions), best first:
        listed above the checkboxes, each a label for its checkbox."""
        description = self.data.get("description") if self.is_bound else self.initial.get("description")
        clauses = list(self.fields["clauses"].queryset)
        suggested = clauses_suggested(description=description or "", clauses=clauses)
        if not suggested:
            return []
        ids = {box.data["value"].value: box.id_for_label for box in self["clauses"]}
        return [(clause, ids[clause.pk]) for clause in suggested]


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


class WitnessForm(forms.Form):
    """Name one of the people found by the search above it as a witness, as ReassignForm does: only the
    matches are offered, the choice is checked against every candidate."""

    person = forms.ModelChoiceField(
        label="Name as a witness", queryset=User.objects.none(), widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, *args, candidates, shown=(), **kwargs):
        super().__init__(*args, auto_id="id_witness_%s", **kwargs)
        self.fields["person"].queryset = candidates
        if self.is_bound and not shown:
            self.is_valid()
            shown = [self.cleaned_data["person"]] if self.cleaned_data.get("person") else []
        self.fields["person"].widget.choices = [(person.pk, person.display_name) for person in shown]


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
