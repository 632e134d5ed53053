"""Business rules for cases. Every change is one transaction that writes the case, its timeline event and
an audit entry together; nothing else changes a case."""

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from audit.services import step_record
from core.errors import DomainError
from people.roles import Role
from people.selectors import people_matching, role_holders

from . import access, draft_services, notify, review_flags, timers
from .conflicts import conflict_of, conflicts
from .models import (
    CLOSED_STAGES,
    MOVES,
    Case,
    CaseClause,
    CaseEvent,
    Outcome,
    ReferenceCounter,
    Route,
    SavedFilter,
    Stage,
    SubjectKind,
)
from .workflow import CHOSEN_OUTCOMES

# The reassign field lists this many matches at most: type more of the name to find someone further down.
REASSIGN_MATCHES = 20

# --- Raising a concern ---------------------------------------------------------------------------------


def reference_allocate(*, policy, year):
    """The next human reference for the policy and year, e.g. SMP-2026-0042. Locks its counter row."""
    prefix = policy.get_case_prefix()
    ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
    counter = ReferenceCounter.objects.select_for_update().get(prefix=prefix, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{prefix}-{year}-{counter.last_number:04d}"


def routing_target(*, reporter, route, conflicted=()):
    """Who a new concern goes to, and why (clause 9.1).

    The reporter's supervisor, or their team's Head of Service if they chose that. If that person is
    missing, has left, is the reporter or may not handle the concern (`conflicted`: cases.conflicts'
    Conflicts), the concern goes one level up the line; when the line runs out, to the reporter's Head of
    Service, and finally to the Head of Business and Governance. The note is for those who handle the
    case: the reporter never reads it.
    """
    barred = {conflict.person.pk: conflict.reason for conflict in conflicted}
    if route == Route.HEAD_OF_SERVICE:
        first = reporter.team.head_of_service if reporter.team else None
        wanted = "their Head of Service"
    else:
        first = reporter.line_manager
        wanted = "their supervisor"

    skipped, seen = [], set()

    def may_handle(candidate):
        seen.add(candidate.pk)
        if not candidate.is_active:
            skipped.append(f"{candidate} has left")
        elif candidate.pk == reporter.pk:
            skipped.append(f"{candidate} is the reporter")
        elif candidate.pk in barred:
            skipped.append(f"{candidate} {barred[candidate.pk]}")
        else:
            return True
        return False

    candidate = first
    while candidate is not None and candidate.pk not in seen:
        if may_handle(candidate):
            note = f"Routed to {wanted}, {candidate}."
            if skipped:
                note = f"Routed to {candidate}, the next level up, because " + "; ".join(skipped) + "."
            return candidate, note
        candidate = candidate.line_manager

    def because():
        return "; ".join(skipped) or f"the reporter has no {wanted.removeprefix('their ')} recorded"

    head_of_service = reporter.team.head_of_service if reporter.team else None
    if head_of_service is not None and head_of_service.pk not in seen and may_handle(head_of_service):
        return head_of_service, f"Routed to their Head of Service, {head_of_service}, because {because()}."

    reason = because()
    for head in role_holders(Role.GOVERNANCE):
        if head.pk != reporter.pk and head.pk not in barred:
            return head, f"Routed to the Head of Business and Governance, {head}, because {reason}."
    raise DomainError(
        "There is nobody to route this concern to. Please tell the Head of Business and Governance."
    )


def anonymous_routing_target(*, named="", conflicted=()):
    """Who a concern raised anonymously goes to, and why: there is no supervisor to route it through, so
    the Head of Service with the fewest open cases (the pool), skipping any whose name the reporter gave
    in `named` and any who may not handle it (`conflicted`); the Head of Business and Governance if there
    is none."""
    named = named.casefold()
    barred = {conflict.person.pk for conflict in conflicted}
    pool = (
        role_holders(Role.HEAD_OF_SERVICE)
        .annotate(open_cases=Count("cases_handled", filter=~Q(cases_handled__stage__in=CLOSED_STAGES)))
        .order_by("open_cases", "pk")
    )
    for head in pool:
        if head.pk in barred or (head.get_full_name() and head.get_full_name().casefold() in named):
            continue
        return (
            head,
            f"Raised anonymously: routed to a Head of Service, {head}, the one with fewest open cases.",
        )
    head = role_holders(Role.GOVERNANCE).exclude(pk__in=barred).first()
    if head is None:
        raise DomainError("There is nobody to route this concern to. Please try again later.")
    return head, f"Raised anonymously: routed to the Head of Business and Governance, {head}."


@transaction.atomic
def case_raise(
    *,
    reporter,
    policy_version,
    subject_kind,
    platform,
    seen_at,
    description,
    incident_on=None,
    clauses=(),
    subject_person=None,
    subject_description="",
    platform_other="",
    links="",
    identifies_service_user_or_carer=False,
    discloses_confidential_information=False,
    discloses_personal_data=False,
    route=Route.SUPERVISOR,
    evidence_files=(),
    kept_files=(),
    discarded_files=(),
    draft=None,
):
    """A member of staff raises a concern; it becomes a case routed to the person who will triage it.

    `kept_files` (cases.drafts.KeptFile, chosen before the form was last sent back or saved as a draft)
    become evidence with `evidence_files`; they, those the reporter removed and the `draft` it was written
    from are deleted with the raising. Only the reporter's own are claimed.

    With no reporter it is raised anonymously (cases.anonymous): routed to the Head of Service pool, and
    a colleague is named in words, as nobody outside sees the staff list."""
    anonymous = reporter is None
    if not anonymous and (not reporter.is_active or not reporter.has_perm("cases.add_case")):
        raise DomainError("Your account cannot raise concerns.")
    if not policy_version.is_current:
        raise DomainError("Concerns are raised against the current version of the policy.")
    if anonymous:
        subject_person = None
        if subject_kind == SubjectKind.COLLEAGUE and not subject_description.strip():
            raise DomainError("Say who the colleague is: their name, or what you know of them.")
    if subject_kind == SubjectKind.COLLEAGUE and subject_person is None and not anonymous:
        raise DomainError("Choose the colleague the concern is about.")
    if subject_kind != SubjectKind.COLLEAGUE:
        subject_person = None
    if subject_person is not None and subject_person.pk == reporter.pk:
        raise DomainError("You cannot raise a concern about yourself.")
    clauses = list(clauses)
    if any(clause.section.version_id != policy_version.pk for clause in clauses):
        raise DomainError("Choose clauses from the current version of the policy.")
    discarded = {kept.pk for kept in discarded_files}
    kept_files = draft_services.kept_files_claim(
        owner=reporter, files=[kept for kept in kept_files if kept.pk not in discarded]
    )
    evidence_files = [*evidence_files, *map(draft_services.kept_file_upload, kept_files)]

    if anonymous:
        route = Route.HEAD_OF_SERVICE
    now = timezone.now()
    case = Case(
        reference=reference_allocate(policy=policy_version.policy, year=timezone.localdate(now).year),
        policy_version=policy_version,
        reporter=reporter,
        reporter_team=None if anonymous else reporter.team,
        raised_anonymously=anonymous,
        subject_kind=subject_kind,
        subject_person=subject_person,
        subject_description=subject_description.strip(),
        platform=platform,
        platform_other=platform_other.strip(),
        links=links.strip(),
        seen_at=seen_at,
        # When the reporter does not say when it was posted or happened: the day they saw it.
        incident_on=incident_on or timezone.localdate(seen_at),
        description=description.strip(),
        identifies_service_user_or_carer=identifies_service_user_or_carer,
        discloses_confidential_information=discloses_confidential_information,
        route=route,
        created_at=now,
        stage_changed_at=now,
    )
    # Routed as the case stands, so that whoever may not handle it (cases.conflicts) is skipped.
    if anonymous:
        handler, case.routing_note = anonymous_routing_target(
            named=subject_description, conflicted=conflicts(case)
        )
    else:
        handler, case.routing_note = routing_target(
            reporter=reporter, route=route, conflicted=conflicts(case)
        )
    case.handler = handler
    case.save(force_insert=True)
    CaseClause.objects.bulk_create(
        CaseClause(case=case, clause=clause, number=clause.number, text=clause_text(clause))
        for clause in clauses
    )
    if not anonymous:
        assign_perm("cases.follow_case", reporter, case)
    assign_perm("cases.handle_case", handler, case)
    step_record(
        CaseEvent(
            case=case,
            kind=CaseEvent.Kind.RAISED,
            actor=reporter,
            at=now,
            to_stage=Stage.SUBMITTED,
            text="Concern raised.",
            visible_to_reporter=True,
        ),
        actor=reporter,
        case=case,
        what=f"raised concern {case.reference}" + (" anonymously" if anonymous else ""),
    )
    CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.ROUTED, actor=None, at=now, text=case.routing_note
    )
    timers.case_timers_on_raise(case=case)
    notify.case_routed_notify(case=case)
    if evidence_files:
        from .evidence import evidence_add

        evidence_add(case=case, by=reporter, files=evidence_files, record_event=False)
    draft_services.kept_files_discard(owner=reporter, files=[*kept_files, *discarded_files])
    if draft is not None:
        draft_services.draft_delete(draft=draft, by=reporter)
    if discloses_personal_data:
        from .breach import breach_clock_start

        breach_clock_start(case=case, by=reporter)
    return case


