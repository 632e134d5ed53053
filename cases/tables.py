"""The case lists' columns (core.tables): one definition per column, shared by the lists that show it."""

from django.utils.safestring import SafeString

from core.paths import path_for_pk
from core.tables import Column, Table, day, due, escape, link, since

from .selectors import QUEUE_ORDER

REFERENCE = Column("Reference", lambda case: link(case.get_absolute_url(), case.reference), row_header=True)
STAGE = Column("Stage", lambda case: case.get_stage_display())
RAISED = Column("Raised", lambda case: day(case.created_at))
ABOUT = Column("About", lambda case: case.get_subject_kind_display())
PLATFORM = Column("Platform", lambda case: case.platform_name())
CLAUSES = Column("Clauses", lambda case: ", ".join(case.clause_numbers))  # selectors.with_clause_numbers
REPORTER_TEAM = Column("Reporter's team", lambda case: case.reporter_team)
HANDLER = Column("Handler", lambda case: case.handler)
# What waits next on the case and by when, with its pill (Case.next_work, reminders.due).
WAITING_FOR = Column("Waiting for", lambda case: case.next_work().what)
DUE = Column("Due", lambda case: due(case.next_work()), sort="due")

MY_REPORTS = Table(
    REFERENCE,
    STAGE,
    WAITING_FOR,
    Column(DUE.label, DUE.cell),
    RAISED,
    empty="You have not raised any concerns.",
)

TRIAGE_QUEUE = Table(
    REFERENCE,
    STAGE,
    WAITING_FOR,
    DUE,
    ABOUT,
    PLATFORM,
    REPORTER_TEAM,
    RAISED,
    Column("Waiting", lambda case: since(case.created_at), sort=QUEUE_ORDER, one_way=True),
    empty="Nothing is waiting for your triage.",
)

GOVERNANCE_QUEUE = Table(
    REFERENCE,
    STAGE,
    Column("In this stage for", lambda case: since(case.stage_changed_at), sort=QUEUE_ORDER, one_way=True),
    WAITING_FOR,
    DUE,
    ABOUT,
    PLATFORM,
    REPORTER_TEAM,
    HANDLER,
    RAISED,
    empty="No cases are waiting for governance review.",
)


def _reference_and_why(case):
    """The reference, and where a text search found the case (cases.search sets `matched`)."""
    cell = REFERENCE.cell(case)
    if getattr(case, "matched", None):
        cell += SafeString(f'<p class="matched">Matched: {escape("; ".join(case.matched))}</p>')
    return cell


ALL_CASES = Table(
    Column(REFERENCE.label, _reference_and_why, sort="reference", row_header=True),
    Column(STAGE.label, STAGE.cell, sort="stage"),
    Column(RAISED.label, RAISED.cell, sort="raised"),
    Column("Open for", lambda case: since(case.created_at), sort="age"),
    WAITING_FOR,
    DUE,
    ABOUT,
    PLATFORM,
    CLAUSES,
    REPORTER_TEAM,
    HANDLER,
    empty="No cases to show.",
)

REFERRALS = Table(
    Column(
        "Person",
        lambda referral: link(path_for_pk("cases:referral", referral.pk), referral.person),
        row_header=True,
    ),
    Column("Severity", lambda referral: referral.get_severity_display()),
    Column("Waiting for", lambda referral: referral.next_work().what),
    Column("Due", lambda referral: due(referral.next_work())),
    Column("Clauses breached", lambda referral: ", ".join(referral.breached_numbers)),
    Column("Referred on", lambda referral: day(referral.recorded_at)),
    Column("Referred by", lambda referral: referral.recorded_by),
    Column("Case", lambda referral: referral.case.reference),
    empty="No referrals have been made to HR.",
)
