"""Queueing a task from a request without ever waiting for the broker.

What a request queues is already in the database (the outbox: notifications.Delivery rows, pending), and
a sweep on beat sends whatever is still waiting, so the broker only makes the work happen sooner. A
request therefore tries the broker once, with no retry, and after a failure this process does not try at
all for PAUSE_AFTER_FAILURE seconds (a circuit breaker): with the broker down, the requests that queue
work answer as fast as with it up. Left to itself, kombu would retry the connection for
CELERY_BROKER_CONNECTION_TIMEOUT seconds (2 s) on every request.
"""

import logging
import time

logger = logging.getLogger(__name__)

PAUSE_AFTER_FAILURE = 10.0  # seconds

# time.monotonic() before which this process does not try the broker. Threads share it; a race between
# two of them costs one extra try, never a lost task.
_paused_until = 0.0


def broker_paused():
    return time.monotonic() < _paused_until


def task_queue(task, *args):
    """Hand `task(*args)` to the broker, or run it here when there is none (tasks run eagerly). True
    when it was queued or ran; False when it was left for the sweep."""
    global _paused_until
    app = task.app
    if app.conf.task_always_eager:
        try:
            task.apply_async(args)
        except Exception:  # noqa: BLE001 - recorded by the task; the sweep tries again
            logger.warning("%s failed; the sweep will try again.", task.name, exc_info=True)
            return False
        return True
    if broker_paused():
        return False
    try:
        with app.producer_or_acquire() as producer:
            # One connection attempt, no retry (a pooled connection already open costs nothing here).
            producer.connection.ensure_connection(max_retries=0)
            task.apply_async(args, producer=producer, retry=False)
    except Exception:  # noqa: BLE001 - any broker failure: the work waits in the database
        _paused_until = time.monotonic() + PAUSE_AFTER_FAILURE
        logger.warning(
            "The broker did not take %s; not trying it for %ss. The sweep will do the work.",
            task.name,
            PAUSE_AFTER_FAILURE,
            exc_info=True,
        )
        return False
    return True