def clause_text(clause):
    """The clause with its items, as it reads now: stored on the case so later versions rewrite nothing."""
    return "\n".join([clause.text, *(f"• {item.text}" for item in clause.items.all())])


# --- The workflow ----------------------------------------------------------------------------------------


def allowed_moves(*, case, user, relation=None):
    """The moves the table allows from the case's stage to this person (`relation`: what they are to the
    case, when the caller has just found it through the door)."""
    relation = relation or access.case_relation(user, case)
    return [move for move in case.moves_from_here() if relation in move.by]


def _lock(case):
    return Case.objects.select_for_update().get(pk=case.pk)


def _check_relation(case, by, allowed, what):
    relation = access.case_relation(by, case)
    if relation not in allowed:
        raise DomainError(f"You cannot {what} on this case.")
    return relation


@transaction.atomic
def case_move(*, case, by, move, reason="", outcome="", expected_stage=None):
    """Move a case along the workflow. Refused, with nothing changed, unless the table allows it.

    `expected_stage` is the stage the person saw: if someone else moved the case meanwhile, the second
    person is told instead of acting on a case that is no longer what they saw.
    """
    case = _lock(case)
    spec = MOVES.get(move)
    if spec is None:
        raise DomainError("That is not a step of the workflow.")
    if expected_stage is not None and case.stage != expected_stage:
        raise DomainError(
            f"{case.reference} has moved on since you opened it: it is now “{case.get_stage_display()}”. "
            "Nothing was changed."
        )
    if case.stage not in spec.sources:
        raise DomainError(
            f"A case that is “{case.get_stage_display()}” cannot be moved to “{Stage(spec.target).label}”."
        )
    _check_relation(case, by, spec.by, spec.label.lower())
    return move_apply(case=case, by=by, spec=spec, reason=reason, outcome=outcome)


