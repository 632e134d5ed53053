"""What a spreadsheet export holds, column by column, in one place: each column names the database values
it reads and how it shows them, so the same list gives the header, the query and every row.

Rows are read as tuples (values_list, in chunks from a server-side cursor), never as model instances:
100,000 records then take about a second to read rather than twenty, and memory stays flat. Values from
other rows (a record's clauses) are joined into one text by the database, in the same query.
"""

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.db import transaction
from django.db.models import Aggregate, CharField, OuterRef, Subquery

from policies.models import clause_number_order

CHUNK_SIZE = 2000
SEPARATOR = ", "


@dataclass(frozen=True)
class Column:
    """A column: the `fields` it reads (values_list lookups or annotations) and `show`, which gets their
    values in order and returns the cell. Without `show`, the cell is the one field's value."""

    header: str
    fields: Sequence[str]
    show: Callable[..., Any] | None = None


@dataclass(frozen=True)
class Table:
    """The columns of an export; `annotations` are expressions added to the query for columns to read."""

    columns: Sequence[Column]
    annotations: dict = field(default_factory=dict)

    def header(self):
        return [column.header for column in self.columns]

    def rows(self, queryset, *, chunk_size=CHUNK_SIZE) -> Iterable[list]:
        """The queryset's rows as lists of cells, lazily, keeping its filters and order.

        Its prefetches are dropped and its select_related does not matter: values_list joins what the
        fields name.
        """
        fields = []
        for column in self.columns:
            fields += [name for name in column.fields if name not in fields]
        cells = [self._cell(column, fields) for column in self.columns]
        queryset = queryset.prefetch_related(None).annotate(**self.annotations)
        # In a transaction, so that the server-side cursor hands rows on as the database finds them. Outside
        # one, Django declares the cursor WITH HOLD, and PostgreSQL then runs the whole query and stores
        # its result before the first row: 1,000,000 cases took longer that way than reading them.
        with transaction.atomic(using=queryset.db, savepoint=False):
            for row in queryset.values_list(*fields).iterator(chunk_size=chunk_size):
                yield [cell(row) for cell in cells]

    @staticmethod
    def _cell(column, fields):
        # Made once per export, not once per cell: this runs for every cell of 100,000 rows.
        places = [fields.index(name) for name in column.fields]
        if column.show is None:
            (place,) = places
            return itemgetter(place)
        show = column.show
        if len(places) == 1:
            (place,) = places
            return lambda row: show(row[place])
        values = itemgetter(*places)
        return lambda row: show(*values(row))


def choice_label(choices):
    """`show` for a choices field: its label, or the stored value if it is not (or no longer) a choice."""
    labels = dict(choices)
    return lambda value: labels.get(value, value)


def person_fields(relation):
    """The fields `person_name` reads, through a foreign key to a person."""
    return [f"{relation}__first_name", f"{relation}__last_name", f"{relation}__username"]


def person_name(first_name, last_name, username):
    """`show` for a person read as first name, last name and username: as people.User.__str__ shows them,
    and empty if there is nobody (an optional foreign key)."""
    if username is None:
        return ""
    return f"{first_name} {last_name}".strip() or username


class _Joined(Aggregate):
    # string_agg on PostgreSQL, group_concat on SQLite: the values of a group as one text, in no order.
    function = "STRING_AGG"
    template = f"%(function)s(%(expressions)s, '{SEPARATOR}')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def joined(model, *, to, field):
    """An annotation: `field` of every `model` row whose foreign key `to` is this row, as one text.

    A correlated subquery on the foreign key's index: for 100,000 records it costs a fraction of a
    second, where joining each clause's policy section to sort them costs seconds. `in_reading_order`
    puts clause numbers in order afterwards.
    """
    rows = model.objects.filter(**{to: OuterRef("pk")}).order_by().values(to)
    return Subquery(rows.annotate(joined=_Joined(field)).values("joined"), output_field=CharField())


@functools.lru_cache(maxsize=4096)
def in_reading_order(numbers):
    """`show` for clause numbers from `joined`: in the policy's reading order (5.2 before 5.10). Cached:
    a million cases cite a few hundred different sets of clauses."""
    if not numbers:
        return ""
    if SEPARATOR not in numbers:  # One clause, as most cases cite: nothing to sort.
        return numbers
    return SEPARATOR.join(sorted(numbers.split(SEPARATOR), key=clause_number_order))
