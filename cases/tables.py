"""The case lists' columns (core.tables): one definition per column, shared by the lists that show it."""

from django.utils.safestring import SafeString

from core.tables import Column, Table, day, escape, link, since

REFERENCE = Column("Reference", lambda case: link(case.get_absolute_url(), case.reference), row_header=True)
STAGE = Column("Stage", lambda case: case.get_stage_display())
RAISED = Column("Raised", lambda case: day(case.created_at))
ABOUT = Column("About", lambda case: case.get_subject_kind_display())
PLATFORM = Column("Platform", lambda case: case.platform_name())
CLAUSES = Column("Clauses", lambda case: ", ".join(case.clause_numbers))  # selectors.with_clause_numbers
REPORTER_TEAM = Column("Reporter's team", lambda case: case.reporter_team)
HANDLER = Column("Handler", lambda case: case.handler)

MY_REPORTS = Table(REFERENCE, STAGE, RAISED, empty="You have not raised any concerns.")

TRIAGE_QUEUE = Table(
    REFERENCE,
    STAGE,
    ABOUT,
    PLATFORM,
    REPORTER_TEAM,
    RAISED,
    Column("Waiting", lambda case: since(case.created_at)),
    empty="Nothing is waiting for your triage.",
)

GOVERNANCE_QUEUE = Table(
    REFERENCE,
    STAGE,
    Column("In this stage for", lambda case: since(case.stage_changed_at)),
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
    ABOUT,
    PLATFORM,
    CLAUSES,
    REPORTER_TEAM,
    HANDLER,
    empty="No cases to show.",
)