def move_apply(*, case, by, spec, reason="", outcome=""):
    """Make a move of the table on a locked case, once the caller has checked its stage and who is making
    it: case_move for those who handle the case, cases.reporter for its reporter (`by` None when they are
    anonymous)."""
    reason = (reason or "").strip()
    if spec.needs_reason and not reason:
        raise DomainError("Give the reason for this step.")
    if spec.outcome:
        outcome = spec.outcome
    elif spec.needs_outcome:
        if outcome not in CHOSEN_OUTCOMES:
            raise DomainError("Choose the outcome of the case.")
    else:
        outcome = ""
    return _change_stage(case=case, by=by, target=spec.target, outcome=outcome, text=reason)


def _change_stage(*, case, by, target, outcome="", text=""):
    previous = case.stage
    now = timezone.now()
    case.stage, case.outcome, case.stage_changed_at = target, outcome, now
    case.save(update_fields=["stage", "outcome", "stage_changed_at", "updated_at"])
    if outcome:
        text = f"Outcome: {Outcome(outcome).label}. {text}".strip()
    step_record(
        CaseEvent(
            case=case,
            kind=CaseEvent.Kind.STAGE,
            actor=by,
            at=now,
            from_stage=previous,
            to_stage=target,
            text=text,
            visible_to_reporter=True,
        ),
        actor=by,
        case=case,
        what=f"moved {case.reference} from {Stage(previous).label} to {Stage(target).label}",
    )
    timers.case_timers_on_stage_change(case=case, by=by, previous=previous)
    notify.case_work_done_clear(case=case, previous=previous)
    if target == Stage.CLOSED:
        review_flags.case_closed_flag_clauses(case=case)
    if case.withdrawn_at is not None and previous in CLOSED_STAGES and not case.is_closed:
        notify.withdrawal_overruled_notify(case=case, by=by)
    return case


