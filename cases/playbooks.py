"""Per-clause playbooks (cases.playbook_models): the governance head sets the steps expected of a case
citing a clause; the case page shows them as a checklist, each done, due or missed; a handler marks a
step to consider as considered, with a note. Their reminders are cases.playbook_timers."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_record, step_record
from core.compiled import CompiledQuery
from core.errors import DomainError
from core.text import one_line
from policies.models import Clause, clause_number_order
from reminders.due import due_status

from . import access
from .models import CaseEvent, Stage
from .playbook_models import ActionKind, PlaybookStep, StepConsidered
from .playbook_timers import (
    as_day,
    playbook_timers_on_considered,
    playbook_timers_on_new_step,
    playbook_timers_on_step_deleted,
    step_due_on,
)
from .services import _lock

DONE, DUE, MISSED, WAITING, NOT_DONE = "done", "due", "missed", "waiting", "not_done"


@dataclass(frozen=True)
class ChecklistItem:
    step: PlaybookStep
    state: str
    done_on: datetime.date | None = None
    due_on: datetime.date | None = None
    considered_note: str = ""

    @property
    def status(self):
        """The deadline's pill (reminders.due) while the step waits for its action."""
        return due_status(self.due_on) if self.state in (DUE, MISSED) else None

    @property
    def can_be_considered(self):
        return self.state in (DUE, MISSED, WAITING) and self.step.is_to_consider


# --- The checklist --------------------------------------------------------------------------------------


def case_actions_done(case_lists):
    """{action kind: the first day it was done} from the case page's lists of actions (no query)."""
    firsts = {
        ActionKind.REMOVAL_REQUEST: [a.sent_on for a in case_lists["removals"]],
        ActionKind.PLATFORM_NOTICE: [a.sent_on for a in case_lists["notices"]],
        ActionKind.POLICE_REFERRAL: [a.referred_on for a in case_lists["police"]],
        ActionKind.DISCIPLINARY_REFERRAL: [as_day(a.recorded_at) for a in case_lists["referrals"]],
        ActionKind.LEGAL_ADVICE: [a.advised_on for a in case_lists["legal_advice"]],
    }
    return {kind: min(days) for kind, days in firsts.items() if days}


def _steps_with_their_case(case, numbers):
    """The steps of the clauses the case cites, each with when the case was first referred and whether it
    was considered on the case: one query."""
    numbers = set(numbers)
    steps = _STEPS.objects(case.pk, case.policy_version_id)
    return [step for step in steps if step.clause_number in numbers]


def _steps_of_policy_with_case(case_id, policy_version_id):
    referred = CaseEvent.objects.filter(case=case_id, kind=CaseEvent.Kind.STAGE, to_stage=Stage.REFERRED)
    considered = StepConsidered.objects.filter(case=case_id, step=OuterRef("pk"))
    return PlaybookStep.objects.filter(policy__versions=policy_version_id).annotate(
        referred_at=Subquery(referred.order_by("at").values("at")[:1]),
        considered_at=Subquery(considered.values("at")[:1]),
        considered_note=Subquery(considered.values("note")[:1]),
    )


# On every case page: compiled once (core/compiled.py). A policy's playbook is a few steps a clause, so
# the steps of the clauses cited are picked in Python.
_STEPS = CompiledQuery(_steps_of_policy_with_case)


def case_checklist(*, case, numbers, actions_done, now=None):
    """The playbook checklist of a case citing the clauses `numbers`, in the policy's order: each step
    done (its action recorded, or considered), due, missed (the day after it fell due) or waiting for its
    start point; on a closed case, a step not done by then is missed or not done."""
    if not numbers:
        return []
    today = timezone.localdate(now)
    items = []
    for step in _steps_with_their_case(case, numbers):
        if step.action and step.action in actions_done:
            items.append(ChecklistItem(step, DONE, done_on=actions_done[step.action]))
            continue
        if step.considered_at is not None:
            items.append(
                ChecklistItem(
                    step, DONE, done_on=as_day(step.considered_at), considered_note=step.considered_note
                )
            )
            continue
        started_at = case.created_at if step.starts_from == PlaybookStep.Start.CITED else step.referred_at
        if started_at is None:
            items.append(ChecklistItem(step, NOT_DONE if case.is_closed else WAITING))
            continue
        due_on = step_due_on(step, started_at)
        if today > due_on:
            state = MISSED
        else:
            state = NOT_DONE if case.is_closed else DUE
        items.append(ChecklistItem(step, state, due_on=due_on))
    return sorted(
        items, key=lambda i: (clause_number_order(i.step.clause_number), i.step.working_days, i.step.pk)
    )


