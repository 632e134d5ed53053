"""cases 0017: existing cases get the deadline of their stage from the timer that still stands (the triage
or governance reminder's local day), and none when their stage has no deadline."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cases.models import Case, Stage
from tests.factories import case_moved_to

BEFORE = [("cases", "0016_work_queue_indexes")]
AFTER = [("cases", "0017_case_due_on")]
# In summer London is an hour ahead of UTC: a reminder due at 00:30 local time falls on the day before in
# UTC, so the migration must take the local day, as the lists do.
SUMMER_EVENING = datetime.datetime(2026, 7, 6, 0, 30, tzinfo=zoneinfo.ZoneInfo("Europe/London"))


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_existing_cases_get_their_stage_deadline(raise_case, staff, governance):
    with time_machine.travel(SUMMER_EVENING, tick=False):
        triage = raise_case(staff)
        referred = case_moved_to(raise_case(staff), Stage.REFERRED, governance=governance)
        closed = case_moved_to(raise_case(staff), Stage.CLOSED, governance=governance)
    kept = {case.pk: Case.objects.get(pk=case.pk).due_on for case in (triage, referred, closed)}
    assert kept[triage.pk] == datetime.date(2026, 7, 8)  # 2 working days, on the local day
    assert kept[referred.pk] == datetime.date(2026, 7, 20)  # 10 working days
    assert kept[closed.pk] is None

    migrate(BEFORE)
    migrate(AFTER)

    assert dict(Case.objects.values_list("pk", "due_on")) == kept
