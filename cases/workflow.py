"""The workflow of a case: its stages, its outcomes, and the moves between them with who may make each
(section 9 and clause 3.1). Plain definitions, kept out of cases.models so that each stays readable; the
models module gives them under its own name too (`from cases.models import Stage`)."""

from dataclasses import dataclass

from django.db import models


class Stage(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    IN_TRIAGE = "in_triage", "In triage"
    CLOSED_AT_TRIAGE = "closed_at_triage", "Closed at triage"
    REFERRED = "referred", "Referred to the Head of Business and Governance"
    UNDER_REVIEW = "under_review", "Under governance review"
    ACTION_IN_PROGRESS = "action_in_progress", "Action in progress"
    CLOSED = "closed", "Closed"


def stage_position():
    """A case's place in the workflow, 0 for submitted to 6 for closed: the order of Stage, in one place.

    Stored as Case.stage_order (a generated column) so that the All cases list sorts and filters by stage
    through an index.
    """
    return models.Case(
        *[
            models.When(stage=stage, then=models.Value(position))
            for position, stage in enumerate(Stage.values)
        ],
        default=models.Value(len(Stage.values)),
        output_field=models.PositiveSmallIntegerField(),
    )


CLOSED_STAGES = (Stage.CLOSED_AT_TRIAGE, Stage.CLOSED)
TRIAGE_STAGES = (Stage.SUBMITTED, Stage.IN_TRIAGE)
GOVERNANCE_STAGES = (Stage.REFERRED, Stage.UNDER_REVIEW, Stage.ACTION_IN_PROGRESS)
# A referred case waits for the governance head's decision in these stages.
AWAITING_DECISION = (Stage.REFERRED, Stage.UNDER_REVIEW)


class Outcome(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "No further action (closed at triage)"
    NO_BREACH = "no_breach", "No breach found"
    RESOLVED_INFORMALLY = "resolved_informally", "Resolved informally"
    CONTENT_REMOVED = "content_removed", "Content removed"
    DISCIPLINARY_REFERRAL = "disciplinary_referral", "Disciplinary referral made"
    POLICE_REFERRAL = "police_referral", "Referred to the police"


# Who may make a move: the case's assigned handler (supervisor or Head of Service) or the Head of
# Business and Governance, who has overall responsibility for the policy (3.1) and may act on any case.
HANDLER = "handler"
GOVERNANCE = "governance"


@dataclass(frozen=True)
class Move:
    name: str
    label: str
    sources: tuple
    target: str
    by: frozenset
    needs_reason: bool = False
    needs_outcome: bool = False


# The workflow, in one place. Nothing else changes a case's stage; cases.services.case_move enforces it.
MOVES = {
    move.name: move
    for move in [
        Move(
            "start_triage",
            "Start triage",
            (Stage.SUBMITTED,),
            Stage.IN_TRIAGE,
            frozenset({HANDLER, GOVERNANCE}),
        ),
        Move(
            "close_at_triage",
            "Close at triage: no further action",
            TRIAGE_STAGES,
            Stage.CLOSED_AT_TRIAGE,
            frozenset({HANDLER, GOVERNANCE}),
            needs_reason=True,
        ),
        Move(
            "refer",
            "Refer to the Head of Business and Governance",
            (Stage.IN_TRIAGE,),
            Stage.REFERRED,
            frozenset({HANDLER, GOVERNANCE}),
            needs_reason=True,
        ),
        Move(
            "start_review",
            "Start the governance review",
            (Stage.REFERRED,),
            Stage.UNDER_REVIEW,
            frozenset({GOVERNANCE}),
        ),
        Move(
            "start_action",
            "Start taking action",
            (Stage.UNDER_REVIEW,),
            Stage.ACTION_IN_PROGRESS,
            frozenset({GOVERNANCE}),
        ),
        Move(
            "close",
            "Close with an outcome",
            (Stage.UNDER_REVIEW, Stage.ACTION_IN_PROGRESS),
            Stage.CLOSED,
            frozenset({GOVERNANCE}),
            needs_reason=True,
            needs_outcome=True,
        ),
        Move(
            "reopen_triage",
            "Reopen for triage",
            (Stage.CLOSED_AT_TRIAGE,),
            Stage.IN_TRIAGE,
            frozenset({HANDLER, GOVERNANCE}),
            needs_reason=True,
        ),
        Move(
            "reopen_review",
            "Reopen for governance review",
            (Stage.CLOSED,),
            Stage.UNDER_REVIEW,
            frozenset({GOVERNANCE}),
            needs_reason=True,
        ),
    ]
}
