"""Concerns raised under the Social Media Policy (section 9) and the cases that follow them."""

import datetime
from functools import lru_cache

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.choices import ChoiceLabels
from core.limits import CLAUSE_TEXT, LONG_TEXT, TIMELINE_TEXT, length_checks
from reminders.due import WorkItem

from .sealed import evidence_storage
from .workflow import (  # noqa: F401 - given from here too, as before
    AWAITING_DECISION,
    BREACH_OUTCOMES,
    CLOSED_STAGES,
    GOVERNANCE,
    GOVERNANCE_STAGES,
    HANDLER,
    MOVES,
    STAGE_FOR_REPORTER,
    TRIAGE_STAGES,
    WAITING_FOR,
    WITHDRAWN_FOR_REPORTER,
    Move,
    Outcome,
    Stage,
    stage_position,
)


class SubjectKind(models.TextChoices):
    COLLEAGUE = "colleague", "A colleague (a member of focus staff)"
    SERVICE_USER = "service_user", "A service user"
    CARER = "carer", "A carer"
    PUBLIC = "public", "A member of the public"
    UNKNOWN = "unknown", "Unknown"


class Platform(models.TextChoices):
    # Clause 2.2: all forms of social media. In the order the raise form offers them.
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    TWITTER = "twitter", "X (Twitter)"
    TIKTOK = "tiktok", "TikTok"
    LINKEDIN = "linkedin", "LinkedIn"
    YOUTUBE = "youtube", "YouTube"
    WHATSAPP = "whatsapp", "WhatsApp"
    SNAPCHAT = "snapchat", "Snapchat"
    REDDIT = "reddit", "Reddit"
    BLOG = "blog", "A blog or website"
    OTHER = "other", "Other"
    # Retired: old cases keep them (and show them by name), new concerns are not offered them.
    GOOGLE_PLUS = "google_plus", "Google+"
    WIKIPEDIA = "wikipedia", "Wikipedia"

    @classmethod
    def offered(cls):
        """The choices for a new concern or notice: every platform but the retired ones."""
        return [(platform.value, platform.label) for platform in cls if platform not in RETIRED_PLATFORMS]


RETIRED_PLATFORMS = frozenset({Platform.GOOGLE_PLUS, Platform.WIKIPEDIA})


class Route(models.TextChoices):
    # Clause 9.1: raise concerns with your supervisor or a Head of Service in the first instance.
    SUPERVISOR = "supervisor", "My supervisor"
    HEAD_OF_SERVICE = "head_of_service", "A Head of Service"


@lru_cache(maxsize=1)
def _case_url_template():
    return reverse("cases:detail", args=["REFERENCE"])


def case_url(reference):
    """The case page's path. Built from one reverse(): sweeps make thousands of links at a time."""
    return _case_url_template().replace("REFERENCE", reference)


class CaseQuerySet(models.QuerySet):
    def closed_since(self, moment):
        """The cases at a closed stage that closed at or after `moment`: a closed case's stage_changed_at is
        when it closed, as nothing but reopening (a new stage) moves it on. The reports' "closed since" and
        the list's `closed_from` alike; case_closed_at_idx serves the range."""
        return self.filter(stage__in=CLOSED_STAGES, stage_changed_at__gte=moment)


