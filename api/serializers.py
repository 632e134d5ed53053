"""What the API shows of each thing: no more than the page that shows it to the same person.

Lists of cases and disciplinary records give a summary of each (reference, stage, dates, clause numbers,
who handles it, where to read more): what they are about comes only from the detail endpoint, which is
audited like the page (UK GDPR data minimisation). People appear by name only (their display name), as on
the pages; the disciplinary record gives the employee's id, which HR need to match records to their own
systems, and its detail the name too.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import BreachDecision, Case, CaseClause, CaseEvent, Evidence
from discipline.models import AppealOutcome, DisciplinaryRecord, RecordClause
from discipline.selectors import WARNING_STATES
from policies.models import Clause, Policy, PolicyVersion, Section


def _absolute(request, path):
    return request.build_absolute_uri(path) if request is not None else path


@extend_schema_field(OpenApiTypes.URI)
class PageLinkField(serializers.Field):
    """The address of the object's page in the app, for people to follow."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        kwargs.setdefault("help_text", "The page in the app that shows this.")
        super().__init__(**kwargs)

    def to_representation(self, value):
        return _absolute(self.context.get("request"), value.get_absolute_url())


# Every field read-only: the API only reads, and the schema then marks every field as always given.
# (A comment, not a docstring: the schema would show a docstring as each object's description.)
class ReadSerializer(serializers.ModelSerializer):
    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        return fields


def _name(**kwargs):
    """A person by the name the pages show."""
    return serializers.StringRelatedField(**kwargs)


# --- Policies ------------------------------------------------------------------------------------------


class CurrentVersionSerializer(ReadSerializer):
    review_is_overdue = serializers.BooleanField(help_text="The next review date has passed.")

    class Meta:
        model = PolicyVersion
        fields = ["id", "number", "effective_date", "next_review_date", "review_is_overdue"]


class PolicySerializer(ReadSerializer):
    owner = _name(allow_null=True, help_text="Responsible for the policy and its review.")
    current_version = serializers.SerializerMethodField()
    url = PageLinkField()

    class Meta:
        model = Policy
        fields = ["slug", "title", "owner", "review_interval_months", "current_version", "url"]

    @extend_schema_field(CurrentVersionSerializer(allow_null=True))
    def get_current_version(self, policy):
        # The view prefetches the approved version (there is at most one) into `approved_versions`.
        version = next(iter(policy.approved_versions), None)
        return CurrentVersionSerializer(version).data if version else None


class ClauseSerializer(ReadSerializer):
    policy = serializers.SlugRelatedField(source="section.version.policy", slug_field="slug", read_only=True)
    version = serializers.PrimaryKeyRelatedField(source="section.version", read_only=True)
    version_number = serializers.IntegerField(source="section.version.number")
    version_status = serializers.ChoiceField(
        source="section.version.status", choices=PolicyVersion.Status.choices
    )
    section = serializers.IntegerField(source="section.number", help_text="The section's number.")
    section_title = serializers.CharField(source="section.title")
    items = serializers.SlugRelatedField(many=True, read_only=True, slug_field="text")
    url = PageLinkField()

    class Meta:
        model = Clause
        fields = [
            "id",
            "policy",
            "version",
            "version_number",
            "version_status",
            "section",
            "section_title",
            "number",
            "text",
            "items",
            "url",
        ]


class SectionClauseSerializer(ReadSerializer):
    items = serializers.SlugRelatedField(many=True, read_only=True, slug_field="text")

    class Meta:
        model = Clause
        fields = ["id", "number", "text", "items"]


class SectionSerializer(ReadSerializer):
    clauses = SectionClauseSerializer(many=True, read_only=True)

    class Meta:
        model = Section
        fields = ["number", "title", "intro", "clauses"]


class PolicyVersionSerializer(ReadSerializer):
    policy = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    policy_title = serializers.CharField(source="policy.title")
    status_label = serializers.CharField(source="get_status_display")
    approved_by = _name(allow_null=True)
    url = PageLinkField()

    class Meta:
        model = PolicyVersion
        fields = [
            "id",
            "policy",
            "policy_title",
            "number",
            "status",
            "status_label",
            "approved_at",
            "approved_by",
            "effective_date",
            "next_review_date",
            "url",
        ]


class PolicyVersionDetailSerializer(PolicyVersionSerializer):
    sections = SectionSerializer(many=True, read_only=True)

    class Meta(PolicyVersionSerializer.Meta):
        fields = [*PolicyVersionSerializer.Meta.fields, "sections"]


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


# --- Cases ---------------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.URI)
class ApiDetailLinkField(serializers.Field):
    """The address of the object's detail in the API."""

    def __init__(self, view_name, **kwargs):
        self.view_name = view_name
        kwargs.update(source="reference", read_only=True)
        kwargs.setdefault("help_text", "Its detail in the API: the content, and each read is audited.")
        super().__init__(**kwargs)

    def to_representation(self, value):
        return _absolute(self.context.get("request"), reverse(self.view_name, args=[value]))


