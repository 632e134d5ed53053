"""core.compiled: a query compiled once answers for every id as the ORM would, and refuses a query whose
id the ORM changes on the way to the SQL (it would run with the wrong one)."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.db.models import F, signals

from cases.models import Case, Evidence
from core.compiled import CompiledQuery
from people.models import Team, User
from tests.factories import TeamFactory, UserFactory, case_raised

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

    with pytest.raises(ValueError, match="not every argument reaches the SQL unchanged"):
        shifted.rows(1)


def test_objects_are_the_models_the_orm_gives_with_what_they_select_and_annotate():
    team = TeamFactory()
    alice = UserFactory(team=team, first_name="Alice")
    UserFactory(team=TeamFactory())

    members = CompiledQuery(
        lambda name: (
            User.objects.filter(team__name=name)
            .select_related("team")
            .annotate(joined_on=F("date_joined"))
            .order_by("pk")
        )
    )

    (found,) = members.objects(team.name)
    assert found == alice and found.first_name == "Alice"
    assert found.team.name == team.name  # select_related: no query to read it
    assert found.joined_on == alice.date_joined  # a datetime, converted as the ORM would on SQLite
    assert found._state.adding is False and found._state.db == "default"
    assert members.objects("no such team") == []


def test_rows_are_converted_as_the_orm_would():
    alice = UserFactory()
    joined = CompiledQuery(lambda user_id: User.objects.filter(pk=user_id).values_list("date_joined"))

    assert joined.rows(alice.pk) == [(alice.date_joined,)]


def test_each_run_takes_its_own_dates():
    day = datetime.date(2026, 12, 7)
    left = {offset: UserFactory(left_on=day + datetime.timedelta(days=offset)) for offset in (-1, 0, 1)}
    leaving = CompiledQuery(
        lambda start, end: User.objects.filter(left_on__gte=start, left_on__lte=end).order_by("left_on")
    )

    assert leaving.objects(day, day) == [left[0]]
    assert leaving.objects(day - datetime.timedelta(days=1), day) == [left[-1], left[0]]
    assert leaving.objects(day + datetime.timedelta(days=2), day + datetime.timedelta(days=9)) == []


def test_each_run_takes_its_own_moments_to_the_microsecond():
    """Moments as arguments (a keyset page's cursor): compared as the ORM compares them, on either backend
    (SQLite is given them as text in UTC)."""
    moment = datetime.datetime(2026, 12, 7, 9, 30, 0, 123456, tzinfo=datetime.UTC)
    joined = {
        offset: UserFactory(date_joined=moment + datetime.timedelta(microseconds=offset))
        for offset in (-1, 0, 1)
    }
    before = CompiledQuery(
        lambda until, user_id: User.objects.filter(date_joined__lt=until, pk__gte=user_id).order_by("pk")
    )

    assert before.objects(moment, joined[-1].pk) == [joined[-1]]
    later = moment + datetime.timedelta(microseconds=2)
    assert before.objects(later, joined[-1].pk) == [joined[-1], joined[0], joined[1]]
    # The same moment given in another zone is the same moment.
    london = moment.astimezone(zoneinfo.ZoneInfo("Europe/London")) + datetime.timedelta(microseconds=1)
    assert before.objects(london, joined[-1].pk) == [joined[-1], joined[0]]


def test_a_date_the_orm_changes_is_refused_and_a_naive_moment_is_not_taken():
    shifted = CompiledQuery(
        lambda day: User.objects.filter(left_on__lte=day + datetime.timedelta(days=1)).values_list("pk")
    )
    with pytest.raises(ValueError, match="not every argument reaches the SQL unchanged"):
        shifted.rows(datetime.date(2026, 12, 7))

    joined = CompiledQuery(lambda moment: User.objects.filter(date_joined__lte=moment).values_list("pk"))
    with pytest.raises(TypeError, match="aware datetimes only"):
        joined.rows(datetime.datetime(2026, 12, 7))
    on_the_day = CompiledQuery(lambda moment: User.objects.filter(date_joined__date=moment).values_list("pk"))
    with pytest.raises(ValueError, match="not every argument reaches the SQL unchanged"):
        on_the_day.rows(datetime.datetime(2026, 12, 7, tzinfo=datetime.UTC))


def test_a_string_the_orm_changes_is_refused():
    containing = CompiledQuery(lambda text: User.objects.filter(username__contains=text).values_list("pk"))

    with pytest.raises(ValueError, match="not every argument reaches the SQL unchanged"):
        containing.rows("ali")


def test_prefetch_related_is_refused():
    prefetching = CompiledQuery(lambda user_id: User.objects.filter(pk=user_id).prefetch_related("groups"))

    with pytest.raises(ValueError, match="prefetch_related"):
        prefetching.objects(1)


def test_a_part_is_counted_with_querysets_as_they_would_be():
    from core.counts import at_most, count_each

    team, other = TeamFactory(), TeamFactory()
    for _ in range(3):
        UserFactory(team=team)
    UserFactory(team=other)
    members = CompiledQuery(lambda team_id: at_most(User.objects.filter(team=team_id), most=2))

    counts = count_each([members.part(team.pk), members.part(other.pk), User.objects.filter(team=team)])
    assert counts == [3, 1, 3]  # at most 2 + 1 of the first, as at_most reads them
    assert members.part(other.pk).params != members.part(team.pk).params


def test_constants_with_quotes_and_percent_signs_answer_as_the_orm_would():
    """The query's own values (here part of a name, with a quote, a percent sign and %s in it) are written
    into the SQL on PostgreSQL: they must still find what the ORM finds, and nothing else."""
    team = TeamFactory(name="O'Neil's 50%s team")
    alice = UserFactory(team=team)
    bob = UserFactory(team=TeamFactory(name="O'Neil's 50s team"))  # % is not a wildcard here
    members = CompiledQuery(
        lambda user_id: User.objects.filter(pk=user_id, team__name__contains="'s 50%s").values_list("pk")
    )

    assert members.rows(alice.pk) == [(alice.pk,)]
    assert members.rows(bob.pk) == []
    assert list(User.objects.filter(team__name__contains="'s 50%s").values_list("pk")) == [(alice.pk,)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="constants are written in on PostgreSQL only")
def test_on_postgresql_only_the_arguments_are_parameters():
    """A stage or a codename as a parameter kept PostgreSQL from planning a prepared statement once (it
    cannot match a partial index's condition against a parameter): the constants are in the SQL."""
    alice = UserFactory(first_name="Alice", team=TeamFactory())
    named = CompiledQuery(
        lambda user_id: User.objects.filter(pk=user_id, first_name="Alice", team__gt=0).values_list("pk")
    )

    part = named.part(alice.pk)
    assert part.params == [alice.pk]
    assert "'Alice'" in part.sql and "> 0" in part.sql
    assert named.rows(alice.pk) == [(alice.pk,)]


def _fields(obj):
    """What an instance holds of its fields, as its code reads them, and which it left to load."""
    loaded = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.attname in vars(obj)}
    return loaded, obj.get_deferred_fields(), (obj._state.adding, obj._state.db)


def test_objects_hold_what_the_orm_instances_hold_with_deferred_fields_and_missing_relations(staff, policy):
    case = case_raised(policy, staff, platform_other="")
    Evidence.objects.create(
        case=case, file="evidence/a.png", stored_name="a", original_name="a.png", content_type="image/png",
        size=3, sha256="0" * 64, uploaded_by=None,
    )  # fmt: skip
    cases = CompiledQuery(
        lambda case_id: (
            Case.objects.filter(pk=case_id).select_related("handler__team", "reporter_team").only(
                "reference", "stage", "created_at", "handler__username", "handler__team__name",
                "reporter_team__name",
            )
        )
    )  # fmt: skip
    evidence = CompiledQuery(
        lambda case_id: Evidence.objects.filter(case=case_id).select_related("uploaded_by")
    )

    (made,) = cases.objects(case.pk)
    (orm,) = Case.objects.filter(pk=case.pk).select_related("handler__team", "reporter_team").only(
        "reference", "stage", "created_at", "handler__username", "handler__team__name", "reporter_team__name"
    )  # fmt: skip
    assert _fields(made) == _fields(orm) and made.get_deferred_fields()  # some left to load, as the ORM's
    assert _fields(made.handler) == _fields(orm.handler)
    assert _fields(made.handler.team) == _fields(orm.handler.team)
    assert made.reporter_team == orm.reporter_team
    (file_row,) = evidence.objects(case.pk)
    assert file_row.uploaded_by is None  # a relation with no row is None, read without a query
    assert file_row.file.name == "evidence/a.png" and file_row.file.instance is file_row
    assert made.description == case.description  # a deferred field loads when read, as on the ORM's


def test_objects_change_and_save_as_the_orm_instances_do(staff):
    other_team = TeamFactory()
    people_before = User.objects.count()
    people = CompiledQuery(lambda user_id: User.objects.filter(pk=user_id).select_related("team"))

    (made,) = people.objects(staff.pk)
    made.team_id = other_team.pk  # the team read with it is forgotten, as on a model the ORM made
    assert made.team == other_team
    made.first_name = "Changed"
    made.save(update_fields=["first_name", "team"])
    staff.refresh_from_db()
    assert (staff.first_name, staff.team_id) == ("Changed", other_team.pk)
    assert User.objects.count() == people_before  # saved as the row it was read from, not added


def test_a_model_with_an_init_listener_is_made_by_its_own_init():
    team = TeamFactory()
    seen = []

    def listener(sender, instance, **kwargs):
        seen.append(instance.pk)

    signals.post_init.connect(listener, sender=Team)
    try:
        teams = CompiledQuery(lambda team_id: Team.objects.filter(pk=team_id))
        (made,) = teams.objects(team.pk)
    finally:
        signals.post_init.disconnect(listener, sender=Team)
    assert seen == [team.pk] and made == team
