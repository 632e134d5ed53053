"""Server-side prepared statements for psycopg2: PostgreSQL plans each repeated SELECT once per connection.

Measured at a million cases: PostgreSQL spent longer planning a page's statements than running them (the
case page: about 5 ms of planning for 0.8 ms of execution, over some 20 statements; a case read with its
joins plans in 0.8 ms and runs in 0.1). psycopg2 sends every statement as text with its values written in,
so the server plans it afresh each time. This cursor (given to psycopg2 as the connection's cursor factory,
focuspolicy/settings/base.py, `DATABASE_PREPARED_STATEMENTS`) sends a SELECT it has seen before on the same
connection as `PREPARE` once, then `EXECUTE name(values)`; PostgreSQL keeps the plan for the connection
(after five runs it keeps one generic plan when that costs no more than planning each time:
plan_cache_mode auto). psycopg 3 does the same by itself; psycopg2 does not.

Only plain SELECTs with positional values of simple types are prepared (a value of another type, or
named values, run as before); a statement PostgreSQL refuses to prepare is remembered and runs as before,
the refusal kept inside a savepoint so that an open transaction goes on; one whose generic plan turns out
far slower than planning each run is dropped (SLOWER_THAN), and the run where PostgreSQL may first choose
one is given a time limit (GENERIC_FROM_RUN). Not behind PgBouncer in
transaction mode: a prepared statement lives in one server connection (README, "Past one machine").
"""

import datetime
import decimal
import math
import re
import time
import uuid

import psycopg2.errors
import psycopg2.extensions
from psycopg2.extensions import TRANSACTION_STATUS_IDLE, TRANSACTION_STATUS_INTRANS

# Seen this often on one connection before it is prepared: a statement run once is not worth a PREPARE.
PREPARE_AFTER = 2
# Prepared statements kept per connection (each holds a plan in the server's memory); past it, all are
# dropped and the connection starts again.
KEPT_PER_CONNECTION = 256
# A generic plan can be far worse than planning each run: Django sends the constants of a query as values
# too (the stages of a queue), and a generic plan cannot see them, so it cannot use a partial index they
# match, nor judge a search pattern (measured: a queue of leavers' cases 0.7 ms -> 490 ms; a reference
# search 750 ms). A prepared statement that runs SLOWER_THAN times its fastest run, and for longer than
# SLOW_SECONDS, is dropped and never prepared again in this process (at most MAX_UNSUITED remembered).
SLOWER_THAN = 10
SLOW_SECONDS = 0.02
MAX_UNSUITED = 10_000
_UNSUITED = set()
# PostgreSQL plans the first five runs of a prepared statement for their values, and from the sixth may keep
# one generic plan. Once chosen it stays (the cost it is judged against is that of the five), so that run
# is the one to watch: outside a transaction it runs with a statement timeout of the limit above, and a
# generic plan that would take longer is cancelled there, dropped, and the statement run unprepared
# (measured: the leavers' queue took 600 ms once in each new worker before it was dropped; now 20 ms).
GENERIC_FROM_RUN = 6

_PLACEHOLDER = re.compile(r"%[s%]")
# The type each value is declared as, as psycopg2 would have written it in (a string is left for
# PostgreSQL to infer from where it stands, as it infers a quoted literal's).
_TYPES = (
    (bool, "boolean"),
    (int, None),
    (datetime.datetime, None),
    (datetime.date, "date"),
    (decimal.Decimal, "numeric"),
    (uuid.UUID, "uuid"),
    (str, "unknown"),
    (type(None), "unknown"),
)


def _type_of(value):
    for kind, name in _TYPES:
        if isinstance(value, kind):
            if kind is int:
                return "integer" if -(2**31) <= value < 2**31 else "bigint"
            if kind is datetime.datetime:
                return "timestamp with time zone" if value.tzinfo else "timestamp without time zone"
            return name
    return None


def _numbered(sql):
    """Django's `%s` placeholders as PostgreSQL's `$1, $2, ...` (`%%` is a percent sign)."""
    numbers = iter(range(1, 10_000))
    return _PLACEHOLDER.sub(lambda match: f"${next(numbers)}" if match.group() == "%s" else "%", sql)


