"""Requests to use social media for focus business (Social Media Policy section 6).

Posts on the official accounts need the supervisor's approval of the content before the Central Business
Unit Digital Information Team (CBUCP, the communications team) publishes them (6.1); using a professional
site or tool in working hours needs the supervisor's authorisation (6.4); recommendations and referrals
are made only through the CBUCP (6.5); and staff considering social media for work discuss it with the
CBUCP, or ask a Head of Service or the Head of Information & Security which sites are acceptable (6.2,
6.6).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.limits import LONG_TEXT, TIMELINE_TEXT, length_checks
from core.paths import path_for_pk

from .registers.models import ApprovedSite, OfficialAccount, RegisterChange

__all__ = ["ApprovedSite", "OfficialAccount", "RegisterChange"]  # registered with the app from here


class Kind(models.TextChoices):
    OFFICIAL_POST = "official_post", "Post on an official focus account"
    PROFESSIONAL_SITE = "professional_site", "Use a professional website or social media tool"
    RECOMMENDATION = "recommendation", "A recommendation or referral in a professional capacity"
    ADVICE = "advice", "Advice on using social media for work"


@dataclass(frozen=True)
class KindSpec:
    slug: str
    clauses: tuple
    # The step a new (or resubmitted) request goes to first.
    first_state: str


class State(models.TextChoices):
    WITH_SUPERVISOR = "with_supervisor", "With the supervisor"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    WITH_COMMUNICATIONS = "with_communications", "With the communications team"
    AUTHORISED = "authorised", "Authorised"
    PUBLISHED = "published", "Published"
    MADE = "made", "Made"
    ANSWERED = "answered", "Answered"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    # A 6.4 authorisation past its end date ("to"): moved here by the system (business_use.timers).
    ENDED = "ended", "Ended"


OPEN_STATES = (State.WITH_SUPERVISOR, State.CHANGES_REQUESTED, State.WITH_COMMUNICATIONS)
DECIDED_STATES = (
    State.AUTHORISED,
    State.PUBLISHED,
    State.MADE,
    State.ANSWERED,
    State.DECLINED,
    State.ENDED,
)

KINDS = {
    Kind.OFFICIAL_POST: KindSpec("official-post", ("6.1", "6.7"), State.WITH_SUPERVISOR),
    Kind.PROFESSIONAL_SITE: KindSpec("professional-site", ("6.4",), State.WITH_SUPERVISOR),
    Kind.RECOMMENDATION: KindSpec("recommendation", ("6.5",), State.WITH_COMMUNICATIONS),
    Kind.ADVICE: KindSpec("advice", ("6.2", "6.6"), State.WITH_COMMUNICATIONS),
}
KIND_BY_SLUG = {spec.slug: kind for kind, spec in KINDS.items()}


class Account(models.TextChoices):
    # The accounts clause 6.1 names: the codes the register of official accounts started with (migration
    # 0003). The register (OfficialAccount) is the list; these stay for code and tests naming one of them.
    FOCUS_FACEBOOK = "focus_facebook", "focus Facebook"
    FOCUS_TWITTER = "focus_twitter", "focus Twitter"
    FOCUS_BLOG = "focus_blog", "focus blog"
    SERVICES4ME_FACEBOOK = "services4me_facebook", "Services4Me Facebook"
    SERVICES4ME_TWITTER = "services4me_twitter", "Services4Me Twitter"


class Purpose(models.TextChoices):
    # Clause 6.4.
    SHARE_BEST_PRACTICE = "share_best_practice", "To share best practice"
    SEEK_ADVICE = "seek_advice", "To seek advice and feedback from other colleagues"


class Topic(models.TextChoices):
    USING_SOCIAL_MEDIA = "using_social_media", "Using social media for work (6.2)"
    ACCEPTABLE_SITES = "acceptable_sites", "Which sites, forums or tools are acceptable (6.6)"


# Who may make a move: the person who asked, the supervisor the request was routed to, the
# communications team, and (for "which sites are acceptable", 6.6) a Head of Service or the Head of
# Information & Security. The Head of Business and Governance reads every request and makes no move.
REQUESTER = "requester"
APPROVER = "approver"
COMMUNICATIONS = "communications"
ADVISER = "adviser"
GOVERNANCE = "governance"


@dataclass(frozen=True)
class Move:
    name: str
    label: str
    kinds: frozenset
    sources: tuple
    target: str
    by: frozenset
    needs_reason: bool = False
    needs_answer: bool = False
    records_publication: bool = False
    # A decision the requester is told about.
    decides: bool = True
    # What will happen, for a step that cannot be undone: shown for confirmation before it is taken
    # (core.confirm). Filled with the request's reference.
    confirm: str = ""

    def confirmation(self, *, request):
        return self.confirm.format(reference=request.reference) if self.confirm else ""


DECLINE_CONFIRM = (
    "Request {reference} will be declined, and the requester told with your reason.\n"
    "This cannot be undone: to go ahead they would make a new request."
)


ALL_KINDS = frozenset(Kind)
ROUTED_TO_SUPERVISOR = frozenset({Kind.OFFICIAL_POST, Kind.PROFESSIONAL_SITE})

# The workflow, in one place. Nothing else changes a request's state; services.business_use_move enforces it.
MOVES = {
    move.name: move
    for move in [
        Move(
            "approve_content",
            "Approve the content for the communications team",
            frozenset({Kind.OFFICIAL_POST}),
            (State.WITH_SUPERVISOR,),
            State.WITH_COMMUNICATIONS,
            frozenset({APPROVER}),
            decides=False,
        ),
        Move(
            "authorise",
            "Authorise",
            frozenset({Kind.PROFESSIONAL_SITE}),
            (State.WITH_SUPERVISOR,),
            State.AUTHORISED,
            frozenset({APPROVER}),
        ),
        Move(
            "request_changes",
            "Ask for changes",
            ROUTED_TO_SUPERVISOR,
            (State.WITH_SUPERVISOR,),
            State.CHANGES_REQUESTED,
            frozenset({APPROVER}),
            needs_reason=True,
        ),
        Move(
            "supervisor_decline",
            "Decline",
            ROUTED_TO_SUPERVISOR,
            (State.WITH_SUPERVISOR,),
            State.DECLINED,
            frozenset({APPROVER}),
            needs_reason=True,
            confirm=DECLINE_CONFIRM,
        ),
        Move(
            "resubmit",
            "Resubmit",
            ROUTED_TO_SUPERVISOR,
            (State.CHANGES_REQUESTED,),
            State.WITH_SUPERVISOR,
            frozenset({REQUESTER}),
            decides=False,
        ),
        Move(
            "publish",
            "Record as published",
            frozenset({Kind.OFFICIAL_POST}),
            (State.WITH_COMMUNICATIONS,),
            State.PUBLISHED,
            frozenset({COMMUNICATIONS}),
            records_publication=True,
        ),
        Move(
            "make",
            "Record as made",
            frozenset({Kind.RECOMMENDATION}),
            (State.WITH_COMMUNICATIONS,),
            State.MADE,
            frozenset({COMMUNICATIONS}),
            records_publication=True,
        ),
        Move(
            "answer",
            "Answer",
            frozenset({Kind.ADVICE}),
            (State.WITH_COMMUNICATIONS,),
            State.ANSWERED,
            frozenset({COMMUNICATIONS, ADVISER}),
            needs_answer=True,
        ),
        Move(
            "communications_decline",
            "Decline",
            frozenset({Kind.OFFICIAL_POST, Kind.RECOMMENDATION}),
            (State.WITH_COMMUNICATIONS,),
            State.DECLINED,
            frozenset({COMMUNICATIONS}),
            needs_reason=True,
            confirm=DECLINE_CONFIRM,
        ),
        Move(
            "withdraw",
            "Withdraw the request",
            ALL_KINDS,
            OPEN_STATES,
            State.WITHDRAWN,
            frozenset({REQUESTER}),
            decides=False,
            confirm=(
                "Request {reference} will be withdrawn: nobody will decide on it.\n"
                "This cannot be undone: to go ahead you would make a new request."
            ),
        ),
    ]
}


class BusinessUseRequest(models.Model):
    kind = models.CharField(max_length=20, choices=Kind.choices)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="business_use_requests"
    )
    # The supervisor the request was routed to (6.1, 6.4); none for the kinds only the CBUCP decide.
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="business_use_requests_to_approve",
    )
    routing_note = models.TextField(
        max_length=LONG_TEXT, blank=True, help_text="Why the request went where it went."
    )
    state = models.CharField(max_length=20, choices=State.choices, db_index=True)
    state_changed_at = models.DateTimeField(default=timezone.now)
    # Set when the request first reaches the communications team: from then on they see it.
    reached_communications_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    # What is asked for; which fields a kind uses is in forms.KIND_FORMS.
    # The code of an entry in the register of official accounts (OfficialAccount.code).
    account = models.CharField("which account", max_length=30, blank=True)
    site = models.CharField("which site or tool", max_length=200, blank=True)
    purpose = models.CharField(max_length=30, choices=Purpose.choices, blank=True)
    from_date = models.DateField("from", null=True, blank=True)
    to_date = models.DateField("to", null=True, blank=True)
    recommended_for = models.CharField("for whom", max_length=200, blank=True)
    topic = models.CharField("what the advice is about", max_length=30, choices=Topic.choices, blank=True)
    content = models.TextField(max_length=LONG_TEXT, blank=True)
    links = models.TextField(
        "links or attachments", max_length=LONG_TEXT, blank=True, help_text="One address per line."
    )

    # What was decided.
    decision_text = models.TextField(
        max_length=LONG_TEXT, blank=True, help_text="The latest reason, or the answer."
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_where = models.CharField(max_length=300, blank=True)
    published_link = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            *length_checks(
                routing_note=LONG_TEXT, content=LONG_TEXT, links=LONG_TEXT, decision_text=LONG_TEXT
            ),
            models.CheckConstraint(
                condition=Q(from_date__isnull=True)
                | Q(to_date__isnull=True)
                | Q(to_date__gte=models.F("from_date")),
                name="business_use_dates_in_order",
                violation_error_message="The end date cannot be before the start date.",
            ),
            models.CheckConstraint(
                condition=~Q(approver=models.F("requester")), name="business_use_not_approved_by_requester"
            ),
        ]
        indexes = [models.Index(fields=["approver", "state"])]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return path_for_pk("business_use:detail", self.pk)

    @property
    def reference(self):
        return f"BU-{self.created_at:%Y}-{self.pk:04d}"

    @property
    def spec(self):
        return KINDS[self.kind]

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    def moves_from_here(self):
        return [move for move in MOVES.values() if self.kind in move.kinds and self.state in move.sources]

    def account_name(self):
        """The account's name in the register of official accounts; lists read it with the request
        (selectors.with_account_names), else it is looked up."""
        if not self.account:
            return ""
        if hasattr(self, "registered_account_name"):
            return self.registered_account_name or self.account
        name = OfficialAccount.objects.filter(code=self.account).values_list("name", flat=True).first()
        return name or self.account

    @property
    def asks_which_sites_are_acceptable(self):
        return self.kind == Kind.ADVICE and self.topic == Topic.ACCEPTABLE_SITES

    def summary(self):
        """A short line for lists: what the request is about."""
        if self.kind == Kind.OFFICIAL_POST:
            return self.account_name()
        if self.kind == Kind.ADVICE:
            return self.get_topic_display()
        if self.kind == Kind.RECOMMENDATION:
            return f"For {self.recommended_for} on {self.site}"
        return self.site

    def link_list(self):
        return [line.strip() for line in self.links.splitlines() if line.strip()]

    def authorisation_ends_at(self):
        """When a 6.4 authorisation with an end date ends: as that day closes, since "to" is the last day it
        covers (the case panel matches a post seen on it). None if it has no end date."""
        if self.kind != Kind.PROFESSIONAL_SITE or self.to_date is None:
            return None
        day_after = datetime.datetime.combine(self.to_date + datetime.timedelta(days=1), datetime.time())
        return timezone.make_aware(day_after, timezone.get_current_timezone())


class BusinessUseEvent(models.Model):
    """One line of the request's timeline. Every change writes one, in the same transaction."""

    request = models.ForeignKey(BusinessUseRequest, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    from_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=State.choices)
    label = models.CharField(max_length=100)
    text = models.TextField(max_length=TIMELINE_TEXT, blank=True)

    class Meta:
        constraints = [*length_checks(text=TIMELINE_TEXT)]
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.request} {self.label} {self.at:%Y-%m-%d %H:%M}"


class CaseCitation(models.Model):
    """A case's handler recorded that the concern is about this request's post or use (business_use.
    case_links): the request is cited on the case, and the case listed on the request for those who may
    handle it."""

    # No reverse accessor on the case: nothing in the cases app leads here but through case_links.
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(BusinessUseRequest, on_delete=models.CASCADE, related_name="case_citations")
    cited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cited_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "request"], name="business_use_cited_once")]
        indexes = [models.Index(fields=["request", "case"], name="business_use_citing_cases")]

    def __str__(self):
        return f"{self.case} cites {self.request}"
