"""The date filter of the templates (focuspolicy/templatetags/dates.py, a template builtin) writes every
format exactly as Django's own date filter does, for dates, moments and anything else it is given."""

import datetime
import random
import zoneinfo

import pytest
from django.template import Context, Template, engines
from django.template import defaultfilters as django_filters
from django.utils import timezone

from focuspolicy.templatetags import dates

LONDON = zoneinfo.ZoneInfo("Europe/London")
FORMATS = ["j F Y", "j M Y", "c", "Y-m-d", "j F Y, H:i", "j M Y, H:i", "j F", "j F, H:i", "D j N Y", ""]


def _values():
    shuffle = random.Random(7)  # noqa: S311 - test data
    values = [datetime.date(2026, 3, 4), datetime.date(999, 12, 31), datetime.date(2024, 2, 29)]
    for _ in range(2000):
        moment = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(
            seconds=shuffle.randrange(40 * 365 * 86400), microseconds=shuffle.randrange(1_000_000)
        )
        values += [moment, moment.astimezone(LONDON), moment.replace(tzinfo=None), moment.date()]
    # The hour of the clocks going back in London, both times (fold), and midnight.
    values += [
        datetime.datetime(2026, 10, 25, 1, 30, tzinfo=LONDON),
        datetime.datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON),
        datetime.datetime(2026, 1, 1, 0, 0, tzinfo=LONDON),
    ]
    return values


def _written(filter_, value, format_):
    try:
        return filter_(value, format_)
    except Exception as error:  # noqa: BLE001 - the same refusal is part of the same behaviour
        return type(error)


@pytest.mark.parametrize("format_", FORMATS)
def test_every_format_as_djangos_date_filter(format_):
    for value in _values():
        assert _written(dates.date, value, format_) == _written(django_filters.date, value, format_), (
            value,
            format_,
        )


@pytest.mark.parametrize("value", [None, "", "2026-03-04", 17, object()])
def test_anything_else_as_djangos_date_filter(value):
    for format_ in FORMATS:
        assert _written(dates.date, value, format_) == _written(django_filters.date, value, format_)


def test_templates_use_it_and_show_a_moment_in_local_time(settings):
    settings.TIME_ZONE = "Europe/London"
    assert engines["django"].engine.template_builtins[-1].filters["date"] is dates.date
    summer_evening = datetime.datetime(2026, 7, 1, 23, 30, tzinfo=datetime.UTC)  # 00:30 on 2 July here
    with timezone.override(LONDON):
        text = Template('{{ v|date:"j F Y, H:i" }} {{ v|date:"c" }}').render(Context({"v": summer_evening}))
    assert text == "2 July 2026, 00:30 2026-07-02T00:30:00+01:00"
