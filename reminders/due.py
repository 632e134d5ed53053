"""What a deadline means today, in one place: the status pill of every work queue ("due today", "due in 3
working days", "overdue by 1 working day"; for the breach clock, hours), counted on the working-day
calendar (reminders.calendar)."""

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone

from core.compiled import CompiledQuery
from core.counts import at_most, capped, capped_count

from .calendar import working_days_after


@dataclass(frozen=True)
class DueStatus:
    text: str
    # overdue, today, soon (within 2 working days), later, none: the pill's colour.
    tone: str


def _plural(count, word):
    return f"{count} {word}{'' if count == 1 else 's'}"


def due_status(due, *, now=None, in_hours=False):
    """The status of a deadline `due` (a date or a datetime; None for work with no deadline).

    Days are working days, counted from today: a deadline on Friday is "overdue by 1 working day" on
    Monday. A deadline on a day off ahead of the next working day reads in calendar days. `in_hours`
    counts clock hours instead (UK GDPR article 33's 72 hours).
    """
    now = now or timezone.now()
    if due is None:
        return DueStatus("no deadline", "none")
    if in_hours:
        hours = (due - now).total_seconds() / 3600
        if hours < 0:
            return DueStatus(f"overdue by {_plural(math.ceil(-hours), 'hour')}", "overdue")
        if hours < 1:
            return DueStatus("less than an hour left", "today")
        return DueStatus(f"{_plural(int(hours), 'hour')} left", "today" if hours < 24 else "soon")
    today = timezone.localdate(now)
    day = timezone.localdate(due) if isinstance(due, datetime.datetime) else due
    if day == today:
        return DueStatus("due today", "today")
    if day > today:
        days = working_days_after(today, day)
        if days == 0:
            return DueStatus(f"due in {_plural((day - today).days, 'day')}", "soon")
        return DueStatus(f"due in {_plural(days, 'working day')}", "soon" if days <= 2 else "later")
    days = working_days_after(day, today)
    if days == 0:
        return DueStatus(f"overdue by {_plural((today - day).days, 'day')}", "overdue")
    return DueStatus(f"overdue by {_plural(days, 'working day')}", "overdue")


@dataclass(frozen=True)
class WorkItem:
    """One row of a work queue: what it is about (reference and link), what is waiting, and by when."""

    reference: str
    url: str
    what: str
    due: object = None  # a date or datetime, or None
    in_hours: bool = False

    def status(self, now=None):
        return due_status(self.due, now=now, in_hours=self.in_hours)

    @property
    def due_day(self):
        if isinstance(self.due, datetime.datetime):
            return timezone.localdate(self.due)
        return self.due

    def sort_key(self):
        """Soonest deadline first; work with no deadline after, in the order its queue gave."""
        if self.due is None:
            return (1, datetime.datetime.max.replace(tzinfo=datetime.UTC))
        due = self.due
        if not isinstance(due, datetime.datetime):
            due = timezone.make_aware(datetime.datetime.combine(due, datetime.time.max))
        return (0, due)


@dataclass
class Queue:
    """One of a person's work queues: what is waiting (a queryset), counted up to 99 ("99+"); its most
    urgent rows (at most QUEUE_ROWS) soonest first; and the full list, where there is one.

    The rows are always the first QUEUE_ROWS of `waiting`: `shown(waiting)` only orders them and chooses
    the columns (it never filters), and `item(row)` makes each a WorkItem. So a queue that lists fewer rows
    than that has listed all it holds, and counts them without a query. Count and rows are each read when
    first asked for: the navigation asks only for the count. A queue made by QueueQueries runs the same
    queries compiled, with `args`, and has no `waiting` queryset."""

    key: str
    title: str
    waiting: object
    shown: Callable[[object], object]
    item: Callable[[object], WorkItem]
    full_list_url: str = ""
    queries: "QueueQueries | None" = None
    args: tuple = ()

    @cached_property
    def count(self):
        if self.queries:
            return capped(len(self.queries.ids.rows(*self.args)))
        return capped_count(self.waiting)

    @cached_property
    def items(self):
        if self.queries:
            rows = self.queries.rows.objects(*self.args)
        else:
            rows = list(self.shown(self.waiting)[:QUEUE_ROWS])
        if len(rows) < QUEUE_ROWS:
            self.count = len(rows)
        return sorted(map(self.item, rows), key=WorkItem.sort_key)

    @property
    def counted(self):
        return "count" in self.__dict__

    def counted_ids(self):
        """What counting this queue reads: at most MOST + 1 of its ids (core.counts.at_most), as a
        queryset or a compiled Part, for core.counts.count_each."""
        return self.queries.ids.part(*self.args) if self.queries else at_most(self.waiting)


class QueueQueries:
    """The queries of a queue that depends only on ids and days, compiled once per process (core/compiled.py):
    every home page reads its rows and count, and building them in the ORM cost more than running them
    (issue 13). `waiting(*args)` makes the queryset of what is waiting and `shown` is as Queue's; a queue
    whose query also depends on a person's roles has one QueueQueries for each set of them."""

    def __init__(self, model, waiting, shown):
        self.model = model
        self.rows = CompiledQuery(lambda *args: shown(waiting(*args))[:QUEUE_ROWS])
        self.ids = CompiledQuery(lambda *args: at_most(waiting(*args)))
        self.shown = shown

    def queue(self, key, title, args, item, full_list_url="", *, empty=False):
        """The queue of these ids; `empty`: one with nothing waiting (someone who may see none of it)."""
        if empty:
            return Queue(key, title, self.model.objects.none(), self.shown, item, full_list_url)
        return Queue(key, title, None, self.shown, item, full_list_url, queries=self, args=tuple(args))


# Each queue on the home page shows at most this many rows, the most urgent.
QUEUE_ROWS = 25
