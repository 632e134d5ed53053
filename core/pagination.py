"""Keyset pagination for the long lists (cases, records, the audit log, notifications).

A page is found by the sort values of the row before it (a cursor), not by an OFFSET, and the list is never
counted: the next page of a million rows costs what the first one does, as an index range scan. The links
are Newer/Older (Previous/Next) and First page; there is no "page N of M".

The ordering must be made of non-null model fields and end with a unique one (the primary key), so that
every row has exactly one place. A cursor that does not decode, or names another ordering, gives the first
page: a link from an older version of the page or a hand-edited address never costs a 500 or a scan.
"""

import base64
import datetime
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Q
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.utils import timezone

from .compiled import CompiledQuery

CURSOR_PARAM = "cursor"
_NEXT, _PREVIOUS = "n", "p"


@dataclass
class KeysetPage:
    object_list: list
    next_cursor: str | None = None
    previous_cursor: str | None = None
    is_first: bool = True

    @property
    def has_next(self):
        return self.next_cursor is not None

    @property
    def has_previous(self):
        return self.previous_cursor is not None

    @property
    def has_other_pages(self):
        return self.has_next or self.has_previous

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def _ordering(queryset):
    """[(field name, descending)] of the queryset's ORDER BY, with "pk" as the model's primary key."""
    order_by = queryset.query.order_by or queryset.model._meta.ordering
    if not order_by:
        raise ValueError("Keyset pagination needs an ordered queryset.")
    ordering = []
    for item in order_by:
        if not isinstance(item, str):
            raise ValueError(f"Keyset pagination orders by field names only, not {item!r}.")
        name = item.removeprefix("-")
        ordering.append((queryset.model._meta.pk.name if name == "pk" else name, item.startswith("-")))
    if ordering[-1][0] != queryset.model._meta.pk.name:
        raise ValueError("Keyset pagination needs the primary key last in the ordering: rows must be unique.")
    return ordering


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        # Every microsecond: DjangoJSONEncoder keeps milliseconds, and a cursor must name its row exactly.
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _encode(direction, values):
    raw = json.dumps([direction, values], cls=_Encoder, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor, queryset, ordering):
    """(direction, values) from a cursor, the values turned back into the fields' types; None if unusable."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        direction, values = json.loads(raw)
        if direction not in (_NEXT, _PREVIOUS) or len(values) != len(ordering) or None in values:
            return None  # no page gives a null: the ordering is of fields that have a value
        fields = [queryset.model._meta.get_field(name) for name, _ in ordering]
        # A generated column checks its values as the field it stores.
        fields = [getattr(field, "output_field", None) or field for field in fields]
        values = [_aware(field.to_python(value)) for field, value in zip(fields, values, strict=True)]
        for field, value in zip(fields, values, strict=True):
            field.run_validators(value)  # A number beyond the column's range never reaches the database.
        return direction, values
    except Exception:  # Whatever is wrong with a cursor (encoding, JSON, a value's type): the first page.
        return None


def _aware(value):
    # A moment written without its offset (an edited cursor) is read in the site's zone, as the ORM would.
    if isinstance(value, datetime.datetime) and settings.USE_TZ and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _beyond(ordering, values, *, forward):
    """The rows after (forward) or before the row with these sort values, in the given ordering."""
    if len({descending for _, descending in ordering}) == 1:
        # One direction: a row comparison, (a, b, pk) > (x, y, z), which the database reads as one range of
        # an index on (a, b, pk), however few distinct values `a` has (a stage: seven).
        greater = forward != ordering[0][1]
        lookup = TupleGreaterThan if greater else TupleLessThan
        return lookup(Tuple(*[F(name) for name, _ in ordering]), list(values))
    condition = Q()
    equal = Q()
    for (name, descending), value in zip(ordering, values, strict=True):
        greater = forward != descending  # Forward on a descending field means smaller values.
        condition |= equal & Q(**{f"{name}__{'gt' if greater else 'lt'}": value})
        equal &= Q(**{name: value})
    # The leading field's bound as well, so that the database reads an index range, not the whole index.
    name, descending = ordering[0]
    lead = "gte" if forward != descending else "lte"
    return Q(**{f"{name}__{lead}": values[0]}) & condition


def _values(row, ordering):
    return [getattr(row, name) for name, _ in ordering]


class InvalidCursor(ValueError):
    """A cursor that no page of this list gave, refused rather than read as the first page (`strict`)."""


def beyond(queryset, values, *, forward):
    """The rows of `queryset` after (forward) the row with these sort values, or before it, nearest first."""
    page = queryset.filter(_beyond(_ordering(queryset), values, forward=forward))
    return page if forward else page.reverse()


def keyset_page(queryset, cursor, *, per_page, strict=False, first=None, following=None):
    """One page of an ordered queryset, starting after (or ending before) the row named by `cursor`.

    A cursor that does not fit gives the first page, or with `strict` (the API) raises InvalidCursor.
    `first`, if given, reads the first per_page + 1 rows of the same queryset, and `following(values,
    forward)` the per_page + 1 rows `beyond` them (compiled queries: the first page is the one most often
    opened, and the next ones are opened by following its links).
    """
    ordering = _ordering(queryset)
    decoded = _decode(cursor, queryset, ordering) if cursor else None
    if cursor and decoded is None and strict:
        raise InvalidCursor(cursor)
    if decoded is None:
        rows = list(first() if first else queryset[: per_page + 1])
        more = len(rows) > per_page
        rows = rows[:per_page]
        return KeysetPage(rows, next_cursor=_encode(_NEXT, _values(rows[-1], ordering)) if more else None)

    direction, values = decoded
    forward = direction == _NEXT
    if following is not None:
        rows = list(following(values, forward))
    else:
        rows = list(beyond(queryset, values, forward=forward)[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    if not forward:
        rows.reverse()
    if not rows:  # Past either end: the first page, rather than an empty one with links to nowhere.
        return keyset_page(queryset, None, per_page=per_page, first=first)
    has_previous = more if not forward else True
    has_next = more if forward else True
    return KeysetPage(
        rows,
        next_cursor=_encode(_NEXT, _values(rows[-1], ordering)) if has_next else None,
        previous_cursor=_encode(_PREVIOUS, _values(rows[0], ordering)) if has_previous else None,
        is_first=not has_previous,
    )


class CompiledPages:
    """A list's first page and its pages beyond a cursor, read by queries compiled once per process
    (core/compiled.py): `build(*args)` gives the list's ordered queryset for its arguments (ids, strings,
    dates, moments), and each page reads `size` rows (per_page + 1). The first page is the one most often
    opened, and the next ones are opened by following its links."""

    def __init__(self, build, size):
        self.build, self.size = build, size
        self._first = CompiledQuery(lambda *args: build(*args)[:size])
        self._beyond = {}  # (forward, the number of the list's arguments) -> CompiledQuery

    def readers(self, *args):
        """keyset_page's `first` and `following` for the list these arguments give."""
        return {
            "first": lambda: self._first.objects(*args),
            "following": lambda values, forward: self._following(forward, len(args)).objects(*args, *values),
        }

    def _following(self, forward, taken):
        if (forward, taken) not in self._beyond:
            self._beyond[forward, taken] = CompiledQuery(
                lambda *args: beyond(self.build(*args[:taken]), args[taken:], forward=forward)[: self.size]
            )
        return self._beyond[forward, taken]


def page_from_request(request, queryset, *, per_page, first=None, following=None):
    """The page of `queryset` the request's `cursor` names; the first page for none or a bad one (read by
    `first` and `following`, if given: keyset_page)."""
    return keyset_page(
        queryset, request.GET.get(CURSOR_PARAM), per_page=per_page, first=first, following=following
    )
