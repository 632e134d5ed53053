"""Counts shown at a glance (a badge, a line on the home page) need not be exact past a point: counted up
to MOST and shown as "99+", they read at most a hundred index entries however large the table grows."""

from django.db import DEFAULT_DB_ALIAS, connections

from .compiled import Part

MOST = 99


def capped_count(queryset, *, most=MOST):
    """The number of rows, or f"{most}+" when there are more than `most`."""
    return capped(queryset.order_by()[: most + 1].count(), most=most)


def capped(count, *, most=MOST):
    """A count of at most `most` + 1 rows as shown: the number, or f"{most}+"."""
    return f"{most}+" if count > most else count


def at_most(queryset, most=MOST):
    """What capped_count reads of `queryset`: the ids of at most `most` + 1 of its rows, in no order."""
    return queryset.order_by().values("pk")[: most + 1]


def count_each(querysets, *, using=DEFAULT_DB_ALIAS):
    """How many rows each of `querysets` has, all in one query: a scalar subquery each. Pass
    `at_most(queryset)` to count one as capped_count does (then `capped`), a queryset itself to count all,
    or a compiled query's Part.

    Each count costs the database what it would alone; together they cost Python one query's round trip
    and no building of the ORM's aggregate query."""
    if not querysets:
        return []
    parts, params = [], []
    for index, queryset in enumerate(querysets):
        if isinstance(queryset, Part):  # compiled already (CompiledQuery.part)
            sql, queryset_params = queryset
        else:
            if not queryset.query.is_sliced:
                queryset = queryset.order_by().values("pk")
            sql, queryset_params = queryset.query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{index})")  # noqa: S608 - compiled SQL
        params += queryset_params
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)  # noqa: S608 - compiled SQL
        return list(cursor.fetchone())
