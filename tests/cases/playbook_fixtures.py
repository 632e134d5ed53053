"""What the playbook tests share: moments around Easter 2026 (Good Friday 3 April and Easter Monday 6 April
are bank holidays in England) and a move at a moment. Their fixtures are in tests/cases/conftest.py."""

import datetime
import zoneinfo

import time_machine

from cases import services

LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(year, month, day, hour=0, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


# Thursday before Easter: 2 working days later is Wednesday 8 April (Friday and Monday are bank holidays,
# and the weekend between them is no working day).
MAUNDY_THURSDAY = at(2026, 4, 2, 10)


def move(when, case, by, name, **kwargs):
    extra = {"reason": "Recorded for the test."} if name not in ("start_triage", "start_review") else {}
    with time_machine.travel(when, tick=False):
        return services.case_move(case=case, by=by, move=name, **extra, **kwargs)