class PreparingConnection(psycopg2.extensions.connection):
    """A psycopg2 connection that keeps its prepared statements (by SQL and value types)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.prepared = {}
        self.seen = {}
        self.refused = set()
        self.made = 0  # prepared statements named on this connection: each name is new


class _Statement:
    __slots__ = ("key", "name", "fastest", "runs")

    def __init__(self, key, name):
        self.key, self.name, self.fastest, self.runs = key, name, float("inf"), 0


_SENT = psycopg2.extensions.cursor.query


class PreparingCursor(psycopg2.extensions.cursor):
    _stands_for = None  # the statement and values of the EXECUTE last sent

    @property
    def query(self):
        """The statement as sent, but for an EXECUTE the one it stands for: what Django logs and what tests
        capture (connection.queries) read the SQL of a page, not the names of its prepared statements."""
        if self._stands_for is not None:
            return self.mogrify(*self._stands_for)
        return _SENT.__get__(self)

    def execute(self, query, vars=None):
        statement = self._prepared(query, vars) if vars and self.name is None else None
        if statement is None:
            self._stands_for = None
            return super().execute(query, vars)
        self._stands_for = (query, vars)
        run = f"EXECUTE {statement.name}({', '.join(['%s'] * len(vars))})"
        statement.runs += 1
        if statement.runs == GENERIC_FROM_RUN and self.connection.autocommit:
            return self._on_probation(statement, run, query, vars)
        started = time.perf_counter()
        super().execute(run, vars)
        took = time.perf_counter() - started
        if took < statement.fastest:
            statement.fastest = took
        elif took > SLOW_SECONDS and took > SLOWER_THAN * statement.fastest:
            self._unsuited(statement)

    def _on_probation(self, statement, run, query, vars):
        """The run where PostgreSQL may first choose a generic plan, with a time limit: past it, the statement
        is unsuited and runs unprepared. Only outside a transaction: the limit and the run go in one message,
        which PostgreSQL runs as one transaction, so `SET LOCAL` ends with it, cancelled or not, and nothing
        is left to lift (a statement lifting it could itself be cancelled on a busy machine). Inside a
        transaction the run goes as any other, and SLOWER_THAN still drops a plan that does not suit."""
        limit = math.ceil(1000 * max(SLOW_SECONDS, SLOWER_THAN * statement.fastest))
        try:
            super().execute(f"SET LOCAL statement_timeout = {limit}; {run}", vars)
        except psycopg2.errors.QueryCanceled:
            self._unsuited(statement)
            self._stands_for = None
            return super().execute(query, vars)

    def _prepared(self, query, values):
        connection = self.connection
        if not isinstance(connection, PreparingConnection) or not isinstance(values, (list, tuple)):
            return None
        if not query.startswith(("SELECT ", "(SELECT ")) or ";" in query:
            return None
        types = tuple(map(_type_of, values))
        if None in types:
            return None
        key = (query, types)
        statement = connection.prepared.get(key)
        if statement is not None:
            return statement
        if key in connection.refused or key in _UNSUITED:
            return None
        if len(connection.seen) >= 4 * KEPT_PER_CONNECTION:
            connection.seen.clear()  # many statements seen once (lists of values of many lengths)
        seen = connection.seen[key] = connection.seen.get(key, 0) + 1
        if seen < PREPARE_AFTER:
            return None
        if connection.get_transaction_status() not in (TRANSACTION_STATUS_IDLE, TRANSACTION_STATUS_INTRANS):
            return None  # a failed transaction: the statement runs, and fails, as before; prepared later
        if len(connection.prepared) >= KEPT_PER_CONNECTION:
            super().execute("DEALLOCATE ALL")
            connection.prepared.clear()
            connection.seen.clear()
        connection.made += 1
        statement = _Statement(key, f"fp_{connection.made}")
        if self._prepare(statement.name, types, query):
            connection.prepared[key] = statement
            return statement
        connection.refused.add(key)
        return None

    def _prepare(self, name, types, query):
        statement = f"PREPARE {name} ({', '.join(types)}) AS {_numbered(query)}"
        in_transaction = self.connection.get_transaction_status() == TRANSACTION_STATUS_INTRANS
        if in_transaction:
            super().execute("SAVEPOINT fp_prepare")
        try:
            super().execute(statement)
        except psycopg2.Error:
            if not in_transaction:
                return False
            super().execute("ROLLBACK TO SAVEPOINT fp_prepare")
            super().execute("RELEASE SAVEPOINT fp_prepare")
            return False
        if in_transaction:
            super().execute("RELEASE SAVEPOINT fp_prepare")
        return True

    def _unsuited(self, statement):
        """A run far slower than the statement's fastest: PostgreSQL gave it a generic plan that does not suit
        it. Dropped, and never prepared again in this process."""
        if len(_UNSUITED) < MAX_UNSUITED:
            _UNSUITED.add(statement.key)
        self.connection.prepared.pop(statement.key, None)
        # Another cursor: this one still holds the rows its caller is about to read.
        with psycopg2.extensions.cursor(self.connection) as cursor:
            cursor.execute(f"DEALLOCATE {statement.name}")
