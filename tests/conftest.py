"""The base set of people every test can ask for, by their part in the policy."""

import pytest
from django.conf import settings

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
