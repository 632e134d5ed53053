"""A small, known set of cases for the reports, raised and moved at chosen moments with time-machine.

    A  Mon  5 Jan 2026 10:00, staff (Community Support), Facebook, 5.2. Triage started 6 Jan, referred
       Wed 7 Jan 11:00 (3 working days: after the reminder), review started 8 Jan, closed "content removed"
       Mon 19 Jan 09:00 (8 working days after the referral).
    B  Fri  9 Jan 2026 15:00, staff2 (Supported Living), Twitter, 5.2 and 5.3. Closed at triage Mon 12 Jan
       14:00: 1 working day over the weekend.
    X  Tue 13 Jan 2026, staff, about the governance head: in none of the governance head's figures.
    C  Mon  2 Feb 2026 09:00, staff, LinkedIn, 6.4. Referred Mon 9 Feb 10:00 (6 working days: escalated),
       review started 10 Feb and still under review.
    (no case in March)
    D  Thu  2 Apr 2026 10:00, staff2, a blog, no clause. Closed at triage Tue 7 Apr 09:00: 1 working day
       over Easter (Good Friday and Easter Monday are bank holidays).
    O  Mon  1 Dec 2025, before the period.

The period is 1 January to 30 April 2026; "now" is 15 May 2026.
"""

import datetime

import pytest
import time_machine

from cases import services
from cases.models import Outcome, Platform, SubjectKind
from discipline.models import WARNINGS, DisciplinaryRecord, RecordClause
from discipline.models import Outcome as DisciplinaryOutcome
from policies.models import PolicyVersion
from tests.reports.moments import NOW, at


@pytest.fixture
def clause(policy):
    clauses = {c.number: c for c in policy.current_version().clauses()}
    return clauses.__getitem__


@pytest.fixture
def raise_at(raise_case):
    def _raise(when, reporter, **fields):
        with time_machine.travel(when, tick=False):
            return raise_case(reporter, **fields)

    return _raise


@pytest.fixture
def move_at(governance):
    """move_at(when, case, "refer", ...): one move, by the case's handler or (for governance moves) the
    governance head."""

    def _move(when, case, name, outcome=""):
        by = governance if name in ("start_review", "start_action", "close") else case.handler
        with time_machine.travel(when, tick=False):
            return services.case_move(
                case=case, by=by, move=name, reason="Recorded for the test.", outcome=outcome
            )

    return _move


@pytest.fixture
def world(raise_at, move_at, clause, staff, other_staff, governance):
    a = raise_at(at(2026, 1, 5, 10), staff, platform=Platform.FACEBOOK, clauses=[clause("5.2")])
    move_at(at(2026, 1, 6, 9), a, "start_triage")
    move_at(at(2026, 1, 7, 11), a, "refer")
    move_at(at(2026, 1, 8, 9), a, "start_review")
    move_at(at(2026, 1, 19, 9), a, "close", outcome=Outcome.CONTENT_REMOVED)

    b = raise_at(
        at(2026, 1, 9, 15), other_staff, platform=Platform.TWITTER, clauses=[clause("5.2"), clause("5.3")]
    )
    move_at(at(2026, 1, 12, 14), b, "close_at_triage")

    x = raise_at(
        at(2026, 1, 13, 10),
        staff,
        subject_kind=SubjectKind.COLLEAGUE,
        subject_person=governance,
        subject_description="",
        platform=Platform.FACEBOOK,
        clauses=[clause("5.2")],
    )

    c = raise_at(at(2026, 2, 2, 9), staff, platform=Platform.LINKEDIN, clauses=[clause("6.4")])
    move_at(at(2026, 2, 3, 9), c, "start_triage")
    move_at(at(2026, 2, 9, 10), c, "refer")
    move_at(at(2026, 2, 10, 9), c, "start_review")

    d = raise_at(at(2026, 4, 2, 10), other_staff, platform=Platform.BLOG, clauses=[])
    move_at(at(2026, 4, 7, 9), d, "close_at_triage")

    o = raise_at(at(2025, 12, 1, 10), staff, platform=Platform.FACEBOOK, clauses=[clause("5.2")])
    return {"A": a, "B": b, "X": x, "C": c, "D": d, "O": o}


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


# --- The review pack (clause 10.1) --------------------------------------------------------------------

LAST_REVIEW = at(2026, 1, 1, 9)


@pytest.fixture
def reviewed(policy):
    """The current version was approved on 1 January 2026, with its next review in three years."""
    PolicyVersion.objects.filter(pk=policy.current_version().pk).update(
        approved_at=LAST_REVIEW,
        effective_date=datetime.date(2026, 1, 1),
        next_review_date=datetime.date(2029, 1, 1),
    )
    return policy


@pytest.fixture
def close_at(move_at):
    """Take a newly raised case through triage and review to closing with `outcome` on `day`."""

    def _close(case, day, outcome):
        move_at(day.replace(hour=9), case, "start_triage")
        move_at(day.replace(hour=10), case, "refer")
        move_at(day.replace(hour=11), case, "start_review")
        return move_at(day.replace(hour=15), case, "close", outcome=outcome)

    return _close


