"""The API's views: read-only, and each list starts from the same selector as the page that shows it.

Lists of cases and disciplinary records give a summary of each, never what it is about, and are not
audited, like the pages' lists; the content comes from opening one, which is audited like its page.
"""

from django.db.models import Prefetch, prefetch_related_objects
from django.http import JsonResponse
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from audit.models import AuditEntry
from audit.services import audit_record
from cases import access
from cases import selectors as case_selectors
from cases.filters import CaseFilter
from cases.models import CaseClause, CaseEvent, Evidence
from discipline import access as discipline_access
from discipline import selectors as discipline_selectors
from discipline.filters import RecordFilter
from policies import selectors as policy_selectors
from policies.filters import ClauseFilter, PolicyVersionFilter
from policies.models import Clause, ClauseItem, Policy, PolicyVersion

from . import serializers
from .pagination import KeysetPagination
from .permissions import KeepsDisciplinaryRecords
from .schema import detail_responses, list_responses

REFERENCE = r"[A-Za-z0-9-]+"
SLUG = r"[-a-zA-Z0-9_]+"
ID = r"[0-9]+"


def _clauses_in_policy_order(queryset):
    return queryset.order_by("clause__section__number", "clause__position", "pk")


# --- Policies ------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Policies",
        description="Every policy in the register, with its current (approved) version if it has one.",
        responses=list_responses(serializers.PolicySerializer),
    ),
    retrieve=extend_schema(summary="One policy", responses=detail_responses(serializers.PolicySerializer)),
)
class PolicyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.PolicySerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG
    filter_backends = []

    def get_queryset(self):
        approved = PolicyVersion.objects.filter(status=PolicyVersion.Status.APPROVED)
        return (
            Policy.objects.select_related("owner")
            .prefetch_related(Prefetch("versions", queryset=approved, to_attr="approved_versions"))
            .order_by("title")
        )


@extend_schema_view(
    list=extend_schema(
        summary="Versions of the policies",
        description="Approved and superseded versions, and drafts of the policies you manage; newest first.",
        responses=list_responses(serializers.PolicyVersionSerializer),
    ),
    retrieve=extend_schema(
        summary="One version, with its sections, clauses and items",
        responses=detail_responses(serializers.PolicyVersionDetailSerializer),
    ),
)
class PolicyVersionViewSet(viewsets.ReadOnlyModelViewSet):
    filterset_class = PolicyVersionFilter
    lookup_value_regex = ID

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the view for the schema
            return PolicyVersion.objects.none()
        versions = (
            policy_selectors.versions_for_user(user=self.request.user)
            .select_related("policy", "approved_by")
            .defer("source_text")
            .order_by("policy__title", "-number")
        )
        if self.action == "retrieve":
            versions = versions.prefetch_related("sections__clauses__items")
        return versions

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.PolicyVersionDetailSerializer
        return serializers.PolicyVersionSerializer


@extend_schema_view(
    list=extend_schema(
        summary="Clauses",
        description="Clauses of the versions you may read, in the policy's order. "
        "Filter with status=approved for the clauses in force.",
        responses=list_responses(serializers.ClauseSerializer),
    ),
    retrieve=extend_schema(summary="One clause", responses=detail_responses(serializers.ClauseSerializer)),
)
class ClauseViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.ClauseSerializer
    filterset_class = ClauseFilter
    lookup_value_regex = ID

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Clause.objects.none()
        return (
            Clause.objects.filter(
                section__version__in=policy_selectors.versions_for_user(user=self.request.user)
            )
            .select_related("section__version__policy")
            # Not the whole text of the version for each clause, nor the search copy of the clause.
            .defer("section__version__source_text", "search_document")
            .prefetch_related(Prefetch("items", queryset=ClauseItem.objects.order_by("position")))
            .order_by(
                "section__version__policy__title", "-section__version__number", "section__number", "position"
            )
        )


