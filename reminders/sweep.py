"""The timer sweep: claim the timers that are due, then let each kind's handler act on its batch.

Claiming sets fired_at on rows that are still waiting, inside a transaction that skips rows another
worker has locked, so a sweep run twice, or on two workers at once, fires each timer once. The number
of queries depends on the number of timers due, in batches, never on the number of cases.
"""

import logging
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from .models import Timer

logger = logging.getLogger(__name__)

HANDLERS = {}


def handles(kind):
    """Register the function that acts on a batch of due timers of one kind: fn(*, timers, now)."""

    def register(function):
        HANDLERS[kind] = function
        return function

    return register


def timers_waiting():
    return Timer.objects.filter(fired_at__isnull=True, cancelled_at__isnull=True)


def timers_cancel(**filters):
    """Cancel the waiting timers that match, e.g. when a case is triaged its triage timers go."""
    return timers_waiting().filter(**filters).update(cancelled_at=timezone.now())


def sweep_timers(*, now=None, batch=1000):
    now = now or timezone.now()
    fired = 0
    while True:
        with transaction.atomic():
            # Handlers load what they need in bulk; the timers themselves are small rows.
            timers = list(
                timers_waiting()
                .filter(due_at__lte=now)
                .order_by("due_at")
                .select_for_update(skip_locked=True)[:batch]
            )
            if not timers:
                return fired
            ids = [timer.pk for timer in timers]
            Timer.objects.filter(pk__in=ids, fired_at__isnull=True).update(fired_at=now)
            by_kind = defaultdict(list)
            for timer in timers:
                timer.fired_at = now
                by_kind[timer.kind].append(timer)
            for kind, timers in by_kind.items():
                _run(kind, timers, now)
        fired += len(ids)


def _run(kind, timers, now):
    handler = HANDLERS.get(kind)
    if handler is None:
        logger.error("No handler for %s timers; they stay waiting.", kind)
        Timer.objects.filter(pk__in=[t.pk for t in timers]).update(fired_at=None)
        return
    try:
        with transaction.atomic():
            handler(timers=timers, now=now)
    except Exception:
        # Put them back: the next sweep tries again, and the other kinds are not held up.
        logger.exception("The %s handler failed; its timers stay waiting.", kind)
        Timer.objects.filter(pk__in=[t.pk for t in timers]).update(fired_at=None)
