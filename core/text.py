"""How dates and free text read in timelines and notifications, the same in every app."""

import datetime

from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_3


def day(value):
    """E.g. 3 March 2026, for a date or (in local time) a datetime."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return day_words(value)


# The date filter's "j F Y" and "j M Y" written directly, without its format parser (a home page of three work
# lists formats a day for each of 75 rows; focuspolicy/templatetags/dates.py uses them for the filter itself).
def day_words(value):
    """3 March 2026, of the date or moment as given."""
    return f"{value.day} {MONTHS[value.month]} {value.year:04d}"


def short_day_words(value):
    """3 Mar 2026, of the date or moment as given."""
    return f"{value.day} {MONTHS_3[value.month].title()} {value.year:04d}"


def one_line(text, limit=160):
    """Free text on one line, cut at `limit` characters with an ellipsis: for a timeline entry."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def size_text(size):
    """10485760 → "10 MB", 1536 → "1.5 KB": for messages about the limit."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{round(size / factor, 1):g} {unit}"
    return f"{size} bytes"
