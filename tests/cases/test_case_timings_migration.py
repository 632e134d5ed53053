"""cases 0022: existing cases get the working days their first triage and first decision took, counted in
SQL from their stage events (cases.timings_sql): exactly what the moves store from then on."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cases import services
from cases.models import Case, Outcome

BEFORE = [("cases", "0021_case_closed_at_idx")]
AFTER = [("cases", "0022_case_working_days")]
LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(month, day, hour, minute=0):
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=LONDON)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def stored():
    return {pk: (triage, decision) for pk, triage, decision in Case.objects.values_list("pk", *FIELDS)}


FIELDS = ("triage_working_days", "decision_working_days")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_existing_cases_get_the_working_days_their_moves_took(raise_case, staff, governance):
    def raised(when):
        with time_machine.travel(when, tick=False):
            return raise_case(staff)

    def moves(case, steps):
        for when, name in steps:
            by = (
                governance
                if name in ("start_review", "start_action", "close", "reopen_review")
                else case.handler
            )
            extra = {"outcome": Outcome.NO_BREACH} if name == "close" else {}
            with time_machine.travel(when, tick=False):
                case = services.case_move(case=case, by=by, move=name, reason="Recorded.", **extra)
        return case

    waiting = raised(at(3, 2, 10))
    # Closed at triage on the day, reopened, referred weeks later and decided over the spring bank holiday.
    reopened = moves(
        raised(at(5, 1, 16)),
        [
            (at(5, 1, 17), "close_at_triage"),
            (at(5, 5, 9), "reopen_triage"),
            (at(5, 20, 9), "refer"),
            (at(5, 21, 9), "start_review"),
            (at(5, 27, 8), "close"),
            (at(6, 1, 9), "reopen_review"),
            (at(6, 30, 9), "close"),
        ],
    )
    # Raised and referred just after midnight in summer (the day before in UTC), decided on Friday.
    summer = moves(
        raised(at(7, 6, 0, 30)),
        [(at(7, 6, 9), "start_triage"), (at(7, 9, 0, 15), "refer"), (at(7, 10, 23, 30), "start_review")],
    )
    summer = moves(summer, [(at(7, 10, 23, 45), "start_action")])
    referred = moves(raised(at(3, 3, 10)), [(at(3, 4, 9), "start_triage"), (at(3, 13, 11), "refer")])
    kept = stored()
    assert kept == {
        waiting.pk: (None, None),
        reopened.pk: (1, 4),  # 20 May 09:00 to 27 May 08:00: 21, 22, 26 and 27 May (25 a bank holiday)
        summer.pk: (3, 2),
        referred.pk: (9, None),
    }

    migrate(BEFORE)
    migrate(AFTER)

    assert stored() == kept