@transaction.atomic
def playbook_step_consider(*, case, step, by, note):
    """A handler records that a step to consider was considered on the case, and what was decided."""
    case = _lock(case)
    if access.case_relation(by, case) not in (access.HANDLER, access.GOVERNANCE):
        raise DomainError("Only the handler of the case or the Head of Business and Governance can do this.")
    if case.is_closed:
        raise DomainError("The case is closed: its playbook steps can no longer be considered.")
    if not step.is_to_consider:
        raise DomainError("This step is done when its action is recorded, not by considering it.")
    cites = case.clauses.filter(number=step.clause_number).exists()
    if not cites or case.policy_version.policy_id != step.policy_id:
        raise DomainError("This step is not in the playbook of a clause this case cites.")
    note = (note or "").strip()
    if not note:
        raise DomainError("Say what was considered and decided.")
    if StepConsidered.objects.filter(case=case, step=step).exists():
        raise DomainError("This step has already been considered on the case.")
    considered = StepConsidered.objects.create(case=case, step=step, by=by, note=note)
    playbook_timers_on_considered(case=case, step=step)
    step_record(
        CaseEvent(
            case=case,
            kind=CaseEvent.Kind.NOTE,
            actor=by,
            text=f"Playbook step considered (clause {step.clause_number}): {step.label}. {one_line(note)}",
        ),
        actor=by,
        case=case,
        what=f"considered the clause {step.clause_number} playbook step “{step.label}” on {case.reference}",
    )
    return considered


# --- Managing the playbooks (the Head of Business and Governance) ---------------------------------------


def may_manage_playbooks(user):
    return user.is_active and user.has_perm("cases.manage_all_cases")


def _check(by, policy, clause_number):
    if not may_manage_playbooks(by):
        raise DomainError("Only the Head of Business and Governance sets the playbooks.")
    if not Clause.objects.filter(section__version__policy=policy, number=clause_number).exists():
        raise DomainError(f"The {policy.title} has no clause {clause_number}.")


def _clean(fields):
    fields = {**fields, "label": (fields.get("label") or "").strip()}
    if not fields["label"]:
        raise DomainError("Say what the step is.")
    if fields.get("requirement") == PlaybookStep.Requirement.REQUIRED and not fields.get("action"):
        raise DomainError(
            "A required step names the action that does it; otherwise make it a step to consider."
        )
    return fields


def _audit(by, step, what, details=None):
    audit_record(
        actor=by,
        action=AuditEntry.Action.CHANGE,
        what=f"{what} the clause {step.clause_number} playbook of the {step.policy.title}: {step.describe()}",
        details=details,
    )


@transaction.atomic
def playbook_step_add(*, policy, clause_number, by, **fields):
    """Add a step to a clause's playbook; the open cases citing the clause get its timers."""
    _check(by, policy, clause_number)
    step = PlaybookStep.objects.create(policy=policy, clause_number=clause_number, **_clean(fields))
    playbook_timers_on_new_step(step=step)
    _audit(by, step, "added a step to")
    return step


@transaction.atomic
def playbook_step_change(*, step, by, **fields):
    """Change a step. Its timers already started keep their due times (as for Limits: a change applies to
    the clocks started afterwards); the checklist reads the step as it is now."""
    step = PlaybookStep.objects.select_for_update().select_related("policy").get(pk=step.pk)
    _check(by, step.policy, step.clause_number)
    before = step.describe()
    for name, value in _clean(fields).items():
        setattr(step, name, value)
    step.save()
    _audit(by, step, "changed a step of", details={"before": before})
    return step


@transaction.atomic
def playbook_step_delete(*, step, by):
    step = PlaybookStep.objects.select_related("policy").get(pk=step.pk)
    _check(by, step.policy, step.clause_number)
    playbook_timers_on_step_deleted(step_id=step.pk)
    step.delete()
    _audit(by, step, "deleted a step of")


def steps_by_clause(policy=None):
    """[(policy, clause number, [its steps])] in the policy's order, for the list of playbooks."""
    steps = PlaybookStep.objects.select_related("policy")
    if policy is not None:
        steps = steps.filter(policy=policy)
    groups = {}
    for step in steps:
        groups.setdefault((step.policy, step.clause_number), []).append(step)
    return sorted(
        ((p, n, s) for (p, n), s in groups.items()), key=lambda g: (g[0].title, clause_number_order(g[1]))
    )