class ClauseNumbersField(serializers.ListField):
    def __init__(self, **kwargs):
        kwargs.update(source="clauses.all", read_only=True, child=serializers.CharField())
        kwargs.setdefault("help_text", "The numbers of the clauses cited, in the policy's order.")
        super().__init__(**kwargs)

    def to_representation(self, clauses):
        return [clause.number for clause in clauses]


class CaseSummarySerializer(ReadSerializer):
    """A case in the list: where it stands and who handles it, never what it is about."""

    stage_label = serializers.CharField(source="get_stage_display")
    raised_at = serializers.DateTimeField(source="created_at")
    due_on = serializers.DateField(
        allow_null=True,
        help_text="The day by which what waits next at the case's stage is due (triage, a governance "
        "decision); null at other stages. The list's `due` sort.",
    )
    clauses = ClauseNumbersField()
    handler = PersonSerializer(allow_null=True)
    detail = ApiDetailLinkField("api:case-detail")
    url = PageLinkField()

    class Meta:
        model = Case
        fields = [
            "reference",
            "stage",
            "stage_label",
            "raised_at",
            "stage_changed_at",
            "due_on",
            "clauses",
            "handler",
            "detail",
            "url",
        ]


class CaseClauseSerializer(ReadSerializer):
    text = serializers.CharField(help_text="The clause as it read when the concern was raised.")

    class Meta:
        model = CaseClause
        fields = ["number", "text"]


class CaseSerializer(ReadSerializer):
    """The case as its handler's page shows it, without the timeline."""

    stage_label = serializers.CharField(source="get_stage_display")
    outcome_label = serializers.CharField(source="get_outcome_display")
    raised_at = serializers.DateTimeField(source="created_at")
    platform_name = serializers.CharField(help_text="The platform, or what was given for another one.")
    subject_kind_label = serializers.CharField(source="get_subject_kind_display")
    subject_person = _name(allow_null=True, help_text="The colleague the concern is about, if it is one.")
    links = serializers.ListField(child=serializers.CharField(), source="link_list")
    clauses = CaseClauseSerializer(many=True, read_only=True)
    handler = _name(allow_null=True)
    reporter = _name(allow_null=True, help_text="Empty for a concern raised anonymously.")
    reporter_team = _name(allow_null=True, help_text="The reporter's team when the concern was raised.")
    url = PageLinkField()

    class Meta:
        model = Case
        fields = [
            "reference",
            "stage",
            "stage_label",
            "stage_changed_at",
            "outcome",
            "outcome_label",
            "raised_at",
            "subject_kind",
            "subject_kind_label",
            "subject_person",
            "subject_description",
            "platform",
            "platform_name",
            "links",
            "seen_at",
            "description",
            "identifies_service_user_or_carer",
            "discloses_confidential_information",
            "personal_data_breach_at",
            "clauses",
            "reporter",
            "reporter_team",
            "handler",
            "routing_note",
            "url",
        ]


class CaseEventSerializer(ReadSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    actor = _name(allow_null=True)

    class Meta:
        model = CaseEvent
        fields = [
            "at",
            "kind",
            "kind_label",
            "actor",
            "from_stage",
            "to_stage",
            "text",
            "visible_to_reporter",
        ]


class EvidenceSerializer(ReadSerializer):
    name = serializers.CharField(source="original_name")
    uploaded_by = _name(allow_null=True, help_text="Empty for a file the anonymous reporter added.")
    url = serializers.SerializerMethodField(help_text="Where to download it; each download is audited.")
    sha256 = serializers.CharField(
        read_only=True, help_text="SHA-256 of the file as uploaded, in hex: the download must match it."
    )

    class Meta:
        model = Evidence
        fields = ["name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at", "url"]

    def get_url(self, item) -> str:
        path = reverse("cases:evidence", args=[item.case.reference, item.pk])
        return _absolute(self.context.get("request"), path)


class BreachDecisionSerializer(ReadSerializer):
    decided_by = _name()

    class Meta:
        model = BreachDecision
        fields = ["reported_to_ico", "ico_reference", "reasons", "decided_by", "decided_at"]


class CaseDetailSerializer(CaseSerializer):
    """One case, with the timeline (internal notes included), evidence and personal data breach decision
    its handler's page shows."""

    events = CaseEventSerializer(many=True, read_only=True, help_text="The timeline, oldest first.")
    evidence = EvidenceSerializer(many=True, read_only=True)
    breach_decision_due_at = serializers.DateTimeField(
        allow_null=True, help_text="When the decision whether to report to the ICO is due, if flagged."
    )
    breach_decision = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "events",
            "evidence",
            "breach_decision_due_at",
            "breach_decision",
        ]

    @extend_schema_field(BreachDecisionSerializer(allow_null=True))
    def get_breach_decision(self, case):
        decision = BreachDecision.objects.filter(case=case).select_related("decided_by").first()
        return BreachDecisionSerializer(decision).data if decision else None


