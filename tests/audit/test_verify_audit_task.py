"""The daily check (audit.tasks.verify_audit, in the beat schedule): a broken chain notifies the Head of
Business and Governance and the Head of Information & Security; a whole one notifies nobody."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_record
from audit.tasks import verify_audit
from notifications.models import Kind, Notification
from reminders.schedule import SCHEDULE

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(staff):
    return [audit_record(actor=staff, action=AuditEntry.Action.VIEW, what=f"viewed {n}") for n in range(3)]


def test_it_runs_daily_from_beat():
    (job,) = [job for job in SCHEDULE if job.task == "audit.tasks.verify_audit"]
    assert job.when["crontab"]["day_of_week"] == "*"
    assert set(job.when["crontab"]) == {"minute", "hour", "day_of_week"}


def test_a_whole_chain_tells_nobody(entries, governance, infosec):
    assert verify_audit.delay().get() == 3
    assert not Notification.objects.exists()


def test_it_checks_once_a_day_however_often_it_runs(entries):
    """run_reminders from cron runs every job every few minutes: the chain is read once a day."""
    # Nine in the morning here: an hour later is still the same day, whatever the time the test runs.
    today = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    assert verify_audit(now=today) == 3
    assert verify_audit(now=today + datetime.timedelta(hours=1)) == 0
    assert verify_audit(now=today + datetime.timedelta(days=1)) == 3


def test_a_broken_chain_notifies_governance_and_information_security(entries, governance, infosec, staff):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])

    verify_audit.delay().get()
    verify_audit.delay().get()  # the same day again: nobody is told twice

    told = Notification.objects.order_by("recipient__username")
    assert {n.recipient for n in told} == {governance, infosec}
    assert {n.kind for n in told} == {Kind.ESCALATION}
    assert all(f"at entry {entries[2].pk}" in n.title for n in told)
    assert {n.link for n in told} == {reverse("audit:log")}