class Case(ChoiceLabels, models.Model):
    reference = models.CharField(max_length=20, unique=True)
    policy_version = models.ForeignKey("policies.PolicyVersion", on_delete=models.PROTECT, related_name="+")
    # Empty for a concern raised anonymously (cases.anonymous) until its reporter puts their name to it.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_reported",
    )
    # Raised without a name: stays true after the reporter puts their name to it, so handlers know.
    raised_anonymously = models.BooleanField(default=False, db_default=False)
    reporter_team = models.ForeignKey(
        "people.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The reporter's team when the concern was raised.",
    )
    subject_kind = models.CharField("who or what it is about", max_length=20, choices=SubjectKind.choices)
    # No reverse accessor: nothing should lead from a person to the concerns about them.
    subject_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_description = models.CharField(max_length=300, blank=True)
    platform = models.CharField(max_length=20, choices=Platform.choices)
    platform_other = models.CharField("other platform", max_length=100, blank=True)
    links = models.TextField(max_length=LONG_TEXT, blank=True, help_text="One address per line.")
    seen_at = models.DateTimeField("when it was seen")
    # The clauses are read as they stood on this day (policies.selectors.version_in_force): the day it was
    # seen when the reporter does not say. Nullable so that adding it to a million cases is instant; its
    # migration fills it from seen_at.
    incident_on = models.DateField("when it was posted or happened", null=True, blank=True)
    description = models.TextField("what was seen", max_length=LONG_TEXT)
    identifies_service_user_or_carer = models.BooleanField(default=False)
    discloses_confidential_information = models.BooleanField(default=False)
    route = models.CharField(max_length=20, choices=Route.choices, default=Route.SUPERVISOR)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_handled",
    )
    routing_note = models.TextField(
        max_length=LONG_TEXT, blank=True, help_text="Why the case went where it went."
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.SUBMITTED, db_index=True)
    # The stage's place in the workflow, kept by the database: see stage_position.
    stage_order = models.GeneratedField(
        expression=stage_position(), output_field=models.PositiveSmallIntegerField(), db_persist=True
    )
    stage_changed_at = models.DateTimeField(default=timezone.now)
    # The day by which what waits next at this stage is due: the triage or governance reminder's day (the
    # same deadline as the home queues), none at other stages. Kept by cases.timers.case_due_refresh when
    # the stage or its timers change; stored so that the lists sort by it through an index.
    due_on = models.DateField(null=True, blank=True)
    # due_on for sorting soonest or latest first, with no deadline (closed cases) last either way: keyset
    # pages need a value on every row. Kept by the database.
    due_soonest = models.GeneratedField(
        expression=Coalesce("due_on", Value(datetime.date.max)),
        output_field=models.DateField(),
        db_persist=True,
    )
    due_latest = models.GeneratedField(
        expression=Coalesce("due_on", Value(datetime.date.min)),
        output_field=models.DateField(),
        db_persist=True,
    )
    # How many working days the first triage and the first decision took (reminders.calendar.
    # working_days_taken; the moments as cases.timers says), none until done: set once by cases.timers.
    # case_timings_record, stored so that the reports count them and All cases filters by them.
    triage_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    decision_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # UK GDPR article 33: when the case was flagged as a possible personal data breach, starting the
    # clock for the decision whether to report it to the Information Commissioner's Office.
    personal_data_breach_at = models.DateTimeField(null=True, blank=True)
    # Set when the retention schedule (or a granted erasure request) anonymised the case: its people, free
    # text and files are gone; its dates, clauses, platform, stage and outcome stay for the reports.
    anonymised_at = models.DateTimeField(null=True, blank=True)
    # When the reporter withdrew the concern (cases.reporter): kept if the handler continues it regardless.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Since when a message from the reporter has waited for an answer (a message to them clears it): the
    # handlers' work queue of messages from reporters.
    reporter_waiting_since = models.DateTimeField(null=True, blank=True)
    # Its reminders and escalations (cases.timers, cases.breach); removal requests have their own.
    timers = GenericRelation(
        "reminders.Timer", object_id_field="subject_id", content_type_field="subject_type"
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("follow_case", "Can follow a case they reported"),
            ("handle_case", "Can handle an assigned case"),
            ("manage_all_cases", "Can see and act on every case (Head of Business and Governance)"),
            ("decide_breach", "Can decide whether to report a personal data breach to the ICO"),
            ("export_cases", "Can export cases"),
            ("view_reports", "Can see the governance reports"),
        ]
        indexes = [
            # All cases sorted by stage (and filtered by a stage, newest first): an index range, no sort.
            models.Index(fields=["stage_order", "created_at", "id"], name="case_stage_order_idx"),
            # The governance queue in its order: thousands of cases among a million, read a page at a time.
            models.Index(
                fields=["stage_changed_at", "id"],
                condition=Q(stage__in=GOVERNANCE_STAGES),
                name="case_governance_queue_idx",
            ),
            # The open cases of a handler (who has left): not every case they ever handled.
            models.Index(
                fields=["handler"], condition=~Q(stage__in=CLOSED_STAGES), name="case_open_by_handler_idx"
            ),
            # A reporter's open concerns, counted on their every home page: not every case they raised (nor,
            # as PostgreSQL chose without it, every open case of every handler).
            models.Index(
                fields=["reporter"], condition=~Q(stage__in=CLOSED_STAGES), name="case_open_by_reporter_idx"
            ),
            # All cases of a team, newest first (the list's own order): not every case read to find them.
            models.Index(fields=["reporter_team", "created_at", "id"], name="case_team_created_idx"),
            # All cases by deadline, either way (keyset pages: an index range, no sort).
            models.Index(fields=["due_soonest", "id"], name="case_due_soonest_idx"),
            models.Index(fields=["due_latest", "id"], name="case_due_latest_idx"),
            # All cases by the working days a triage or decision took (time_to_triage, time_to_decision): a
            # band few cases fall in is found here, not by walking every case newest first (1.1 s at 1M).
            models.Index(
                fields=["triage_working_days"],
                condition=Q(triage_working_days__isnull=False),
                name="case_triage_days_idx",
            ),
            models.Index(
                fields=["decision_working_days"],
                condition=Q(decision_working_days__isnull=False),
                name="case_decision_days_idx",
            ),
            # The governance queue by deadline: its cases with action in progress (no deadline) are not
            # found among every closed case at the end of the indexes above.
            models.Index(
                fields=["due_soonest", "id"],
                condition=Q(stage__in=GOVERNANCE_STAGES),
                name="case_governance_due_idx",
            ),
            models.Index(
                fields=["due_latest", "id"],
                condition=Q(stage__in=GOVERNANCE_STAGES),
                name="case_governance_latest_idx",
            ),
            # The reports find the months whose cases changed since their figures were stored.
            models.Index(fields=["updated_at"], name="case_updated_at"),
            # The retention sweep reads the closed cases not yet anonymised, by when they closed.
            models.Index(
                fields=["stage_changed_at"],
                condition=Q(stage__in=CLOSED_STAGES, anonymised_at__isnull=True),
                name="case_retention_due_idx",
            ),
            # The cases closed since a day (a review pack's, the list's `closed_from`): most of a million
            # cases are closed, those closed since a recent day few.
            models.Index(
                fields=["stage_changed_at"], condition=Q(stage__in=CLOSED_STAGES), name="case_closed_at_idx"
            ),
            # The breach decisions queue: the few flagged cases among a million, the oldest clock first.
            models.Index(
                fields=["personal_data_breach_at", "id"],
                condition=Q(personal_data_breach_at__isnull=False),
                name="case_breach_flagged_idx",
            ),
            # The few cases whose reporter waits for an answer, among a million.
            models.Index(
                fields=["reporter_waiting_since", "id"],
                condition=Q(reporter_waiting_since__isnull=False),
                name="case_reporter_waiting_idx",
            ),
        ]
        constraints = [
            *length_checks(links=LONG_TEXT, description=LONG_TEXT, routing_note=LONG_TEXT),
            # An anonymised concern about a colleague no longer names them.
            # An anonymous reporter is shown no staff list: they name the colleague in words.
            models.CheckConstraint(
                condition=Q(subject_kind="colleague", subject_person__isnull=False)
                | (~Q(subject_kind="colleague") & Q(subject_person__isnull=True))
                | Q(anonymised_at__isnull=False, subject_person__isnull=True)
                | Q(raised_anonymously=True, subject_person__isnull=True, subject_description__gt=""),
                name="colleague_concern_names_the_colleague",
            ),
            models.CheckConstraint(
                condition=Q(reporter__isnull=False) | Q(raised_anonymously=True),
                name="only_anonymous_concerns_have_no_reporter",
            ),
            models.CheckConstraint(
                condition=~Q(subject_person=models.F("reporter")), name="reporter_is_not_the_subject"
            ),
            models.CheckConstraint(
                condition=Q(stage__in=CLOSED_STAGES, outcome__gt="")
                | (~Q(stage__in=CLOSED_STAGES) & Q(outcome="")),
                name="closed_cases_have_an_outcome",
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return case_url(self.reference)

    @property
    def is_closed(self):
        return self.stage in CLOSED_STAGES

    def next_work(self):
        """What waits next on the case and by when, with its status pill (reminders.due), for the lists."""
        return WorkItem(self.reference, self.get_absolute_url(), WAITING_FOR[self.stage], self.due_on)

    @property
    def is_withdrawn(self):
        return self.outcome == Outcome.WITHDRAWN

    def stage_for_reporter(self):
        """The stage in the reporter's plain words (cases.workflow.STAGE_FOR_REPORTER)."""
        return WITHDRAWN_FOR_REPORTER if self.is_withdrawn else STAGE_FOR_REPORTER[self.stage]

    def platform_name(self):
        if self.platform == Platform.OTHER and self.platform_other:
            return self.platform_other
        return self.get_platform_display()

    def link_list(self):
        return [line.strip() for line in self.links.splitlines() if line.strip()]

    def subject_label(self):
        if self.subject_person_id:
            return str(self.subject_person)
        label = self.get_subject_kind_display()
        return f"{label}: {self.subject_description}" if self.subject_description else label

    @property
    def is_anonymous(self):
        """Raised anonymously and not (yet) named by its reporter: nobody's account follows it."""
        return self.reporter_id is None

    def reporter_label(self):
        return "anonymous reporter" if self.is_anonymous else str(self.reporter)

    def moves_from_here(self):
        return [move for move in MOVES.values() if self.stage in move.sources]

    def breach_decision_due_at(self):
        """When the decision whether to report to the ICO is due: clock hours, not working days."""
        if self.personal_data_breach_at is None:
            return None
        from reminders.models import Limits

        return self.personal_data_breach_at + datetime.timedelta(hours=Limits.current().breach_decision_hours)

    def breach_decision_is_overdue(self, now=None):
        due = self.breach_decision_due_at()
        if due is None or (now or timezone.now()) <= due:
            return False
        return not BreachDecision.objects.filter(case=self).exists()


class CaseUserObjectPermission(UserObjectPermissionBase):
    """Per-case grants (reporter follows, handler handles) with a real foreign key, for fast filtering."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseClause(models.Model):
    """A clause the concern may breach, with its text as it stood when the concern was raised."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clauses")
    # Indexed with the case (case_clause_cited_idx), not alone: whether any case cites a clause is one
    # index-only probe, for the clause filter's choices.
    clause = models.ForeignKey("policies.Clause", on_delete=models.PROTECT, related_name="+", db_index=False)
    number = models.CharField(max_length=20)
    text = models.TextField(max_length=CLAUSE_TEXT)

    class Meta:
        ordering = ["case", "clause__section__number", "clause__position"]
        indexes = [
            models.Index(fields=["clause", "case"], name="case_clause_cited_idx"),
            # A case's clause numbers read from the index alone (an index-only scan), without visiting the
            # table: the case export joins them for each of a million cases.
            models.Index(fields=["case", "number"], name="case_clause_numbers_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case", "clause"], name="unique_case_clause"),
            *length_checks(text=CLAUSE_TEXT),
        ]

    def __str__(self):
        return f"{self.case} – clause {self.number}"


