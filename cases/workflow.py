"""The workflow of a case, in one place: its stages, outcomes and the moves between them (section 9).

Nothing else changes a case's stage; cases.services.case_move enforces the MOVES table. cases.models
re-exports these names, so that they are read from there like the rest of the case.
"""

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

# What waits next on a case at each stage, as the lists say it beside its deadline (Case.due_on).
WAITING_FOR = {
    Stage.SUBMITTED: "Triage",
    Stage.IN_TRIAGE: "Triage",
    Stage.REFERRED: "A governance decision",
    Stage.UNDER_REVIEW: "A governance decision",
    Stage.ACTION_IN_PROGRESS: "Action, then closing with an outcome",
    Stage.CLOSED_AT_TRIAGE: "Nothing: closed",
    Stage.CLOSED: "Nothing: closed",
}


class Outcome(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "No further action (closed at triage)"
    NO_BREACH = "no_breach", "No breach found"
    RESOLVED_INFORMALLY = "resolved_informally", "Resolved informally"
    CONTENT_REMOVED = "content_removed", "Content removed"
    DISCIPLINARY_REFERRAL = "disciplinary_referral", "Disciplinary referral made"
    POLICE_REFERRAL = "police_referral", "Referred to the police"
    WITHDRAWN = "withdrawn", "Withdrawn by the reporter"
    # Clause 10.1: a case the policy did not answer flags its clauses for the next review.
    POLICY_UNCLEAR = "policy_unclear", "Closed: the policy was unclear"


# The outcomes that mean a breach was found: those with no breach (no breach found, no further action at
# triage) do not; a breach resolved informally still was one, and the other three are actions taken
# because of a breach (content taken down, a disciplinary or a police referral).
BREACH_OUTCOMES = (
    Outcome.RESOLVED_INFORMALLY,
    Outcome.CONTENT_REMOVED,
    Outcome.DISCIPLINARY_REFERRAL,
    Outcome.POLICE_REFERRAL,
)


# The outcomes a move sets by itself (closing at triage, a withdrawal); the others are chosen on closing.
SET_OUTCOMES = (Outcome.NO_FURTHER_ACTION, Outcome.WITHDRAWN)
CHOSEN_OUTCOMES = tuple(outcome for outcome in Outcome if outcome not in SET_OUTCOMES)


# Who may make a move: the case's assigned handler (supervisor or Head of Service) or the Head of
# Business and Governance, who has overall responsibility for the policy (3.1) and may act on any case;
# the reporter only withdraws (cases.reporter).
HANDLER = "handler"
GOVERNANCE = "governance"
REPORTER = "reporter"


@dataclass(frozen=True)
class Move:
    name: str
    label: str
    sources: tuple
    target: str
    by: frozenset
    needs_reason: bool = False
    needs_outcome: bool = False
    # The outcome the move itself sets (one of SET_OUTCOMES), for a move to a closed stage with no choice.
    outcome: str = ""
    # What will happen, for a step that cannot be undone: shown for confirmation before it is taken
    # (core.confirm). Filled with the case's reference and the outcome chosen.
    confirm: str = ""

    def confirmation(self, *, case, outcome=""):
        if not self.confirm:
            return ""
        outcome = Outcome(outcome).label if outcome in Outcome.values else ""
        return self.confirm.format(reference=case.reference, outcome=outcome)


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
            outcome=Outcome.NO_FURTHER_ACTION,
            confirm=(
                "Case {reference} will be closed at triage with no further action.\n"
                "The reporter will see that it is closed (not the outcome or your reason). "
                "Its reminders stop.\n"
                "This cannot be undone: the case can only be reopened for triage, with a new reason."
            ),
        ),
        Move(
            "refer",
            "Refer to the Head of Business and Governance",
            (Stage.IN_TRIAGE,),
            Stage.REFERRED,
            frozenset({HANDLER, GOVERNANCE}),
            needs_reason=True,
            confirm=(
                "Case {reference} will be referred to the Head of Business and Governance, "
                "who will be told.\n"
                "The reporter will see that it was referred (not your reason).\n"
                "This cannot be undone: the case does not come back to triage."
            ),
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
            confirm=(
                "Case {reference} will be closed with the outcome “{outcome}”.\n"
                "The reporter will see that it is closed (not the outcome or your reason). "
                "Its reminders stop.\n"
                "This cannot be undone: the case can only be reopened for a new governance review, "
                "with a new reason."
            ),
        ),
        # The reporter may withdraw a concern until it is referred to the Head of Business and Governance:
        # from then on the organisation has decided it needs a governance review. The handler may still
        # continue a withdrawn case where the policy requires it (reopen_triage, with a reason).
        Move(
            "withdraw",
            "Withdraw my concern",
            TRIAGE_STAGES,
            Stage.CLOSED_AT_TRIAGE,
            frozenset({REPORTER}),
            needs_reason=True,
            outcome=Outcome.WITHDRAWN,
            confirm=(
                "Your concern {reference} will be closed as withdrawn, and the person handling it will be "
                "told.\n"
                "They may still continue it where the policy requires it, for example to keep a service "
                "user safe or when a concern about a colleague must be looked into; you would see that "
                "here.\n"
                "You cannot undo a withdrawal: to raise the matter again, raise a new concern."
            ),
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


# Each stage as the reporter reads it on their case page (named or anonymous): what is happening, in plain
# words, never who handles it or what was decided.
STAGE_FOR_REPORTER = {
    Stage.SUBMITTED: "Received: it is waiting for the person who will look at it first",
    Stage.IN_TRIAGE: "Being looked at: someone is deciding what should happen next",
    Stage.CLOSED_AT_TRIAGE: "Closed after it was looked at",
    Stage.REFERRED: "Passed to the Head of Business and Governance, who looks at serious matters",
    Stage.UNDER_REVIEW: "Being reviewed by the Head of Business and Governance",
    Stage.ACTION_IN_PROGRESS: "Action is being taken",
    Stage.CLOSED: "Closed",
}
WITHDRAWN_FOR_REPORTER = "Withdrawn by you"
