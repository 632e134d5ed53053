"""Repeated SELECTs are prepared once per PostgreSQL connection (core/prepared.py), and answer as before.

PostgreSQL only, as in CI: SQLite has no prepared statements to ask about.
"""

import os

import pytest
from django.db import connection, transaction

from core import prepared
from people.models import User
from tests.test_settings import run_python

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own, as in CI")


def prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def run(sql, values):
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchall()


@pytest.mark.django_db
def test_a_query_seen_twice_is_prepared_and_answers_as_before():
    User.objects.create(username="prepared-person", first_name="Pat")
    answers = [
        list(User.objects.filter(username="prepared-person").values_list("first_name", flat=True))
        for _ in range(7)  # past the five custom plans PostgreSQL makes before it keeps a generic one
    ]
    assert answers == [["Pat"]] * 7
    query = '"first_name" FROM "people_user" WHERE "people_user"."username" = $1'
    assert len([text for text in prepared_statements() if query in text]) == 1


@pytest.mark.django_db
def test_a_query_seen_once_is_not_prepared():
    run("SELECT %s::text || '-once' AS \"once\"", ["only"])
    assert not [text for text in prepared_statements() if "-once" in text]


@pytest.mark.django_db
def test_the_same_query_with_values_of_other_types_answers_each_as_before():
    sql = 'SELECT %s::text AS "word", %s + 0 AS "number_of_the_test"'
    assert [run(sql, ["a", 1]) for _ in range(3)] == [[("a", 1)]] * 3
    assert [run(sql, ["b", 2**40]) for _ in range(3)] == [[("b", 2**40)]] * 3
    assert len([text for text in prepared_statements() if '"number_of_the_test"' in text]) == 2


@pytest.mark.django_db
def test_a_percent_sign_in_the_query_stays_a_percent_sign():
    sql = "SELECT %s::text LIKE 'ab%%' AS \"matches\""
    assert [run(sql, [value])[0][0] for value in ("abc", "abc", "xbc", "abd")] == [True, True, False, True]


@pytest.mark.django_db(transaction=True)
def test_a_query_postgresql_cannot_prepare_runs_as_before_and_the_transaction_goes_on():
    # A value whose type nothing around it says: PostgreSQL refuses to prepare it, but runs it with the
    # value written in (a quoted literal, taken as text).
    sql = 'SELECT %s IS NULL AS "anything"'
    with transaction.atomic():
        assert [run(sql, ["loose"]) for _ in range(3)] == [[(False,)]] * 3
        User.objects.create(username="after-the-refusal")
    assert User.objects.filter(username="after-the-refusal").exists()
    assert not [text for text in prepared_statements() if '"anything"' in text]


@pytest.mark.django_db
def test_values_of_other_kinds_run_as_before_without_preparing():
    sql = 'SELECT %s::float8 * 2 AS "twice"'
    assert [run(sql, [1.5]) for _ in range(3)] == [[(3.0,)]] * 3
    assert not [text for text in prepared_statements() if '"twice"' in text]


@pytest.mark.django_db
def test_a_prepared_statement_that_runs_far_slower_than_its_fastest_is_dropped_and_not_prepared_again():
    # As a generic plan that does not suit a statement: the same statement, suddenly slow.
    sql = 'SELECT pg_sleep(%s / 1000.0) AS "slept", %s AS "run"'
    assert [run(sql, [0, n])[0][1] for n in range(7)] == list(range(7))
    assert [text for text in prepared_statements() if '"slept"' in text]
    assert run(sql, [60, 7])[0][1] == 7
    assert not [text for text in prepared_statements() if '"slept"' in text]
    assert [run(sql, [0, n])[0][1] for n in range(8, 12)] == list(range(8, 12))
    assert not [text for text in prepared_statements() if '"slept"' in text]


SHOW_PREPARED = """
import django
django.setup()
from django.db import connection
for _ in range(3):
    with connection.cursor() as cursor:
        cursor.execute('SELECT %s::int + 1 AS "next"', [1])
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE strpos(statement, 'next') > 0")
    print(cursor.fetchone()[0])
"""


@pytest.mark.parametrize(
    ("setting", "expected"), [({}, "1"), ({"DATABASE_PREPARED_STATEMENTS": "false"}, "0")]
)
def test_prepared_statements_are_on_unless_told_otherwise(setting, expected):
    # Off behind PgBouncer in transaction mode, where a prepared statement lives in one server connection.
    result = run_python(
        ["-c", SHOW_PREPARED],
        settings_module="focuspolicy.settings.local",
        DATABASE_URL=os.environ.get("DATABASE_URL", ""),
        **setting,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


def statement_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


def counted_sleep(name):
    """A statement of its own (unsuited ones are remembered by the process) that counts its runs, even a run
    cancelled (a sequence goes on), then sleeps: it answers its count and a number."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY SEQUENCE {name}")
    return f'SELECT nextval(\'{name}\') AS "{name}", pg_sleep(%s / 1000.0)::text, %s AS "run"'


def is_prepared(sql):
    name = sql.split('"')[1]
    return bool([text for text in prepared_statements() if f'"{name}"' in text])


def runs_until_probation(sql):
    """Seen once, then prepared: its runs before the one where PostgreSQL may first choose a generic plan."""
    runs = range(1, prepared.GENERIC_FROM_RUN + 1)
    assert [run(sql, [0, n]) for n in runs] == [[(n, "", n)] for n in runs]
    assert is_prepared(sql)


@pytest.mark.django_db(transaction=True)
def test_the_run_where_a_generic_plan_may_be_chosen_is_stopped_at_the_limit_and_runs_unprepared():
    sql = counted_sleep("probation_failed")
    runs_until_probation(sql)
    # As a generic plan far slower than the five planned for their values: cancelled at the limit (20 ms,
    # counted), then run as before, unprepared (counted again).
    assert run(sql, [300, 99]) == [(8, "", 99)]
    assert not is_prepared(sql)
    assert statement_timeout() == "0"
    assert run(sql, [0, 100]) == [(9, "", 100)]
    assert not is_prepared(sql)


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_that_run_goes_as_any_other_and_the_transaction_goes_on():
    # No limit is set inside a transaction (nothing could lift it safely there): the slow run goes whole
    # (counted once) and is then dropped as far slower than its fastest.
    with transaction.atomic():
        sql = counted_sleep("probation_in_transaction")
        User.objects.create(username="before-the-probation")
        runs_until_probation(sql)
        assert run(sql, [300, 99]) == [(7, "", 99)]
        assert not is_prepared(sql)
        User.objects.create(username="after-the-probation")
        assert statement_timeout() == "0"
    assert User.objects.filter(username__in=["before-the-probation", "after-the-probation"]).count() == 2
    assert statement_timeout() == "0"


@pytest.mark.django_db(transaction=True)
def test_a_probation_passed_keeps_the_statement_prepared_and_leaves_no_limit():
    sql = counted_sleep("probation_passed")
    runs_until_probation(sql)
    assert run(sql, [0, 7]) == [(7, "", 7)]
    assert is_prepared(sql)
    assert statement_timeout() == "0"
    # A run after it slower than the limit is not cancelled: the limit was for that one run.
    assert run(sql, [50, 8]) == [(8, "", 8)]
