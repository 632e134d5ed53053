"""The database half of a backup: a PostgreSQL dump (pg_dump, custom format) or an SQLite copy (the online
backup API), each read back through the same snapshot it was taken from, so that the counts, the migration
state and the evidence files listed beside it are exactly what it holds.

PostgreSQL: a read-only REPEATABLE READ transaction exports its snapshot and pg_dump takes that same
snapshot (`--snapshot`); the transaction stays open while the files its rows name are copied.
SQLite: the online backup API copies the live database page by page under a read lock; the copy is then read.
The connection comes from DATABASE_URL (Django's settings); a password goes to pg_dump and pg_restore in
PGPASSWORD, never on their command line.
"""

import os
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.loader import MigrationLoader

DUMP_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup that cannot be taken or restored; the message says why and what to do."""


class Reader:
    """Reads a database through a DB-API cursor: counts per table, the migrations applied, a column."""

    def __init__(self, cursor, tables):
        self.cursor = cursor
        self.tables = sorted(tables)

    def _all(self, sql):
        self.cursor.execute(sql)
        return self.cursor.fetchall()

    def counts(self):
        quote = connection.ops.quote_name
        # Only table names from the catalogue are formatted in.
        return {table: self._all(f"SELECT COUNT(*) FROM {quote(table)}")[0][0] for table in self.tables}  # noqa: S608

    def migrations(self):
        """{app: [migration names]}, as django_migrations records them."""
        applied = {}
        for app, name in self._all("SELECT app, name FROM django_migrations ORDER BY app, name"):
            applied.setdefault(app, []).append(name)
        return applied

    def values(self, table, column):
        """The non-empty values of one column (the stored names of a FileField)."""
        quote = connection.ops.quote_name
        sql = f"SELECT {quote(column)} FROM {quote(table)} WHERE {quote(column)} <> '' ORDER BY 1"  # noqa: S608
        return [value for (value,) in self._all(sql)]


def _check_vendor():
    if connection.vendor not in DUMP_FILES:
        raise BackupError(f"Backups are made of PostgreSQL or SQLite databases, not {connection.vendor}.")


def postgres_tool(name):
    """The path of pg_dump or pg_restore, or an error that says how to install them."""
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"{name} was not found on PATH: install the PostgreSQL 15 client tools "
            "(Debian: apt-get install postgresql-client-15) or put their folder on PATH."
        )
    return path


def postgres_env():
    """The environment for pg_dump and pg_restore: DATABASE_URL's connection in PG* variables."""
    settings_dict = connection.settings_dict
    _args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env = {**os.environ, **(env or {})}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _run(command):
    result = subprocess.run(command, env=postgres_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode:
        raise BackupError(f"{os.path.basename(command[0])} failed: {result.stderr.strip()}")


@contextmanager
def snapshot(path):
    """Write the database to `path`; yield a Reader of the very data written, until the block ends."""
    _check_vendor()
    if connection.vendor == "postgresql":
        if connection.in_atomic_block:
            raise BackupError("A backup is taken outside any transaction.")
        pg_dump = postgres_tool("pg_dump")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot_id,) = cursor.fetchone()
            _run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot_id}", "--no-password"]
                + [f"--file={path}", f"--dbname={connection.settings_dict['NAME']}"]
            )
            yield Reader(cursor, connection.introspection.table_names(cursor))
        return
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        yield Reader(cursor, [name for (name,) in cursor.fetchall()])
    finally:
        copy.close()


def database_tables():
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def database_counts():
    with connection.cursor() as cursor:
        return Reader(cursor, connection.introspection.table_names(cursor)).counts()


def database_restore(path):
    """Load a dump or copy into the (empty) database of DATABASE_URL."""
    _check_vendor()
    if connection.vendor == "postgresql":
        # No owners and no grants from the old server: the objects belong to the role restoring them (the
        # owner role), and the app role's grants are given again afterwards (README, "The audit trail").
        _run(
            [postgres_tool("pg_restore"), "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction"]
            + ["--no-password", f"--dbname={connection.settings_dict['NAME']}", str(path)]
        )
    else:
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    # Content types were looked up in the database that was there before.
    ContentType.objects.clear_cache()


def migrations_unknown(applied):
    """The migrations recorded in a backup that this code does not have, as "app.name"."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    recorded = [(app, name) for app, names in applied.items() for name in names]
    return sorted(f"{app}.{name}" for app, name in recorded if (app, name) not in known)
