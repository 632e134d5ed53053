"""Django's `date` filter, the formats the templates use most written directly: a template builtin
(settings TEMPLATES), so `{{ value|date:"j F Y" }}` is still written as Django documents it.

Django's filter parses its format on every call, some fifty Python function calls for "3 March 2026"; an HR
record page formats a date a dozen times and each event of its timeline twice (460 of its 14,000 calls, issue
13). These formats give the same text as Django's (tests/test_template_dates.py compares them); any other
format, and anything but a date or a moment, goes to Django's own filter.
"""

import datetime

from django import template
from django.template import defaultfilters

from core.text import day_words, short_day_words

register = template.Library()

# Formats of a day, for a date or a moment.
_DAY_FORMATS = {
    "j F Y": day_words,
    "j M Y": short_day_words,
    "c": lambda value: value.isoformat(),
    "Y-m-d": lambda value: f"{value.year:04d}-{value.month:02d}-{value.day:02d}",
}
# Formats with the time of day, for a moment only (Django refuses them for a date).
_MOMENT_FORMATS = {
    "j F Y, H:i": lambda value: f"{day_words(value)}, {value.hour:02d}:{value.minute:02d}",
    "j M Y, H:i": lambda value: f"{short_day_words(value)}, {value.hour:02d}:{value.minute:02d}",
}


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    if isinstance(value, datetime.datetime):
        write = _DAY_FORMATS.get(arg) or _MOMENT_FORMATS.get(arg)
    elif isinstance(value, datetime.date):
        write = _DAY_FORMATS.get(arg)
    else:
        write = None
    return write(value) if write else defaultfilters.date(value, arg)
