"""`manage.py run_reminders`, one sweep for cron when there is no broker, and the beat schedule that runs
the same jobs when there is one."""

import io
import json

import pytest
from django.core import mail
from django.core.management import call_command
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from focuspolicy.celery import app as celery_app
from notifications import services
from notifications.models import Delivery, Kind
from reminders.schedule import SCHEDULE, ensure_schedule

pytestmark = pytest.mark.django_db

DELIVER_DUE = "Deliver notifications that are due"


def run_reminders():
    out = io.StringIO()
    call_command("run_reminders", stdout=out)
    return dict(line.split(": ", 1) for line in out.getvalue().splitlines())


def test_the_command_prints_what_it_did_and_sends_what_is_due(django_capture_on_commit_callbacks, supervisor):
    # Queued while the broker was down (the tasks never ran): the records wait in the database.
    with django_capture_on_commit_callbacks(execute=False):
        services.notify(
            recipient=supervisor, kind=Kind.CASE_ROUTED, title="A case has been routed to you", link="/cases/"
        )

    counts = run_reminders()

    assert set(counts) == {
        "timers fired",
        "acknowledgement reminders",
        "acknowledgement summaries",
        "review alerts",
        "leavers whose access ended",
        "report months stored",
        "audit entries verified",
        "records anonymised or deleted under the retention schedule",
        "drafts and kept files deleted",
        "deliveries sent",
    }
    assert all(count.isdigit() for count in counts.values())
    assert counts["deliveries sent"] == "1"  # the e-mail: in the app it was there when recorded
    assert [m.to for m in mail.outbox] == [[supervisor.email]]
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}
    assert run_reminders()["deliveries sent"] == "0"
    assert len(mail.outbox) == 1


def test_the_beat_schedule_is_in_the_database_after_migrate():
    tasks = dict(PeriodicTask.objects.values_list("name", "task"))
    assert tasks == {job.name: job.task for job in SCHEDULE}

    celery_app.loader.import_default_modules()  # what a worker does on start: find every tasks.py
    assert set(tasks.values()) <= set(celery_app.tasks)

    deliver_due = PeriodicTask.objects.get(name=DELIVER_DUE)
    assert deliver_due.enabled and json.loads(deliver_due.kwargs) == {}
    assert (deliver_due.interval.every, deliver_due.interval.period) == (1, IntervalSchedule.MINUTES)
    reminders = PeriodicTask.objects.get(task="policies.tasks.acknowledgement_reminders")
    assert (reminders.crontab.hour, reminders.crontab.minute, reminders.crontab.day_of_week) == (
        "9",
        "0",
        "1-5",
    )
    assert str(reminders.crontab.timezone) == "Europe/London"


def test_an_administrators_changes_survive_the_next_migrate():
    every_five_minutes, _ = IntervalSchedule.objects.get_or_create(every=5, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.filter(name=DELIVER_DUE).update(interval=every_five_minutes)
    PeriodicTask.objects.filter(task="policies.tasks.review_alerts").update(enabled=False)
    PeriodicTask.objects.filter(task="policies.tasks.acknowledgement_summaries").delete()

    ensure_schedule()  # what migrate runs afterwards (post_migrate)

    deliver_due = PeriodicTask.objects.get(name=DELIVER_DUE)
    assert (deliver_due.interval.every, deliver_due.interval.period) == (5, IntervalSchedule.MINUTES)
    assert not PeriodicTask.objects.get(task="policies.tasks.review_alerts").enabled
    # A job that was deleted comes back: the schedule in code says what must exist.
    assert PeriodicTask.objects.filter(task="policies.tasks.acknowledgement_summaries").count() == 1
    assert PeriodicTask.objects.count() == len(SCHEDULE)


def test_migrate_itself_keeps_the_schedule_as_the_administrator_left_it():
    every_ten_minutes, _ = IntervalSchedule.objects.get_or_create(every=10, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.filter(name=DELIVER_DUE).update(interval=every_ten_minutes)

    call_command("migrate", verbosity=0)

    assert PeriodicTask.objects.get(name=DELIVER_DUE).interval.every == 10
    assert PeriodicTask.objects.count() == len(SCHEDULE)


def test_migrate_moves_an_installations_job_to_its_tasks_new_name_and_keeps_its_timing():
    """An installation made before a task moved (reminders.tasks.review_alerts is now
    policies.tasks.review_alerts) holds the old name: the next migrate follows the move, timing untouched."""
    alerts = PeriodicTask.objects.get(name="Alert owners of policy reviews falling due")
    alerts.crontab.hour = "7"
    alerts.crontab.save()
    PeriodicTask.objects.filter(pk=alerts.pk).update(task="reminders.tasks.review_alerts", enabled=False)

    ensure_schedule()

    alerts = PeriodicTask.objects.get(name="Alert owners of policy reviews falling due")
    assert alerts.task == "policies.tasks.review_alerts"
    assert (alerts.crontab.hour, alerts.crontab.minute, alerts.enabled) == ("7", "30", False)
    assert PeriodicTask.objects.count() == len(SCHEDULE)