class MyConcernSerializer(ReadSerializer):
    """What the reporter's own list shows: never the handler, the notes or the outcome."""

    stage_label = serializers.CharField(source="get_stage_display")
    raised_at = serializers.DateTimeField(source="created_at")
    url = PageLinkField()

    class Meta:
        model = Case
        fields = ["reference", "stage", "stage_label", "raised_at", "url"]


# --- Disciplinary records ------------------------------------------------------------------------------


class TeamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RecordClauseSerializer(ReadSerializer):
    text = serializers.CharField(help_text="The clause as it read when the record was opened.")

    class Meta:
        model = RecordClause
        fields = ["number", "text"]


class InvestigationSerializer(ReadSerializer):
    investigator = _name(allow_null=True)
    summary = serializers.CharField(source="investigation_summary")
    completed_on = serializers.DateField(source="investigation_completed_on", allow_null=True)

    class Meta:
        model = DisciplinaryRecord
        fields = ["investigator", "summary", "completed_on"]


class HearingSerializer(ReadSerializer):
    heard_by = _name(allow_null=True)
    held_on = serializers.DateField(source="hearing_held_on", allow_null=True)
    notes = serializers.CharField(source="hearing_notes")

    class Meta:
        model = DisciplinaryRecord
        fields = [
            "invitation_sent_on",
            "hearing_arranged_for",
            "invitation_notes",
            "held_on",
            "heard_by",
            "companion",
            "notes",
        ]


class AppealSerializer(ReadSerializer):
    lodged_on = serializers.DateField(source="appeal_lodged_on", allow_null=True)
    grounds = serializers.CharField(source="appeal_grounds")
    heard_on = serializers.DateField(source="appeal_heard_on", allow_null=True)
    heard_by = _name(source="appeal_heard_by", allow_null=True)
    outcome = serializers.ChoiceField(
        source="appeal_outcome", choices=AppealOutcome.choices, allow_blank=True
    )
    outcome_label = serializers.CharField(source="get_appeal_outcome_display")
    reasons = serializers.CharField(source="appeal_reasons")

    class Meta:
        model = DisciplinaryRecord
        fields = ["lodged_on", "grounds", "heard_on", "heard_by", "outcome", "outcome_label", "reasons"]


class _RecordSerializer(ReadSerializer):
    """What the list and the detail of a disciplinary record both say of its warning."""

    warning_status = serializers.SerializerMethodField(
        help_text="live or expired for a written warning in force; empty for any other outcome."
    )

    @extend_schema_field(serializers.ChoiceField(choices=WARNING_STATES, allow_blank=True))
    def get_warning_status(self, record):
        return record.warning_status(self.context.get("today"))


class DisciplinaryRecordSummarySerializer(_RecordSerializer):
    """A record in the list: its step and outcome, dates and clause numbers, never the allegation, the
    findings or the employee's name."""

    employee = serializers.IntegerField(source="employee_id", help_text="The employee's id.")
    step_label = serializers.CharField(source="get_step_display")
    outcome_label = serializers.CharField(source="get_outcome_display")
    outcome_in_force_label = serializers.CharField(source="get_outcome_in_force_display")
    clauses = ClauseNumbersField(help_text="The numbers of the clauses, in the policy's order.")
    opened_by = PersonSerializer()
    detail = ApiDetailLinkField("api:disciplinary-record-detail")
    url = PageLinkField()

    class Meta:
        model = DisciplinaryRecord
        fields = [
            "reference",
            "employee",
            "step",
            "step_label",
            "outcome",
            "outcome_label",
            "outcome_in_force",
            "outcome_in_force_label",
            "warning_status",
            "opened_on",
            "decided_on",
            "warning_expires_on",
            "clauses",
            "opened_by",
            "detail",
            "url",
        ]


class DisciplinaryRecordSerializer(_RecordSerializer):
    employee = PersonSerializer()
    team = TeamSerializer(source="employee_team", allow_null=True, help_text="When the record was opened.")
    severity_label = serializers.CharField(source="get_severity_display")
    step_label = serializers.CharField(source="get_step_display")
    clauses = RecordClauseSerializer(many=True, read_only=True)
    investigation = InvestigationSerializer(source="*")
    hearing = HearingSerializer(source="*")
    outcome_label = serializers.CharField(source="get_outcome_display")
    reasons = serializers.CharField(source="outcome_reasons")
    outcome_in_force_label = serializers.CharField(source="get_outcome_in_force_display")
    appeal = AppealSerializer(source="*")
    case = serializers.SlugRelatedField(
        slug_field="reference",
        read_only=True,
        allow_null=True,
        help_text="The case the investigation draws on, if any.",
    )
    opened_by = _name()
    url = PageLinkField()

    class Meta:
        model = DisciplinaryRecord
        fields = [
            "reference",
            "employee",
            "team",
            "employment_type",
            "severity",
            "severity_label",
            "step",
            "step_label",
            "allegation",
            "clauses",
            "investigation",
            "hearing",
            "outcome",
            "outcome_label",
            "reasons",
            "decided_on",
            "outcome_in_force",
            "outcome_in_force_label",
            "warning_expires_on",
            "warning_status",
            "appeal",
            "case",
            "opened_on",
            "opened_by",
            "url",
        ]
