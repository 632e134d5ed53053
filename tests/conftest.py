"""The base set of people every test can ask for, by their part in the policy."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from cases import services
from cases.models import Outcome, Platform, Stage, SubjectKind
from people.roles import Role
from policies import services as policy_services
from tests.factories import TeamFactory, UserFactory


@pytest.fixture
def team():
    return TeamFactory(name="Community Support")


@pytest.fixture
def other_team():
    return TeamFactory(name="Supported Living")


@pytest.fixture
def head_of_service(db, team, other_team):
    person = UserFactory(username="headofservice", roles=[Role.HEAD_OF_SERVICE], team=team)
    for t in (team, other_team):
        t.head_of_service = person
        t.save()
    return person


@pytest.fixture
def governance(db):
    return UserFactory(
        username="governance", roles=[Role.GOVERNANCE], job_title="Head of Business and Governance"
    )


@pytest.fixture
def supervisor(db, team, head_of_service):
    return UserFactory(
        username="supervisor", roles=[Role.SUPERVISOR], team=team, line_manager=head_of_service
    )


@pytest.fixture
def other_supervisor(db, other_team, head_of_service):
    return UserFactory(
        username="supervisor2", roles=[Role.SUPERVISOR], team=other_team, line_manager=head_of_service
    )


@pytest.fixture
def staff(db, team, supervisor):
    return UserFactory(username="staff", team=team, line_manager=supervisor)


@pytest.fixture
def other_staff(db, other_team, other_supervisor):
    return UserFactory(username="staff2", team=other_team, line_manager=other_supervisor)


@pytest.fixture
def hr(db):
    return UserFactory(username="hr", roles=[Role.HR])


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", roles=[Role.ADMINISTRATOR], is_staff=True)


@pytest.fixture
def outsider(db):
    """Staff with no relation to anything under test."""
    return UserFactory(username="outsider")


SEED = settings.BASE_DIR / "data" / "social-media-policy.txt"


@pytest.fixture
def policy_text():
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def policy(db, governance, policy_text):
    """The Social Media Policy, imported and approved, owned by the Head of Business and Governance."""
    version = policy_services.policy_import(text=policy_text, title="Social Media Policy").version
    version.policy.owner = governance
    version.policy.save()
    policy_services.version_approve(version=version, by=governance)
    return version.policy


@pytest.fixture
def draft_v2(policy, policy_text):
    """A second text of the policy, still a draft: 5.3 reworded and a new clause 10.3."""
    text = policy_text.replace(
        "Staff should therefore avoid making controversial comments",
        "Staff must therefore avoid making controversial or unkind comments",
    ).replace(
        "by contacting the Head of Business and Governance.",
        "by contacting the Head of Business and Governance.\n- 10.3 Comments can be made in focuspolicy.",
    )
    return policy_services.policy_import(text=text, title="Social Media Policy").version


# --- Cases: Cases for tests: raised through the service, then moved along the workflow as people would.

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
