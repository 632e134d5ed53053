"""The home page's work queue rows (core.tables): reference, what is waiting, by when, and its status."""

from django.utils import timezone

from core.tables import Column, Table, day_text, link, pill


def _due(item):
    if not item.due:
        return "–"
    if item.in_hours:
        return f"{day_text(item.due_day)} {timezone.localtime(item.due):%H:%M}"  # the breach clock's hour
    return day_text(item.due_day)


WORK_QUEUE = Table(
    Column("Reference", lambda item: link(item.url, item.reference)),
    Column("Waiting for", lambda item: item.what),
    Column("Due", _due),
    Column("Status", lambda item: pill(item.status())),
    empty="Nothing waiting.",
)
