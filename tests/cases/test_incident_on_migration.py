"""cases 0025: existing cases take the day they were seen as the day it was posted or happened: the local
day, in one UPDATE however many cases."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from cases.models import Case

BEFORE = [("cases", "0026_case_witnesses")]
AFTER = [("cases", "0027_case_incident_on")]
# In summer London is an hour ahead of UTC: seen at 00:30 local time is the day before in UTC.
SUMMER_NIGHT = datetime.datetime(2026, 7, 6, 0, 30, tzinfo=zoneinfo.ZoneInfo("Europe/London"))


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_existing_cases_take_the_local_day_they_were_seen(raise_case, staff):
    with time_machine.travel(SUMMER_NIGHT, tick=False):
        night = raise_case(staff, seen_at=SUMMER_NIGHT, incident_on=datetime.date(2026, 6, 1))
        day = raise_case(staff, seen_at=SUMMER_NIGHT - datetime.timedelta(days=3, hours=-12))

    migrate(BEFORE)
    with CaptureQueriesContext(connection) as queries:
        migrate(AFTER)

    assert dict(Case.objects.values_list("pk", "incident_on")) == {
        night.pk: datetime.date(2026, 7, 6),  # the day it was seen, in London
        day.pk: datetime.date(2026, 7, 3),
    }
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len([sql for sql in updates if "incident_on" in sql]) == 1