def case_start_action(*, case, by):
    """Recording an action during the review means action is in progress (used by cases.actions)."""
    if case.stage == Stage.UNDER_REVIEW:
        _change_stage(case=case, by=by, target=Stage.ACTION_IN_PROGRESS)


# --- Handlers, notes and messages ------------------------------------------------------------------------


def reassign_candidates(*, case):
    """Supervisors, Heads of Service and the governance head, except the reporter. Those among them with a
    conflict of interest (cases.conflicts) are refused by case_reassign, with the reason."""
    return role_holders([Role.SUPERVISOR, Role.HEAD_OF_SERVICE, Role.GOVERNANCE]).exclude(
        pk=case.reporter_id or 0
    )


def reassign_matches(*, case, text):
    """The people who may take the case (`reassign_candidates`, less those with a conflict of interest)
    whose name matches what was typed: at most REASSIGN_MATCHES, and whether there were more."""
    if not text.split():
        return [], False  # Nobody is listed until a name is typed: no need to read the conflicts.
    barred = [conflict.person.pk for conflict in conflicts(case)]
    candidates = reassign_candidates(case=case).exclude(pk__in=barred)
    return people_matching(candidates, text, limit=REASSIGN_MATCHES)


@transaction.atomic
def case_reassign(*, case, by, to, reason):
    case = _lock(case)
    _check_relation(case, by, {access.HANDLER, access.GOVERNANCE}, "reassign")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason for reassigning the case.")
    if case.is_closed:
        raise DomainError("A closed case cannot be reassigned; reopen it first.")
    if not reassign_candidates(case=case).filter(pk=to.pk).exists():
        raise DomainError(f"{to} cannot handle this case.")
    conflict = conflict_of(case, to)
    if conflict is not None:
        raise DomainError(conflict.refusal())
    if to.pk == case.handler_id:
        raise DomainError(f"{to} already handles this case.")
    previous = case.handler
    if previous is not None:
        remove_perm("cases.handle_case", previous, case)
    assign_perm("cases.handle_case", to, case)
    case.handler = to
    case.save(update_fields=["handler", "updated_at"])
    step_record(
        CaseEvent(
            case=case,
            kind=CaseEvent.Kind.REASSIGNED,
            actor=by,
            text=f"Reassigned from {previous} to {to}: {reason}",
        ),
        actor=by,
        case=case,
        what=f"reassigned {case.reference} to {to}",
    )
    notify.case_reassigned_notify(case=case, by=by)
    return case


@transaction.atomic
def case_add_note(*, case, by, text):
    """An internal note: never shown to the reporter."""
    _check_relation(case, by, {access.HANDLER, access.GOVERNANCE}, "add a note")
    text = (text or "").strip()
    if not text:
        raise DomainError("Write the note before saving it.")
    return step_record(
        CaseEvent(case=case, kind=CaseEvent.Kind.NOTE, actor=by, text=text),
        actor=by,
        case=case,
        what=f"added a note to {case.reference}",
    )


@transaction.atomic
def case_message_reporter(*, case, by, text):
    """A message to the reporter: it answers whatever they sent (cases.reporter) and acknowledges them."""
    _check_relation(case, by, {access.HANDLER, access.GOVERNANCE}, "message the reporter")
    text = (text or "").strip()
    if not text:
        raise DomainError("Write the message before sending it.")
    event = step_record(
        CaseEvent(case=case, kind=CaseEvent.Kind.MESSAGE, actor=by, text=text, visible_to_reporter=True),
        actor=by,
        case=case,
        what=f"sent a message to the reporter of {case.reference}",
    )
    timers.case_timers_on_message_to_reporter(case=case, event=event)
    Case.objects.filter(pk=case.pk).update(reporter_waiting_since=None)
    notify.reporter_answered_clear(case=case)
    notify.reporter_message_notify(case=case, by=by)
    return event


MOST_SAVED_FILTERS = 50


def saved_filter_save(*, owner, name, query):
    """Keep All cases' filters (a query string the list takes) under a name; saving under a name already
    used replaces what it held."""
    saved = SavedFilter.objects.filter(owner=owner, name=name).first()
    if saved is None:
        if SavedFilter.objects.filter(owner=owner).count() >= MOST_SAVED_FILTERS:
            raise DomainError(f"You have {MOST_SAVED_FILTERS} saved filters: delete one to save another.")
        return SavedFilter.objects.create(owner=owner, name=name, query=query)
    saved.query = query
    saved.save(update_fields=["query"])
    return saved
