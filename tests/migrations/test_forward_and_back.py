"""Every migration of the project's apps undone and done again on PostgreSQL with the demo data in the
tables (seed_demo: cases at every stage, evidence, timers, records, notifications, audit entries).

The migrations are read from the migration loader, never listed here, so that new ones are covered as they
come. Two round trips:
- back to just before every data migration (RunPython, RunSQL) and forward again: each backfill runs over
  real rows, and every row of the tables that going back keeps comes back as it was, backfilled columns
  included;
- back to zero with the rows in place, which is where a reverse fails on data (a NOT NULL column put back
  without a default, a constraint the rows break), and forward again to the same schema.
"""

import io
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations import RunPython, RunSQL

from audit.models import AuditEntry
from cases.models import Case, Evidence
from discipline.models import LetterTemplate
from reminders.models import Timer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("latest_schema_after")]

# Columns whose values going back loses for good, and why that is acceptable.
LOST_GOING_BACK = {
    # cases 0012's reverse drops the key each file was sealed with; the files stay sealed and are still
    # served (cases.sealed tells a sealed file by its first bytes), and rotate_evidence_key records it again.
    Evidence._meta.db_table: {"sealed_with"},
    # discipline 0005's reverse deletes the default letters and its forward writes them again, as they were
    # but for their ids and when they were last changed.
    LetterTemplate._meta.db_table: {"id", "updated_at"},
}
# Tables whose rows a data migration writes itself: an earlier test's flush may have emptied them, and going
# forward writes them again, so after the round trip they hold at least what they held before.
WRITTEN_BY_MIGRATIONS = {LetterTemplate._meta.db_table}


def graph():
    return MigrationExecutor(connection).loader.graph


def own_apps():
    """The project's apps with migrations (not Django's nor third parties')."""
    here = Path(settings.BASE_DIR).resolve()
    migrated = {app for app, _ in graph().nodes}
    return sorted(
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == here and config.label in migrated
    )


def migrate(targets):
    MigrationExecutor(connection).migrate(targets)


def migrate_to_latest():
    migrate(graph().leaf_nodes())


def just_before_data_migrations():
    """Targets that undo every data migration of the project's apps and what depends on it, and no more:
    each app at its last migration that needs none of them (or at zero)."""
    nodes = graph()
    own = own_apps()
    undone = set()
    for key, migration in nodes.nodes.items():
        if key[0] in own and any(isinstance(op, RunPython | RunSQL) for op in migration.operations):
            undone |= set(nodes.backwards_plan(key))
    kept = set(nodes.nodes) - undone
    targets = []
    for app in sorted({app for app, _ in nodes.nodes}):
        mine = {key for key in kept if key[0] == app}
        last = [key for key in mine if not any(child.key in mine for child in nodes.node_map[key].children)]
        targets += last or [(app, None)]
    return targets


def table_rows():
    """Every table's rows (but the migration history's), each row a tuple of its columns in name order."""
    snapshot = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table == "django_migrations":
                continue
            columns = sorted(
                column.name
                for column in connection.introspection.get_table_description(cursor, table)
                if column.name not in LOST_GOING_BACK.get(table, ())
            )
            quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from the catalogue
            snapshot[table] = sorted(repr(_plain(row)) for row in cursor.fetchall())
    return snapshot


def _plain(row):
    return tuple(bytes(value) if isinstance(value, memoryview) else value for value in row)


def schema():
    """Every table's columns and constraints (indexes included), as PostgreSQL's catalogue describes them."""
    described = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = sorted(
                (column.name, column.type_code, column.null_ok, column.default)
                for column in connection.introspection.get_table_description(cursor, table)
            )
            described[table] = (columns, connection.introspection.get_constraints(cursor, table))
    return described


def own_tables():
    return {
        model._meta.db_table
        for app in own_apps()
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
    }


@pytest.fixture
def demo_data():
    call_command("seed_demo", stdout=io.StringIO())


@pytest.mark.usefixtures("demo_data")
def test_data_migrations_run_over_real_rows_and_every_kept_row_comes_back():
    before = table_rows()

    migrate(just_before_data_migrations())
    kept = table_rows()
    migrate_to_latest()

    # The tables the backfills fill held rows while they ran.
    for model in (Case, AuditEntry, Timer):
        assert kept.get(model._meta.db_table), f"{model._meta.db_table} was emptied going back"
    after = table_rows()
    for table in kept:
        if table in WRITTEN_BY_MIGRATIONS:
            assert set(before[table]) <= set(after[table]), f"{table} lost rows going back and forward"
        else:
            assert after[table] == before[table], f"{table} changed going back and forward"
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert out.getvalue().startswith(f"Audit chain whole: {AuditEntry.objects.count()} entries")


@pytest.mark.usefixtures("demo_data")
def test_every_migration_undoes_with_rows_in_the_tables_and_redoes_to_the_same_schema():
    latest = schema()
    assert Case.objects.exists() and Evidence.objects.exists() and Timer.objects.exists()

    # The project's apps, and with them every app that depends on them (admin, guardian, the tokens, the
    # two-factor devices). Django's auth is left as it is: its 0002 cannot be undone once it has made
    # permission names longer than 50 characters, which is Django's to change, not ours.
    migrate([(app, None) for app in own_apps()])

    tables = set(connection.introspection.table_names())
    assert Case._meta.db_table not in tables
    assert not own_tables() & tables
    left = table_rows()  # Django's and third parties' tables that do not depend on the project's
    migrate_to_latest()
    assert schema() == latest
    after = table_rows()
    assert {table: after[table] for table in left} == left
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())