# --- Cases ---------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Cases you handle",
        description="The cases whose handler's page you may open: those assigned to you, every case for the "
        "Head of Business and Governance, and the cases flagged as a possible personal data breach for the "
        "Head of Information & Security. Newest first, or as `sort` says. Never a case about yourself. "
        "Each case is a summary: its content comes from opening it. In pages of 50: follow `next`.",
        responses=list_responses(serializers.CaseSummarySerializer),
    ),
    retrieve=extend_schema(
        summary="One case, with its timeline and evidence",
        description="Each read is written to the audit log, as on the case's page.",
        responses=detail_responses(serializers.CaseDetailSerializer),
    ),
)
class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    filterset_class = CaseFilter
    pagination_class = KeysetPagination  # A million cases: never counted, no OFFSET.
    lookup_field = "reference"
    lookup_value_regex = REFERENCE

    def get_queryset(self):
        numbers = CaseClause.objects.only("id", "case_id", "number")
        return (
            access.cases_open_to(self.request.user)
            .select_related("handler")
            .prefetch_related(Prefetch("clauses", queryset=_clauses_in_policy_order(numbers)))
            .order_by("-created_at", "-pk")
        )

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.CaseDetailSerializer
        return serializers.CaseSummarySerializer

    def get_object(self):
        # The pages' door, so that a case the page would refuse is a 404 here too.
        case, _ = access.get_case_for_user(
            self.request.user,
            self.kwargs["reference"],
            relations=(access.HANDLER, access.GOVERNANCE, access.INFOSEC),
        )
        prefetch_related_objects(
            [case],
            Prefetch("clauses", queryset=_clauses_in_policy_order(CaseClause.objects.all())),
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
            Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by")),
        )
        audit_record(
            actor=self.request.user,
            action=AuditEntry.Action.VIEW,
            case=case,
            what=f"viewed {case.reference} through the API",
            details={"via": "api"},
        )
        return case


@extend_schema_view(
    list=extend_schema(
        summary="Concerns you raised",
        description="Your own concerns, newest first, with only what your list of concerns shows.",
        responses=list_responses(serializers.MyConcernSerializer),
    )
)
class MyConcernViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = serializers.MyConcernSerializer
    filter_backends = []

    def get_queryset(self):
        return case_selectors.my_reports(user=self.request.user)


# --- Disciplinary records ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Disciplinary records (HR)",
        description="For HR only. Never a record about yourself. Newest first. Each record is a summary: "
        "the allegation, findings and the employee's name come from opening it.",
        responses=list_responses(serializers.DisciplinaryRecordSummarySerializer, refused=True),
    ),
    retrieve=extend_schema(
        summary="One disciplinary record (HR)",
        description="Each read is written to the audit log.",
        responses=detail_responses(serializers.DisciplinaryRecordSerializer, refused=True),
    ),
)
class DisciplinaryRecordViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [*viewsets.ReadOnlyModelViewSet.permission_classes, KeepsDisciplinaryRecords]
    pagination_class = KeysetPagination  # Years of records: never counted, no OFFSET, as the HR page.
    filterset_class = RecordFilter
    lookup_field = "reference"
    lookup_value_regex = REFERENCE

    def get_queryset(self):
        # RecordFilter hands its values to discipline.selectors.filter_records, the one door for records.
        return discipline_selectors.records_visible_to(self.request.user)

    def filter_queryset(self, queryset):
        records = super().filter_queryset(queryset)
        if self.action != "list":
            return records
        # What a summary shows: who opened it and the clause numbers, with no query per record.
        return discipline_selectors.with_clause_numbers(records.select_related("opened_by"))

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.DisciplinaryRecordSerializer
        return serializers.DisciplinaryRecordSummarySerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def get_object(self):
        record = discipline_access.get_record_for_user(self.request.user, self.kwargs["reference"])
        # As the record's page: the case it draws on, and the record in the details.
        audit_record(
            actor=self.request.user,
            action=AuditEntry.Action.VIEW,
            case=record.case,
            what=f"viewed disciplinary record {record.reference} through the API",
            details={"record": record.reference, "via": "api"},
        )
        return record


def not_found(request, path=""):
    """Any other address under /api/, e.g. a reference with characters no reference has: a 404 in JSON,
    the answer every API client expects, rather than the site's HTML page."""
    return JsonResponse({"detail": "Not found."}, status=404)
