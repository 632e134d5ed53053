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

import pytest
import time_machine

from cases import services
from cases.models import Outcome, Platform, SubjectKind
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
