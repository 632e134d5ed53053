"""Notify people, and deliver what is due. The database is the source of truth; the queue only makes
delivery sooner, so nothing is lost if the broker is down."""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .channels import CHANNELS, PermanentFailure
from .models import MANDATORY_KINDS, Delivery, Notification, Preference

logger = logging.getLogger(__name__)

# A delivery claimed this long ago and still "sending" was lost with its worker: send it again.
STALE_CLAIM = datetime.timedelta(minutes=15)


def retry_delay(attempts):
    """How long a delivery waits after its n-th failed attempt: 1, 2, 4 … minutes, at most an hour.
    The deliver task retries after the same delay (tasks.py), and the sweep respects it too."""
    return datetime.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def next_digest_time(now=None):
    now = timezone.localtime(now or timezone.now())
    at = now.replace(hour=settings.NOTIFICATION_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return at if at > now else at + datetime.timedelta(days=1)


def notify(*, recipient, kind, title, link, about=None):
    """Record a notification for one person and queue its deliveries once the transaction commits.

    `about`: the object whose work the notification asks for, cleared by notifications_clear."""
    created = notify_many(recipients=[recipient], kind=kind, title=title, link=link, about=about)
    return created[0] if created else None


@dataclass(frozen=True)
class Message:
    recipient: object
    kind: str
    title: str
    link: str
    about: object = None


def notify_many(*, recipients, kind, title, link, about=None):
    """The same notification for several people, in a fixed number of queries."""
    return notify_each([Message(recipient, kind, title, link, about) for recipient in recipients])


def _about_key(about):
    if about is None:
        return None, None
    return ContentType.objects.get_for_model(about).pk, about.pk


def notifications_clear(*, about, kinds):
    """Mark read, for everyone, the unread notifications of these kinds about `about`: the work they
    asked for is done, whoever did it, so the unread count is only work still waiting. One UPDATE, through
    the index of unread notifications about something."""
    about_type, about_id = _about_key(about)
    return Notification.objects.filter(
        about_type=about_type, about_id=about_id, read_at__isnull=True, kind__in=list(kinds)
    ).update(read_at=timezone.now())


def notify_each(messages):
    """Record many notifications at once (each its own recipient, kind, title and link) and queue their
    deliveries once the transaction commits. A fixed number of queries however many there are, so a
    sweep that tells thousands of people costs the same few queries per batch."""
    unique = {}
    for message in messages:
        if message.recipient is not None and message.recipient.is_active:
            unique.setdefault((message.recipient.pk, message.kind, message.title, message.link), message)
    messages = list(unique.values())
    if not messages:
        return []
    now = timezone.now()
    optional = {m.kind for m in messages} - MANDATORY_KINDS
    modes = {}
    if optional:
        rows = Preference.objects.filter(user__in={m.recipient.pk for m in messages}, kind__in=optional)
        modes = {(user_id, kind): mode for user_id, kind, mode in rows.values_list("user_id", "kind", "mode")}
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient_id=m.recipient.pk,
            kind=m.kind,
            title=m.title,
            link=m.link,
            created_at=now,
            about_type_id=_about_key(m.about)[0],
            about_id=_about_key(m.about)[1],
        )
        for m in messages
    )
    immediate, digest = [], []
    for notification in notifications:
        mode = modes.get((notification.recipient_id, notification.kind), Preference.Mode.IMMEDIATE)
        if mode == Preference.Mode.IMMEDIATE:
            immediate.append(notification.pk)
        elif mode == Preference.Mode.DIGEST:
            digest.append(notification.pk)
    # In the app, the notification record is what the person sees from the moment it commits: that
    # delivery is recorded as sent, without a round trip through the workers.
    _deliveries_add(
        [n.pk for n in notifications],
        channel=Delivery.Channel.IN_APP,
        due_at=now,
        status=Delivery.Status.SENT,
        sent_at=now,
    )
    due_now = _deliveries_add(immediate, channel=Delivery.Channel.EMAIL, due_at=now)
    _deliveries_add(digest, channel=Delivery.Channel.EMAIL, due_at=next_digest_time(now), digest=True)
    transaction.on_commit(partial(enqueue_deliveries, due_now))
    return notifications


