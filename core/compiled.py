"""Small queries that every page runs, compiled to SQL once per process instead of once per request.

Building a query in the ORM (filters, joins, select_related, annotations, compiling it to SQL) costs about a
millisecond of Python; most of the queries a page runs take PostgreSQL a tenth of that (measured with
benchmarks/pages.py). A CompiledQuery builds its queryset once per database with placeholder arguments,
and afterwards runs the SQL with the real ones:

- `rows(*args)`: the rows of a values_list queryset, each value converted as the ORM would (dates on
  SQLite, say);
- `objects(*args)`: the model instances of a queryset, with what it select_related and annotated, as
  iterating it would give them (no prefetch_related: that would be more queries).

Arguments are integer ids, strings, dates or aware datetimes, used as given, but for a date or a moment that
the backend writes as text (SQLite): a lookup that changes them on the way to the SQL (`contains` wraps a
string in %, `pk=id + 1` shifts an id, `day + timedelta` moves a date) is refused when the query is first
compiled.

On PostgreSQL the query's other values, fixed when it was built (stages, kinds, codenames), are written into
its SQL as constants, and only the arguments stay parameters (_inline_constants).
"""

import datetime
import re
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import FileField, Model, signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import RelatedPopulator
from django.db.models.query_utils import DeferredAttribute

# Arguments no row can have: each one's placeholder is found again among the compiled parameters.
_INT_PLACEHOLDER = -7_340_000_000
_STR_PLACEHOLDER = "\x1fcompiled-argument-{}\x1f"
_DATE_PLACEHOLDER = datetime.date(1, 1, 1)  # and the days after it, one for each argument
_MOMENT_PLACEHOLDER = datetime.datetime(1, 1, 2, tzinfo=datetime.UTC)  # and a microsecond after it for each


class CompiledQuery:
    """`build(*args)` returns a queryset; `rows(*args)` or `objects(*args)` run its SQL with these args."""

    def __init__(self, build):
        self.build = build
        # (alias, vendor, argument types) -> _Compiled
        self._compiled = {}

    def _get(self, using, args):
        if any(isinstance(arg, datetime.datetime) and arg.tzinfo is None for arg in args):
            raise TypeError("A compiled query takes aware datetimes only, as the ORM stores them.")
        connection = connections[using]
        key = (using, connection.vendor, tuple(type(arg) for arg in args))
        if key not in self._compiled:
            self._compiled[key] = _Compiled(self.build, using, args)
        return self._compiled[key], connection

    def rows(self, *args, using=DEFAULT_DB_ALIAS):
        compiled, connection = self._get(using, args)
        return list(compiled.results(compiled.fetch(connection, args), tuple_expected=True))

    def objects(self, *args, using=DEFAULT_DB_ALIAS):
        compiled, connection = self._get(using, args)
        return compiled.instances(compiled.fetch(connection, args), using)

    def part(self, *args, using=DEFAULT_DB_ALIAS):
        """The SQL with these arguments, for a query that reads it as a subquery (core.counts.count_each)."""
        compiled, _connection = self._get(using, args)
        return Part(compiled.sql, compiled.params(args))


class Part(NamedTuple):
    sql: str
    params: list


def _placeholder(index, arg):
    if isinstance(arg, bool) or not isinstance(arg, int | str | datetime.date):
        raise TypeError(f"A compiled query takes ids, strings, dates and moments, not {type(arg).__name__}.")
    if isinstance(arg, datetime.datetime):
        return _MOMENT_PLACEHOLDER + datetime.timedelta(microseconds=index)
    if isinstance(arg, datetime.date):
        return _DATE_PLACEHOLDER + datetime.timedelta(days=index)
    return _INT_PLACEHOLDER - index if isinstance(arg, int) else _STR_PLACEHOLDER.format(index)


def _slot(param, placeholders, ops):
    """Where a compiled parameter comes from: an argument as given, a date or a moment as the text the
    backend wrote it in (SQLite: DatabaseOperations.adapt_datefield_value, adapt_datetimefield_value), or
    the parameter itself."""
    for index, placeholder in enumerate(placeholders):
        if type(param) is type(placeholder) and param == placeholder:
            return _Argument(index)
        if isinstance(placeholder, datetime.datetime):
            if param == ops.adapt_datetimefield_value(placeholder):
                return _Argument(index, ops.adapt_datetimefield_value)
        elif isinstance(placeholder, datetime.date) and param == placeholder.isoformat():
            return _Argument(index, str)
    return param


