"""The beat schedule, in one place. Entries are created in django-celery-beat's tables if missing; an
administrator may then change their timing in the admin, and migrate leaves those changes alone."""

import json

SCHEDULE = [
    # name, task, {"every": minutes} or {"crontab": {...}}
    ("Deliver notifications that are due", "notifications.tasks.deliver_due", {"every": 1}),
    ("Sweep case timers: reminders and escalations", "reminders.tasks.sweep_timers", {"every": 5}),
    (
        "Remind staff to acknowledge policies",
        "reminders.tasks.acknowledgement_reminders",
        {"crontab": {"minute": "0", "hour": "9", "day_of_week": "1-5"}},
    ),
    (
        "Weekly acknowledgement summary for supervisors",
        "reminders.tasks.acknowledgement_summaries",
        {"crontab": {"minute": "0", "hour": "8", "day_of_week": "1"}},
    ),
    (
        "Alert owners of policy reviews falling due",
        "reminders.tasks.review_alerts",
        {"crontab": {"minute": "30", "hour": "8", "day_of_week": "*"}},
    ),
]


def ensure_schedule(sender=None, using="default", **kwargs):
    from django.conf import settings
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    for name, task, when in SCHEDULE:
        if PeriodicTask.objects.using(using).filter(name=name).exists():
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
