"""core.compiled: a query compiled once answers for every id as the ORM would, and refuses a query whose
id the ORM changes on the way to the SQL (it would run with the wrong one)."""

import pytest

from core.compiled import CompiledQuery
from people.models import Team
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_each_run_takes_its_own_ids():
    first, second = TeamFactory(), TeamFactory()
    alice, bob = UserFactory(team=first), UserFactory(team=second)
    members = CompiledQuery(
        lambda team_id, user_id: Team.objects.filter(pk=team_id, members=user_id).values_list("name")
    )

    assert members.rows(first.pk, alice.pk) == [(first.name,)]
    assert members.rows(second.pk, bob.pk) == [(second.name,)]
    assert members.rows(first.pk, bob.pk) == []


def test_an_id_the_orm_changes_is_refused():
    TeamFactory()
    shifted = CompiledQuery(lambda team_id: Team.objects.filter(pk=team_id + 1).values_list("pk"))

    with pytest.raises(ValueError, match="not every id reaches the SQL unchanged"):
        shifted.rows(1)