def record(*, employee, clauses, decided_on, outcome, by):
    """A disciplinary record decided with `outcome`, as HR's services leave one."""
    made = DisciplinaryRecord.objects.create(
        reference=f"DR-{DisciplinaryRecord.objects.count() + 1:04d}",
        employee=employee,
        allegation="Posted about a service user.",
        severity="misconduct",
        opened_by=by,
        opened_on=decided_on - datetime.timedelta(days=20),
        step="decided",
        hearing_held_on=decided_on - datetime.timedelta(days=2),
        outcome=outcome,
        decided_on=decided_on,
        outcome_in_force=outcome,
        warning_expires_on=decided_on + datetime.timedelta(days=365) if outcome in WARNINGS else None,
    )
    for clause in clauses:
        RecordClause.objects.create(record=made, clause=clause, number=clause.number, text=clause.text)
    return made


@pytest.fixture
def pack_world(reviewed, world, raise_at, close_at, clause, staff, other_staff, hr, governance):
    """Since the last review: A closed "content removed" (5.2, in `world`), E a disciplinary referral
    (5.3 and 10.2), G content removed with no clause; not breaches: B (closed at triage), F (no breach
    found). Before it: O closed "content removed" in December. Disciplinary records: a first written
    warning for 5.2 since the review; one with no action, one before the review, and one about the
    governance head, none of which count."""
    e = raise_at(at(2026, 1, 20, 8), staff, clauses=[clause("10.2"), clause("5.3")])
    close_at(e, at(2026, 2, 3), Outcome.DISCIPLINARY_REFERRAL)
    g = raise_at(at(2026, 2, 4, 8), other_staff, clauses=[])
    close_at(g, at(2026, 2, 5), Outcome.CONTENT_REMOVED)
    f = raise_at(at(2026, 2, 4, 8), other_staff, clauses=[clause("6.4")])
    close_at(f, at(2026, 2, 6), Outcome.NO_BREACH)
    close_at(world["O"], at(2025, 12, 10), Outcome.CONTENT_REMOVED)

    warning = DisciplinaryOutcome.FIRST_WRITTEN_WARNING
    record(
        employee=other_staff,
        clauses=[clause("5.2")],
        decided_on=datetime.date(2026, 3, 2),
        outcome=warning,
        by=hr,
    )
    no_action = DisciplinaryOutcome.NO_ACTION
    record(
        employee=staff,
        clauses=[clause("6.4")],
        decided_on=datetime.date(2026, 3, 2),
        outcome=no_action,
        by=hr,
    )
    record(
        employee=staff,
        clauses=[clause("6.4")],
        decided_on=datetime.date(2025, 12, 20),
        outcome=warning,
        by=hr,
    )
    record(
        employee=governance,
        clauses=[clause("6.4")],
        decided_on=datetime.date(2026, 3, 3),
        outcome=warning,
        by=hr,
    )
    return {**world, "E": e, "F": f, "G": g}


# --- The clause analytics -------------------------------------------------------------------------------


@pytest.fixture
def clause_world(world, raise_at, close_at, clause, staff, other_staff):
    """The known cases (conftest.py's `world`) and three more citing clause 5.2, for the clause analytics.

        E  Tue  3 Mar 2026 10:00, staff (Community Support) about staff2, 5.2. Closed "no breach found"
           Tue 10 Mar 15:00: 7 calendar days.
        F  Wed  4 Mar 2026 10:00, staff about staff2, 5.2. Closed "disciplinary referral" Wed 25 Mar 15:00:
           21 calendar days. staff2 is the subject of E and F: a repeat subject.
        G  Thu 16 Apr 2026 10:00, staff2 (Supported Living) about staff, 5.2. Still open.

    With the known A (5 Jan, staff, closed "content removed" 19 Jan: 14 days) and B (9 Jan, staff2, 5.2 and
    5.3, closed at triage 12 Jan: 3 days); X is about the governance head (in none of their figures), C cites
    6.4, D no clause, O was raised in December, before the period.
    """
    about = {"subject_kind": SubjectKind.COLLEAGUE, "subject_description": ""}
    e = raise_at(at(2026, 3, 3, 10), staff, subject_person=other_staff, clauses=[clause("5.2")], **about)
    close_at(e, at(2026, 3, 10), Outcome.NO_BREACH)
    f = raise_at(at(2026, 3, 4, 10), staff, subject_person=other_staff, clauses=[clause("5.2")], **about)
    close_at(f, at(2026, 3, 25), Outcome.DISCIPLINARY_REFERRAL)
    g = raise_at(at(2026, 4, 16, 10), other_staff, subject_person=staff, clauses=[clause("5.2")], **about)
    return {**world, "E": e, "F": f, "G": g}
