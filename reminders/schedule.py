"""The beat schedule, in one place. Entries are created in django-celery-beat's tables if missing; an
administrator may then change their timing in the admin, and migrate leaves those changes alone.

Tasks are named by their dotted path, never imported: each app keeps its own tasks (policies/tasks.py,
notifications/tasks.py, reminders/tasks.py for the timer sweep). Jobs are listed in the order
`manage.py run_reminders` runs them, each under its label: deliveries last, so that what the other jobs
queue goes out in the same run. Every task accepts being called with no argument (beat) or with `now`.
"""

import json
from typing import NamedTuple


class Job(NamedTuple):
    name: str  # the PeriodicTask's name: the key that finds an installation's entry
    task: str
    when: dict  # {"every": minutes} or {"crontab": {...}}
    label: str  # what run_reminders prints before its count


SCHEDULE = [
    Job(
        "Sweep case timers: reminders and escalations",
        "reminders.tasks.sweep_timers",
        {"every": 5},
        "timers fired",
    ),
    Job(
        "Remind staff to acknowledge policies",
        "policies.tasks.acknowledgement_reminders",
        {"crontab": {"minute": "0", "hour": "9", "day_of_week": "1-5"}},
        "acknowledgement reminders",
    ),
    Job(
        "Weekly acknowledgement summary for supervisors",
        "policies.tasks.acknowledgement_summaries",
        {"crontab": {"minute": "0", "hour": "8", "day_of_week": "1"}},
        "acknowledgement summaries",
    ),
    Job(
        "Alert owners of policy reviews falling due",
        "policies.tasks.review_alerts",
        {"crontab": {"minute": "30", "hour": "8", "day_of_week": "*"}},
        "review alerts",
    ),
    Job(
        "End the access of people who have left",
        "people.tasks.leavers_sweep",
        {"crontab": {"minute": "5", "hour": "0", "day_of_week": "*"}},
        "leavers whose access ended",
    ),
    Job(
        "Store the reports' monthly figures again where cases changed",
        "reports.tasks.month_figures_refresh",
        # Often, so that few months are counted live between runs: a run without changes is a quick check.
        {"every": 15},
        "report months stored",
    ),
    Job(
        "Check that the audit trail is whole",
        "audit.tasks.verify_audit",
        # At night: it reads every entry. A broken chain notifies, and the deliveries below send it.
        {"crontab": {"minute": "15", "hour": "2", "day_of_week": "*"}},
        "audit entries verified",
    ),
    Job(
        "Apply the retention schedule: anonymise or delete what is due",
        "dataprotection.tasks.apply_retention",
        # At night, when nobody is reading the cases it changes.
        {"crontab": {"minute": "30", "hour": "2", "day_of_week": "*"}},
        "records anonymised or deleted under the retention schedule",
    ),
    Job(
        "Delete expired drafts of concerns and files kept for the raise form",
        "cases.tasks.drafts_expire",
        # Hourly: a kept file is deleted within an hour of its 24 hours, a draft of its 7 days.
        {"crontab": {"minute": "20", "hour": "*", "day_of_week": "*"}},
        "drafts and kept files deleted",
    ),
    Job(
        "Deliver notifications that are due",
        "notifications.tasks.deliver_due",
        {"every": 1},
        "deliveries sent",
    ),
]


def ensure_schedule(sender=None, using="default", **kwargs):
    """Create every job that is missing. A job already there keeps its timing and whether it is enabled;
    only its task is corrected, so that an installation follows a task that moved to another module."""
    from django.conf import settings
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    for name, task, when, _label in SCHEDULE:
        existing = PeriodicTask.objects.using(using).filter(name=name)
        if existing.exists():
            # A save, not an update(): django-celery-beat's scheduler notices changes through save().
            for entry in existing.exclude(task=task):
                entry.task = task
                entry.save(update_fields=["task"])
            continue
        if "every" in when:
            interval, _ = IntervalSchedule.objects.using(using).get_or_create(
                every=when["every"], period=IntervalSchedule.MINUTES
            )
            timing = {"interval": interval}
        else:
            crontab, _ = CrontabSchedule.objects.using(using).get_or_create(
                **when["crontab"], day_of_month="*", month_of_year="*", timezone=settings.TIME_ZONE
            )
            timing = {"crontab": crontab}
        PeriodicTask.objects.using(using).create(name=name, task=task, kwargs=json.dumps({}), **timing)