def _deliveries_add(
    notification_ids, *, channel, due_at, status=Delivery.Status.PENDING, sent_at=None, digest=False
):
    """One channel's deliveries for many notifications, made by the database; their ids.

    A sweep records thousands of deliveries at once. Building each as a model instance for bulk_create
    cost more than the database's own work (benchmarks/reminder_sweep.py), so each thousand is one
    INSERT … SELECT over the notifications. Only the models' table and column names are put into the SQL;
    every value is a parameter.
    """
    quote, ops = connection.ops.quote_name, connection.ops
    fields = ["channel", "status", "due_at", "digest", "sent_at", "attempts", "last_error"]
    values = [
        channel,
        status,
        ops.adapt_datetimefield_value(due_at),
        digest,
        ops.adapt_datetimefield_value(sent_at),
    ]
    values += [1 if status == Delivery.Status.SENT else 0, ""]
    columns = ", ".join(quote(Delivery._meta.get_field(name).column) for name in ["notification", *fields])
    source, pk = quote(Notification._meta.db_table), quote(Notification._meta.pk.column)
    ids = []
    for start in range(0, len(notification_ids), 1000):
        chunk = notification_ids[start : start + 1000]
        sql = (
            f"INSERT INTO {quote(Delivery._meta.db_table)} ({columns}) "  # noqa: S608 - names, not values
            f"SELECT {pk}, {', '.join(['%s'] * len(values))} FROM {source} "
            f"WHERE {pk} IN ({', '.join(['%s'] * len(chunk))}) RETURNING {quote('id')}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*values, *chunk])
            ids += [delivery_id for (delivery_id,) in cursor.fetchall()]
    return ids


# Deliveries go to the workers in groups: one message on the broker per group, not one per e-mail.
ENQUEUE_CHUNK = 100


def enqueue_deliveries(delivery_ids):
    """Hand deliveries to the workers. If the broker is down, they wait in the database for the sweep:
    the request never waits for the broker (core.broker)."""
    from core.broker import task_queue

    from .tasks import deliver, deliver_many

    for start in range(0, len(delivery_ids), ENQUEUE_CHUNK):
        chunk = delivery_ids[start : start + ENQUEUE_CHUNK]
        queued = task_queue(deliver, chunk[0]) if len(chunk) == 1 else task_queue(deliver_many, chunk)
        if not queued:
            return


def _claim(delivery_ids, now):
    """Take deliveries for sending; the ids this worker took. Rows another worker holds are skipped and only
    rows still pending change, so no two workers send the same one. The claim is stamped with the real clock
    (not the sweep's `now`), which is what the stale-claim check compares against."""
    with transaction.atomic():
        claimed = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(pk__in=delivery_ids, status=Delivery.Status.PENDING, due_at__lte=now)
            .values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=claimed, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
        )
    return claimed


def _finish(deliveries, error=None, permanent=False):
    now = timezone.now()
    ids = [d.pk for d in deliveries]
    if error is None:
        Delivery.objects.filter(pk__in=ids).update(status=Delivery.Status.SENT, sent_at=now, last_error="")
        return
    give_up = Q(attempts__gte=settings.NOTIFICATION_MAX_ATTEMPTS) | Q(pk__in=ids if permanent else [])
    rows = Delivery.objects.filter(pk__in=ids)
    rows.filter(give_up).update(status=Delivery.Status.FAILED, last_error=str(error)[:2000])
    rows.exclude(give_up).update(
        status=Delivery.Status.PENDING,
        claimed_at=None,
        last_error=str(error)[:2000],
        due_at=now + retry_delay(max(d.attempts for d in deliveries)),
    )


def deliver_one(*, delivery_id):
    """Send one delivery if it is still waiting. Transient errors are recorded and raised, for a retry."""
    now = timezone.now()
    if not _claim([delivery_id], now):
        return False
    delivery = Delivery.objects.select_related("notification__recipient").get(pk=delivery_id)
    try:
        CHANNELS[delivery.channel].send(delivery)
    except PermanentFailure as error:
        _finish([delivery], error, permanent=True)
        return False
    except Exception as error:
        _finish([delivery], error)
        raise
    _finish([delivery])
    return True


def deliver_due(*, now=None, limit=1000):
    """The sweep: send what is due and not sent yet — what the broker lost, and the daily digests."""
    now = now or timezone.now()
    stale = timezone.now() - STALE_CLAIM
    Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=stale).update(
        status=Delivery.Status.PENDING, claimed_at=None
    )
    due = Delivery.objects.filter(status=Delivery.Status.PENDING, due_at__lte=now)
    sent = 0
    for delivery_id in due.filter(digest=False).values_list("pk", flat=True)[:limit]:
        try:
            sent += deliver_one(delivery_id=delivery_id)
        except Exception:  # noqa: BLE001 - recorded on the delivery; the next sweep tries again
            logger.warning("Delivery %s failed; it will be tried again.", delivery_id, exc_info=True)
    sent += send_digests(now=now, limit=limit)
    return sent


def send_digests(*, now, limit=1000):
    """One e-mail per person for all their digest deliveries that are due."""
    by_person = defaultdict(list)
    due = Delivery.objects.filter(status=Delivery.Status.PENDING, digest=True, due_at__lte=now)
    for delivery_id, person_id in due.values_list("pk", "notification__recipient_id")[:limit]:
        by_person[person_id].append(delivery_id)
    sent = 0
    for ids in by_person.values():
        claimed = _claim(ids, now)
        if not claimed:
            continue
        deliveries = list(
            Delivery.objects.filter(pk__in=claimed)
            .select_related("notification__recipient")
            .order_by("notification__created_at")
        )
        try:
            CHANNELS[Delivery.Channel.EMAIL].send_many(deliveries)
        except PermanentFailure as error:
            _finish(deliveries, error, permanent=True)
        except Exception as error:  # noqa: BLE001 - recorded; the next sweep tries again
            _finish(deliveries, error)
        else:
            _finish(deliveries)
            sent += len(deliveries)
    return sent


def notification_mark_read(*, user, notification_ids=None):
    """Mark the person's notifications read: the given ones, or all."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


def preferences_save(*, user, modes):
    """modes: {kind: mode}. Mandatory kinds always stay immediate."""
    for kind, mode in modes.items():
        if kind in MANDATORY_KINDS:
            continue
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"mode": mode})
