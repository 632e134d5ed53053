"""Small queries that every page runs, compiled to SQL once per process instead of once per request.

Building a query in the ORM (filters, joins, a union, compiling it to SQL) costs about a millisecond of
Python; the person's roles and permissions, the unread badge and the navigation's "do they handle cases"
take PostgreSQL a tenth of that (measured with benchmarks/pages.py). A CompiledQuery builds its queryset
once per database with placeholder ids, and afterwards runs the SQL with the real ones.

Only for queries whose arguments are integer ids and whose results need no conversion from the database's
types (ids, names, codenames): rows come back as the driver gives them.
"""

from django.db import DEFAULT_DB_ALIAS, connections

# Ids no row can have: each argument's placeholder is found again among the compiled parameters.
_PLACEHOLDER = -7_340_000_000


class CompiledQuery:
    """`build(*ids)` returns a values_list queryset; `rows(*ids)` runs its SQL with these ids."""

    def __init__(self, build):
        self.build = build
        self._compiled = {}  # (alias, vendor) -> (sql, params with an argument's index where it goes)

    def _compile(self, connection, alias, count):
        placeholders = [_PLACEHOLDER - index for index in range(count)]
        query = self.build(*placeholders).query
        sql, params = query.get_compiler(using=alias).as_sql()
        slots = [_Argument(placeholders.index(param)) if param in placeholders else param for param in params]
        # Every argument must reach the SQL as given; one the ORM changed (or dropped) would run wrong.
        used = {slot.index for slot in slots if isinstance(slot, _Argument)}
        if used != set(range(count)):
            raise ValueError(f"{self.build.__qualname__}: not every id reaches the SQL unchanged.")
        return sql, slots

    def rows(self, *ids, using=DEFAULT_DB_ALIAS):
        connection = connections[using]
        key = (using, connection.vendor)
        if key not in self._compiled:
            self._compiled[key] = self._compile(connection, using, len(ids))
        sql, slots = self._compiled[key]
        params = [ids[slot.index] if isinstance(slot, _Argument) else slot for slot in slots]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


class _Argument:
    __slots__ = ("index",)

    def __init__(self, index):
        self.index = index
