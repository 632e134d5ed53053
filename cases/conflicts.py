"""Conflict of interest: who may never handle a case, and why. The one place that says so: routing skips
them (cases.services.routing_target), reassignment refuses them with the reason (case_reassign), a witness
who handles the case cannot be named until it is reassigned (cases.witnesses), and the case page shows the
Head of Business and Governance the list.

Excluded, each with a reason:
- the subject of the concern;
- each person named as a witness on the case;
- where the concern is about a colleague, the people who manage them: their line managers up the line to
  and including the Head of Service, and the Head of Service of their team. The issue's words ("anyone in
  the subject's reporting line above them up to the Head of Service where the case is about their
  manager") are read as: nobody handles a concern about someone they manage. The line stops at the Head of
  Service: above that level (and the Head of Business and Governance, who has overall responsibility for
  the policy, 3.1, and takes what nobody else may) nobody is excluded for being in the line. A concern
  about a Head of Service therefore excludes nobody above them;
- whoever approved the business post the concern is about (`_business_use_approvers`).
"""

from typing import NamedTuple

from django.db.models import Exists, OuterRef

from core.compiled import CompiledQuery
from people.models import Team, User
from people.roles import Role

from .models import CaseWitness

SUBJECT = "is the subject of the concern"
WITNESS = "is named as a witness"
SUPERVISOR = "is the supervisor of the colleague the concern is about"
LINE = "is in the line management of the colleague the concern is about"
HEAD_OF_SERVICE = "is the Head of Service of the colleague the concern is about"
APPROVER = "approved the business post concerned"

# A reporting line longer than this is a loop in the records (or nothing real): the walk stops there.
_MOST_LEVELS = 12


class Conflict(NamedTuple):
    person: User
    # What they are to the case, to follow their name: "Sam Jones is named as a witness".
    reason: str

    def refusal(self):
        return f"{self.person} {self.reason}, so cannot handle this case (a conflict of interest)."


def conflicts(case, *, witnesses=None):
    """Who may not handle `case` and why, each person once (their first reason), in the order above.

    `case` may be unsaved (a concern being raised has no witnesses yet). `witnesses`: the case's
    CaseWitness rows with their people, when the caller has read them already (the case page)."""
    found = []
    if case.subject_person_id:
        found.append(Conflict(case.subject_person, SUBJECT))
    if witnesses is None:
        witnesses = case_witnesses(case) if case.pk else []
    found += [Conflict(witness.person, WITNESS) for witness in witnesses]
    if case.subject_person_id:
        found += _line_managers(case.subject_person)
    found += _business_use_approvers(case)
    seen, unique = set(), []
    for conflict in found:
        if conflict.person.pk not in seen:
            seen.add(conflict.person.pk)
            unique.append(conflict)
    return unique


def conflict_of(case, person):
    """The Conflict that keeps `person` from handling `case`, or None."""
    return next((conflict for conflict in conflicts(case) if conflict.person.pk == person.pk), None)


def case_witnesses(case):
    """The case's witnesses, with the people named and who named them, in the order they were named."""
    return _WITNESSES.objects(case.pk)


# On the case page of every handler: compiled once (core/compiled.py).
_WITNESSES = CompiledQuery(
    lambda case_id: CaseWitness.objects.filter(case=case_id).select_related("person", "added_by")
)


# Other apps add who else may not handle a case, as provider(case) -> [(person, reason)]: business_use
# adds whoever approved the business post the case cites. cases does not import them (the apps' layering).
_ALSO_EXCLUDED = []


def also_excluded(provider):
    """Register `provider(case)`, which gives more (person, reason) pairs; `case` may be unsaved."""
    _ALSO_EXCLUDED.append(provider)
    return provider


def _business_use_approvers(case):
    """Whoever approved the business post the concern is about (registered by business_use)."""
    return [Conflict(person, reason) for provider in _ALSO_EXCLUDED for person, reason in provider(case)]


def _ranked(people):
    """People with whether they head a service (a team's Head of Service, or the role) or hold the Head
    of Business and Governance role: where the line stops."""
    in_role = User.groups.through.objects.filter(user=OuterRef("pk"))
    return people.annotate(
        heads_team=Exists(Team.objects.filter(head_of_service=OuterRef("pk"))),
        head_of_service_role=Exists(in_role.filter(group__name=Role.HEAD_OF_SERVICE)),
        governs=Exists(in_role.filter(group__name=Role.GOVERNANCE)),
    )


def _is_head(person):
    return person.heads_team or person.head_of_service_role or person.governs


# Compiled once (core/compiled.py): the governance head's case page walks the line on every visit.
_SUBJECT = CompiledQuery(
    lambda user_id: _ranked(User.objects.select_related("team__head_of_service")).filter(pk=user_id)
)
_MANAGER = CompiledQuery(lambda user_id: _ranked(User.objects.filter(pk=user_id)))


def _line_managers(subject):
    """The subject's managers, up their line to and including the Head of Service, then their team's
    Head of Service if the line did not reach them: a query for the subject and one per level."""
    subject = next(iter(_SUBJECT.objects(subject.pk)), None)
    if subject is None or _is_head(subject):
        return []
    found, seen = [], {subject.pk}
    manager_id = subject.line_manager_id
    while manager_id is not None and manager_id not in seen and len(found) < _MOST_LEVELS:
        manager = next(iter(_MANAGER.objects(manager_id)), None)
        if manager is None or manager.governs:
            break
        seen.add(manager.pk)
        heads = manager.heads_team or manager.head_of_service_role
        reason = HEAD_OF_SERVICE if heads else (SUPERVISOR if not found else LINE)
        found.append(Conflict(manager, reason))
        if heads:
            break
        manager_id = manager.line_manager_id
    head = subject.team.head_of_service if subject.team else None
    if head is not None and head.pk not in seen:
        found.append(Conflict(head, HEAD_OF_SERVICE))
    return found