class _Compiled:
    """The SQL of one queryset, where its arguments go, and what turns its rows into values or models."""

    def __init__(self, build, using, args):
        placeholders = [_placeholder(index, arg) for index, arg in enumerate(args)]
        queryset = build(*placeholders)
        name = getattr(build, "__qualname__", repr(build))
        if queryset._prefetch_related_lookups:
            raise ValueError(f"{name}: prefetch_related would run more queries.")
        self.compiler = queryset.query.get_compiler(using=using)
        # as_sql fills the compiler's select, klass_info and annotation_col_map that the rows are read by.
        sql, params = self.compiler.as_sql()
        connection = connections[using]
        self.sql, self.slots = _inline_constants(
            connection, sql, [_slot(p, placeholders, connection.ops) for p in params]
        )
        # Every argument must reach the SQL as given; one the ORM changed (or dropped) would run wrong.
        used = {slot.index for slot in self.slots if isinstance(slot, _Argument)}
        if used != set(range(len(args))):
            raise ValueError(f"{name}: not every argument reaches the SQL unchanged.")
        # What turns a row into values and models depends on the query alone: found once, not on each run
        # (SQLCompiler.results_iter asks each field for its converters every time: some 700 function calls
        # for a referral read with its case and people).
        self.fields = [column[0] for column in self.compiler.select[: self.compiler.col_count]]
        self.converters = self.compiler.get_converters(self.fields)
        self.composite = self.compiler.has_composite_fields(self.fields)
        klass_info, select = self.compiler.klass_info, self.compiler.select
        if klass_info is not None:  # a queryset of models, not of values
            self.start, self.end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
            self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
            self.populators = _populators(klass_info, select, using)
            self.make = _maker(klass_info["model"], self.init_list)

    def params(self, args):
        return [slot.value(args) if isinstance(slot, _Argument) else slot for slot in self.slots]

    def fetch(self, connection, args):
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params(args))
            return cursor.fetchall()

    def results(self, rows, *, tuple_expected=False):
        """`rows` with each value converted, as SQLCompiler.results_iter gives them."""
        rows = iter(rows)
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        if self.composite:
            rows = self.compiler.composite_fields_to_tuples(rows, self.fields)
        return map(tuple, rows) if tuple_expected else rows

    def instances(self, rows, using):
        """The model instances of `rows`, as django.db.models.query.ModelIterable makes them."""
        start, end, make = self.start, self.end, self.make
        annotations = self.compiler.annotation_col_map.items()
        found = []
        for row in self.results(rows):
            obj = make(using, row[start:end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in annotations:
                setattr(obj, name, row[position])
            found.append(obj)
        return found


def _maker(model, attnames):
    """What makes an instance of `model` from the values of `attnames`, as Model.from_db does.

    Model.__init__ sets each field through setattr and sends pre_init and post_init: some 15 µs for a case,
    and a page of a list makes three instances a row (issue 13). Where that can make no difference, the
    values go straight into the instance's __dict__: the model's __init__ and from_db are Django's, nothing
    listens to its pre_init or post_init (asked when the query is compiled), and each field's attribute is
    one of Django's that keeps the value as given (a file field's wraps it when it is read)."""
    if not _plainly_made(model, attnames):
        return lambda db, values: model.from_db(db, attnames, values)

    def make(db, values):
        obj = model.__new__(model)
        obj._state = state = ModelState()
        state.adding, state.db = False, db
        obj.__dict__.update(zip(attnames, values, strict=True))
        return obj

    return make


_KEPT_AS_GIVEN = (DeferredAttribute, ForeignKeyDeferredAttribute, FileField.descriptor_class)


def _plainly_made(model, attnames):
    mro = model.__mro__
    after_model = mro[mro.index(Model) + 1 : -1]  # what Model.__init__'s super().__init__() would run
    return (
        model.__init__ is Model.__init__
        and model.from_db.__func__ is Model.from_db.__func__
        and not any("__init__" in vars(base) for base in after_model)
        and not signals.pre_init.has_listeners(model)
        and not signals.post_init.has_listeners(model)
        and all(type(getattr(model, name, None)) in _KEPT_AS_GIVEN for name in attnames)
    )


def _populators(klass_info, select, db):
    """As django.db.models.query.get_related_populators, the related instances made by _maker."""
    return [_Populator(related, select, db) for related in klass_info.get("related_klass_infos", [])]


class _Populator(RelatedPopulator):
    """select_related's populator (RelatedPopulator.populate, its instance made by _maker)."""

    def __init__(self, klass_info, select, db):
        super().__init__(klass_info, select, db)
        self.related_populators = _populators(klass_info, select, db)
        self.make = _maker(self.model_cls, self.init_list)

    def populate(self, row, from_obj):
        values = self.reorder_for_init(row) if self.reorder_for_init else row[self.cols_start : self.cols_end]
        obj = None if values[self.pk_idx] is None else self.make(self.db, values)
        if obj is not None:
            for related in self.related_populators:
                related.populate(row, obj)
        self.local_setter(from_obj, obj)
        if obj is not None:
            self.remote_setter(obj, from_obj)


# What a constant may be to be written into the SQL: what psycopg2 itself writes as a literal.
_CONSTANT_TYPES = (str, int)


def _inline_constants(connection, sql, slots):
    """The SQL with its constants written in, and the slots left: the arguments (PostgreSQL only).

    A prepared statement (core/prepared.py) is planned once for all its runs (a generic plan) only when
    PostgreSQL finds that plan as good as one made for the values of a run. With a stage or an outcome as a
    parameter, it could not match a partial index's condition (WHERE outcome_in_force IN (...)), so it
    planned such statements again at every run: HR's home page planned four, 1.7 ms of every visit. Written
    in, the constants are part of the statement, as in the SQL Django would send unprepared."""
    if connection.vendor != "postgresql" or not any(isinstance(slot, _Argument) for slot in slots):
        return sql, slots  # with no parameter left, `%%` would be sent as it is
    pieces = re.split(r"(%%|%s)", sql)
    if pieces.count("%s") != len(slots):
        return sql, slots
    kept, remaining = [], iter(slots)
    with connection.cursor() as cursor:
        for index, piece in enumerate(pieces):
            if piece != "%s":
                continue
            slot = next(remaining)
            if isinstance(slot, _CONSTANT_TYPES) and not isinstance(slot, _Argument):
                # As psycopg2 writes it into a statement; a % of it doubled, as the SQL's own are.
                pieces[index] = cursor.mogrify("%s", [slot]).decode().replace("%", "%%")
            else:
                kept.append(slot)
    return "".join(pieces), kept


class _Argument:
    __slots__ = ("index", "convert")

    def __init__(self, index, convert=None):
        self.index, self.convert = index, convert

    def value(self, args):
        arg = args[self.index]
        return arg if self.convert is None else self.convert(arg)
