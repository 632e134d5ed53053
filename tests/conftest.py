"""The base set of people every test can ask for, by their part in the policy."""

import pytest

from people.roles import Role
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