class ReferenceCounter(models.Model):
    """The last case number used for a prefix and year, e.g. SMP 2026 → 42 gives SMP-2026-0042."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="unique_reference_counter")]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last_number}"


def evidence_path(instance, filename):
    # A generated name: nothing the reporter typed ends up in a path.
    return f"evidence/{instance.case.reference}/{instance.stored_name}"


class Evidence(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    # Sealed at rest (cases/sealed.py): the storage holds only ciphertext.
    file = models.FileField(upload_to=evidence_path, max_length=200, storage=evidence_storage)
    stored_name = models.CharField(max_length=80, editable=False)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, help_text="Found from the file's content, not its name.")
    size = models.PositiveIntegerField()
    # SHA-256 of the file as uploaded, shown on the case: its chain of custody.
    sha256 = models.CharField(max_length=64)
    # Empty for a file an anonymous reporter added (cases.reporter).
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    # The fingerprint (cases.sealed.key_id) of the key that sealed the stored file; empty for a file stored
    # before encryption came in. rotate_evidence_key re-seals every row whose key is not the first.
    sealed_with = models.CharField(max_length=16, blank=True, db_default="", editable=False)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self):
        return self.original_name

    @property
    def is_image(self):
        return self.content_type.startswith("image/")

    @property
    def is_pdf(self):
        return self.content_type == "application/pdf"

    @property
    def has_preview(self):
        """Images and PDFs are shown in the browser, without their metadata (cases/previews.py)."""
        return self.is_image or self.is_pdf


class CaseEvent(ChoiceLabels, models.Model):
    """One line of the case timeline. Every change to a case writes one, in the same transaction."""

    class Kind(models.TextChoices):
        RAISED = "raised", "Concern raised"
        ROUTED = "routed", "Routed"
        STAGE = "stage", "Stage changed"
        REASSIGNED = "reassigned", "Reassigned"
        NOTE = "note", "Internal note"
        MESSAGE = "message", "Message to the reporter"
        REPORTER_MESSAGE = "reporter_message", "Message from the reporter"
        NAMED = "named", "Reporter named"
        ACTION = "action", "Action recorded"
        EVIDENCE = "evidence", "Evidence added"
        ESCALATED = "escalated", "Escalated"
        # The handler recorded that the concern is about a business use request (business_use.case_links).
        BUSINESS_USE = "business_use", "Business use request cited"
        WITNESS_NAMED = "witness_named", "Witness named"
        WITNESS_REMOVED = "witness_removed", "Witness removed"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    text = models.TextField(max_length=TIMELINE_TEXT, blank=True)
    # What the reporter may read about their own case: the stage and messages to them, never notes or names.
    visible_to_reporter = models.BooleanField(default=False)

    class Meta:
        constraints = [*length_checks(text=TIMELINE_TEXT)]
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.case} {self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class CaseWitness(models.Model):
    """A person named as a witness of what the concern is about, recorded by its handler or the governance
    head. Being named gives them nothing of the case: they may not see it, and never handle it
    (cases.conflicts)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="witnesses")
    # No reverse accessor: as for the subject, nothing should lead from a person to the cases naming them.
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="unique_case_witness")]

    def __str__(self):
        return f"{self.person} on {self.case}"


class AnonymousReceipt(models.Model):
    """The receipt key of a concern raised anonymously: only its keyed hash (cases.anonymous.key_digest),
    never the key, which the reporter alone holds. Deleted when the reporter puts their name to it."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="anonymous_receipt")
    key_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Receipt of {self.case}"


class SavedFilter(models.Model):
    """A handler's named set of filters for All cases, to reach again from the list: the query string as
    the list's form wrote it (never run as anything but the list's own filters)."""

    owner = models.ForeignKey("people.User", on_delete=models.CASCADE, related_name="saved_case_filters")
    name = models.CharField(max_length=60)
    query = models.CharField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_filter_name_unique_per_owner")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('cases:all')}?{self.query}"


# The actions on a case, in their own module for size; every import of them from here keeps working.
from .action_models import (  # noqa: E402, F401
    BreachDecision,
    CaseAction,
    DisciplinaryReferral,
    LegalAdvice,
    PlatformNotice,
    PoliceReferral,
    RemovalRequest,
)
from .drafts import ConcernDraft, KeptFile  # noqa: E402, F401 - the drafting models, in their own module
from .playbook_models import ActionKind, PlaybookStep, StepConsidered  # noqa: E402, F401 - playbooks (3.1)
