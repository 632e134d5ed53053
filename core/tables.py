"""List tables whose rows are written in Python, and the cells they are made of.

Drawn by the template engine, each cell of a 25-row list is a variable lookup, a filter and an escape:
All cases spent 11 ms of its 33 ms of CPU there at a million cases (issue 13). A Column says its header,
its sort key and how to draw one cell from a row's object; `Table.body` draws every row in one pass.
Each cell but the row's own header carries its column's header as `data-label`, which the stacked layout
on phones shows.

A cell function returns text (escaped here) or a SafeString of HTML made with the helpers below.
"""

import html
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

from .text import short_day_words

DASH = "—"


def escape(value):
    # What autoescape does (conditional_escape) without making a SafeString for every part.
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


@dataclass(frozen=True)
class Column:
    label: str
    cell: Callable
    sort: str | None = None  # the list's sort key, when the column sorts
    one_way: bool = False  # a sort with no reverse (a queue's own order)
    row_header: bool = False  # the cell that names the row (<th scope="row">)


class Table:
    def __init__(self, *columns, empty):
        self.columns = columns
        self.empty = empty  # what the table says when it has no rows
        self._opening = [
            '<th scope="row">' if c.row_header else f'<td data-label="{html.escape(c.label)}">'
            for c in columns
        ]
        self._closing = ["</th>" if c.row_header else "</td>" for c in columns]

    def body(self, objects):
        """Every row of `objects`, or one row saying the table is empty."""
        parts = []
        cells = list(zip(self._opening, (c.cell for c in self.columns), self._closing, strict=True))
        for obj in objects:
            parts.append("<tr>")
            for opening, cell, closing in cells:
                value = cell(obj)
                parts.append(f"{opening}{DASH if value is None or value == '' else escape(value)}{closing}")
            parts.append("</tr>")
        if not parts:
            parts.append(f'<tr><td colspan="{len(self.columns)}">{html.escape(self.empty)}</td></tr>')
        return mark_safe("".join(parts))  # noqa: S308 - every value escaped above

    def headers(self, current_sort=None):
        """Each column's header; one that sorts links to its sort (or its reverse), with aria-sort."""
        headers = []
        for column in self.columns:
            header = {"label": column.label, "sort": None, "aria_sort": None}
            if column.sort:
                key = column.sort
                if column.one_way:
                    header.update(sort=key, aria_sort="ascending" if current_sort == key else None)
                elif current_sort == key:
                    header.update(sort=f"-{key}", aria_sort="ascending")
                elif current_sort == f"-{key}":
                    header.update(sort=key, aria_sort="descending")
                else:
                    header["sort"] = key
            headers.append(header)
        return headers


def head(headers, query):
    """The <thead> of a table's `headers` (Table.headers): a column that sorts links to the page with the
    `query` (a QueryDict: the page's own) sorted by it, back at the first page. As Django's {% querystring
    sort=… page=None cursor=None %} writes the link; drawn here, eleven of them cost All cases 850 calls."""
    cells = []
    for header in headers:
        label = escape(header["label"])
        aria_sort = header["aria_sort"]
        opening = f'<th scope="col" aria-sort="{escape(aria_sort)}">' if aria_sort else '<th scope="col">'
        if header["sort"]:
            params = query.copy()
            params["sort"] = header["sort"]
            for key in ("page", "cursor"):
                params.pop(key, None)
            arrow = _ARROWS.get(aria_sort, "")
            label = f'<a href="{escape("?" + params.urlencode())}">{label}{arrow}</a>'
        cells.append(f"{opening}{label}</th>")
    return mark_safe(f"<thead><tr>{''.join(cells)}</tr></thead>")  # noqa: S308 - every value escaped above


_ARROWS = {
    "ascending": ' <span aria-hidden="true">▲</span>',
    "descending": ' <span aria-hidden="true">▼</span>',
}


def link(url, text):
    return SafeString(f'<a href="{escape(url)}">{escape(text)}</a>')


def day(value):
    """A date, or a moment shown as its day here (Europe/London), as the templates' "j M Y"."""
    if value is None:
        return None
    if hasattr(value, "tzinfo") and timezone.is_aware(value):
        value = timezone.localtime(value)
    return SafeString(f'<time datetime="{value.isoformat()}">{day_text(value)}</time>')


day_text = short_day_words  # "3 Mar 2026", as the templates' "j M Y"


def moment(value):
    """A moment to the second, here (Europe/London), as the templates' "j M Y, H:i:s"."""
    local = timezone.localtime(value)
    return SafeString(f'<time datetime="{local.isoformat()}">{day_text(local)}, {local:%H:%M:%S}</time>')


def pill(status):
    """A deadline's status (reminders.due.DueStatus) as its coloured pill."""
    return SafeString(f'<span class="pill pill-{escape(status.tone)}">{escape(status.text)}</span>')


def due(item):
    """A deadline's day, if it has one, and its status pill: `item` is a reminders.due.WorkItem."""
    pill_html = pill(item.status())
    if not item.due:
        return SafeString(pill_html)
    when = item.due_day
    return SafeString(f'<time datetime="{when.isoformat()}">{day_text(when)}</time> {pill_html}')


def since(value):
    return None if value is None else timesince(value)
