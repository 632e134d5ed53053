"""The timer sweep: claim the timers that are due, then let each kind's handler act on its batch.

Each app declares its own kinds of timer and registers the function that handles each with `@handles`,
in a module its AppConfig.ready() imports (e.g. cases.timers, cases.breach): the engine imports none of
them. A handler loads the subjects of its batch in bulk, by `subject_id`.

Claiming sets fired_at on rows that are still waiting, inside a transaction that skips rows another
worker has locked, so a sweep run twice, or on two workers at once, fires each timer once. The number
of queries depends on the number of timers due, in batches, never on the number of cases.
"""

import functools
import logging
import operator
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Timer

logger = logging.getLogger(__name__)

HANDLERS = {}
LABELS = {}


def handles(kind, label=None):
    """Register the function that acts on a batch of due timers of one kind: fn(*, timers, now).

    The label says what the kind is, for people (the admin); a TextChoices member brings its own.
    """

    def register(function):
        HANDLERS[str(kind)] = function
        LABELS[str(kind)] = str(label or getattr(kind, "label", kind))
        return function

    return register


def kind_label(kind):
    return LABELS.get(kind, kind)


def timers_waiting():
    return Timer.objects.filter(fired_at__isnull=True, cancelled_at__isnull=True)


def timers_of(*subjects):
    """The timers about these subjects (model instances, of one model or several)."""
    ids = defaultdict(set)
    for subject in subjects:
        ids[ContentType.objects.get_for_model(subject)].add(subject.pk)
    if not ids:
        return Timer.objects.none()
    about = (Q(subject_type=subject_type, subject_id__in=pks) for subject_type, pks in ids.items())
    return Timer.objects.filter(functools.reduce(operator.or_, about))


def timers_cancel(*subjects, **filters):
    """Cancel the waiting timers about these subjects that match, e.g. when a case is triaged its triage
    timers go: timers_cancel(case, kind__in=TRIAGE_TIMERS)."""
    waiting = timers_of(*subjects).filter(fired_at__isnull=True, cancelled_at__isnull=True)
    return waiting.filter(**filters).update(cancelled_at=timezone.now())


def timer_start(*, kind, subject, due_at, started_at):
    """Start a new round of a timer about `subject`, cancelling the one still waiting, if any; earlier rounds
    stay as history (each kind is unique per subject and note, so a later round is noted as such)."""
    timers_cancel(subject, kind=kind)
    rounds = timers_of(subject).filter(kind=kind).count()
    return Timer.objects.create(
        kind=kind,
        subject=subject,
        due_at=due_at,
        created_at=started_at,
        note=f"round {rounds + 1}" if rounds else "",
    )


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
