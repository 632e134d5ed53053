from django.utils import timezone

from notifications.services import deliver_due

from . import policy_reminders, sweep


def run_reminders(*, now=None):
    """One full sweep, as beat would run it over a day: for cron-style operation without a broker."""
    now = now or timezone.now()
    return {
        "timers fired": sweep.sweep_timers(now=now),
        "acknowledgement reminders": policy_reminders.acknowledgement_reminders_send(now=now),
        "acknowledgement summaries": policy_reminders.acknowledgement_summaries_send(now=now),
        "review alerts": policy_reminders.review_alerts_send(now=now),
        "deliveries sent": deliver_due(now=now),
    }
