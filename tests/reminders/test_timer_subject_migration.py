"""reminders 0002-0004: timers that pointed at a case or a removal request by foreign key point at the
same thing as their generic subject, and back again if the migration is undone; a timer about anything else
keeps its subject if the migration is undone only as far as 0002."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from cases.models import Case, RemovalRequest
from dataprotection.models import SubjectAccessRequest
from dataprotection.services import subject_access_record

BEFORE = [("reminders", "0001_initial")]
AFTER = [("reminders", "0004_timer_subject_only")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_each_timer_keeps_what_it_is_about(raise_case, staff, governance):
    case = raise_case(staff)
    removal = RemovalRequest.objects.create(
        case=case,
        recorded_by=governance,
        requested_from="Facebook",
        sent_on=datetime.date(2026, 3, 9),
        deadline=datetime.date(2026, 3, 13),
    )
    old_timer = migrate(BEFORE).get_model("reminders", "Timer")
    old_timer.objects.all().delete()
    now = timezone.now()
    old_timer.objects.create(kind="triage_reminder", case_id=case.pk, due_at=now)
    old_timer.objects.create(
        kind="removal_overdue", case_id=case.pk, removal_request_id=removal.pk, due_at=now
    )

    timer = migrate(AFTER).get_model("reminders", "Timer")

    case_type, removal_type = (ContentType.objects.get_for_model(m).pk for m in (Case, RemovalRequest))
    assert set(timer.objects.values_list("kind", "subject_type_id", "subject_id")) == {
        ("triage_reminder", case_type, case.pk),
        ("removal_overdue", removal_type, removal.pk),
    }

    old_timer = migrate(BEFORE).get_model("reminders", "Timer")
    assert set(old_timer.objects.values_list("kind", "case_id", "removal_request_id")) == {
        ("triage_reminder", case.pk, None),
        ("removal_overdue", case.pk, removal.pk),
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_a_timer_about_something_else_than_a_case_is_kept_when_undone_only_to_0002(staff, governance):
    request = subject_access_record(
        person=staff, requested_by="Alex Morgan", received_on=datetime.date(2026, 3, 2), by=governance
    )
    request_type = ContentType.objects.get_for_model(SubjectAccessRequest).pk
    kept = {("sar_reminder", request_type, request.pk), ("sar_escalation", request_type, request.pk)}

    migrate([("reminders", "0002_timer_subject")])  # the subject columns stay; neither old key fits it
    timer = migrate(AFTER).get_model("reminders", "Timer")

    assert set(timer.objects.values_list("kind", "subject_type_id", "subject_id")) == kept
