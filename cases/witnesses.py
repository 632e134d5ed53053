"""The people named as witnesses on a case: recorded by its handler or the Head of Business and Governance,
each change a timeline event and an audit entry. Being named gives a witness nothing of the case; it
keeps them from handling it (cases.conflicts)."""

from django.db import transaction
from django.utils import timezone

from audit.services import step_record
from core.errors import DomainError
from people.selectors import people_matching, staff_members

from . import access
from .models import Case, CaseEvent, CaseWitness

# The witness field lists this many matches at most, as the reassign field does.
WITNESS_MATCHES = 20


def witness_candidates(*, case):
    """Who may be named as a witness: the members of staff still here, except the subject (and those named
    already)."""
    people = staff_members().filter(is_active=True).exclude(pk=case.subject_person_id or 0)
    return people.exclude(pk__in=CaseWitness.objects.filter(case=case).values("person"))


def witness_matches(*, case, text):
    """The people who may be named (`witness_candidates`) whose name matches what was typed: at most
    WITNESS_MATCHES, and whether there were more."""
    if not text.split():
        return [], False  # Nobody is listed until a name is typed: no need to build the candidates.
    return people_matching(witness_candidates(case=case), text, limit=WITNESS_MATCHES)


def _check(case, by):
    relation = access.case_relation(by, case)
    if relation not in (access.HANDLER, access.GOVERNANCE):
        raise DomainError("You cannot change the witnesses on this case.")
    if case.anonymised_at is not None:
        raise DomainError("This case has been anonymised: it names nobody.")


@transaction.atomic
def witness_add(*, case, by, person):
    """Name `person` as a witness. The person handling the case is refused: they may not go on handling a
    case they witnessed, so it is reassigned first (the reassignment is a decision with its own reason,
    not a side effect)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check(case, by)
    if person.pk == case.subject_person_id:
        raise DomainError(f"{person} is the subject of the concern, not a witness.")
    if person.pk == case.handler_id:
        raise DomainError(
            f"{person} handles this case, and a witness may not: reassign it to someone else first, "
            "then name them as a witness."
        )
    if not witness_candidates(case=case).filter(pk=person.pk).exists():
        raise DomainError(f"{person} cannot be named as a witness on this case.")
    now = timezone.now()
    witness = CaseWitness.objects.create(case=case, person=person, added_by=by, added_at=now)
    step_record(
        CaseEvent(case=case, kind=CaseEvent.Kind.WITNESS_NAMED, actor=by, at=now, text=f"{person}."),
        actor=by,
        case=case,
        what=f"named {person} as a witness on {case.reference}",
        details={"witness": person.pk},
    )
    return witness


@transaction.atomic
def witness_remove(*, case, by, witness):
    """No longer name this witness on the case."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check(case, by)
    if witness.case_id != case.pk:
        raise DomainError("That person is not named as a witness on this case.")
    person = witness.person
    witness.delete()
    now = timezone.now()
    step_record(
        CaseEvent(case=case, kind=CaseEvent.Kind.WITNESS_REMOVED, actor=by, at=now, text=f"{person}."),
        actor=by,
        case=case,
        what=f"removed {person} as a witness on {case.reference}",
        details={"witness": person.pk},
    )
    return person
