"""Services of the reminder engine that are not about timers: claiming a reminder once, and running every
scheduled job in this process (`manage.py run_reminders`, for cron when there is no broker)."""

from django.db import connection
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import SentReminder
from .schedule import SCHEDULE

CLAIM_BATCH = 500


def claim(reminders, *, now):
    """Record reminders as sent, each key once; return the keys this call inserted.

    `reminders` maps each key to its recipient (or None). INSERT … ON CONFLICT DO NOTHING RETURNING says
    exactly which rows were new, which bulk_create(ignore_conflicts=True) cannot: if another sweep has
    inserted the same key, this one waits for it to commit and then skips the key (or takes it, if the
    other rolled back). Call it in the transaction that also records the notifications.
    """
    if not reminders:
        return set()
    meta = SentReminder._meta
    quote = connection.ops.quote_name
    key, user, sent_at = (quote(meta.get_field(name).column) for name in ("key", "user", "sent_at"))
    sent_at_value = meta.get_field("sent_at").get_db_prep_save(now, connection)
    items = list(reminders.items())
    created = set()
    with connection.cursor() as cursor:
        for start in range(0, len(items), CLAIM_BATCH):
            batch = items[start : start + CLAIM_BATCH]
            params = [
                value
                for reminder_key, recipient in batch
                for value in (reminder_key, recipient.pk if recipient else None, sent_at_value)
            ]
            # Only column names are formatted in; every value is a parameter.
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({key}, {user}, {sent_at}) "  # noqa: S608
                f"VALUES {', '.join(['(%s, %s, %s)'] * len(batch))} "
                f"ON CONFLICT ({key}) DO NOTHING RETURNING {key}",
                params,
            )
            created.update(row[0] for row in cursor.fetchall())
    return created


def run_reminders(*, now=None):
    """One full sweep, as beat would run it over a day: every job of the schedule, run here and now, in the
    schedule's order (deliveries last, so that what the others queued goes out in the same run).

    {label: what the job returned}. Jobs are named by their task's dotted path, so that this engine needs
    to know nothing of the apps that define them.
    """
    now = now or timezone.now()
    return {job.label: import_string(job.task)(now=now) for job in SCHEDULE}
