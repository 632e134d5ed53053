"""The moments of the known cases (conftest.py), in local time."""

import datetime
import zoneinfo

LONDON = zoneinfo.ZoneInfo("Europe/London")
# When the reports are read.
NOW = datetime.datetime(2026, 5, 15, 12, 0, tzinfo=LONDON)
# The period of the known cases, as the reports page's filter takes it.
PERIOD = {"raised_from": "2026-01-01", "raised_to": "2026-04-30"}


def at(year, month, day, hour=12, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)
