"""Cases for tests: raised through the service, then moved along the workflow as people would."""

import datetime

import pytest
from django.utils import timezone

from cases import services
from cases.models import Outcome, Platform, Stage, SubjectKind

# The moves, and who makes them, that take a newly raised case to each stage.
PATH = {
    Stage.SUBMITTED: [],
    Stage.IN_TRIAGE: [("start_triage", "handler")],
    Stage.CLOSED_AT_TRIAGE: [("close_at_triage", "handler")],
    Stage.REFERRED: [("start_triage", "handler"), ("refer", "handler")],
    Stage.UNDER_REVIEW: [("start_triage", "handler"), ("refer", "handler"), ("start_review", "governance")],
    Stage.ACTION_IN_PROGRESS: [
        ("start_triage", "handler"),
        ("refer", "handler"),
        ("start_review", "governance"),
        ("start_action", "governance"),
    ],
    Stage.CLOSED: [
        ("start_triage", "handler"),
        ("refer", "handler"),
        ("start_review", "governance"),
        ("close", "governance"),
    ],
}


@pytest.fixture
def raise_case(policy):
    """raise_case(reporter, **fields): a concern raised through the service, as the form would."""

    def _raise(reporter, **fields):
        version = policy.current_version()
        defaults = {
            "subject_kind": SubjectKind.PUBLIC,
            "subject_description": "A Facebook account called 'Concerned Neighbour'",
            "platform": Platform.FACEBOOK,
            "links": "https://facebook.example/posts/1",
            "seen_at": timezone.now() - datetime.timedelta(hours=3),
            "description": "A post naming a service user and describing their care.",
            "clauses": [version.clauses().get(number="5.2")],
        }
        defaults.update(fields)
        return services.case_raise(reporter=reporter, policy_version=version, **defaults)

    return _raise


@pytest.fixture
def move_to(governance):
    """move_to(case, stage): make the moves that take the case there, each by the person allowed."""

    def _move(case, stage):
        for name, who in PATH[stage]:
            by = case.handler if who == "handler" else governance
            extra = {"reason": "Recorded for the test."}
            if name == "close":
                extra["outcome"] = Outcome.NO_BREACH
            case = services.case_move(case=case, by=by, move=name, **extra)
        return case

    return _move


@pytest.fixture
def case_about_colleague(raise_case, staff, other_staff, governance):
    """`staff` reports `staff2`'s posting; it goes to staff's supervisor."""
    return raise_case(
        staff, subject_kind=SubjectKind.COLLEAGUE, subject_person=other_staff, subject_description=""
    )
