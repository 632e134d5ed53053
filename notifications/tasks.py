"""Thin Celery entry points: load by id, call a service. Retries and backoff live here."""

import smtplib

from celery import shared_task
from django.db import DatabaseError
from kombu.exceptions import OperationalError

from . import services

TRANSIENT = (smtplib.SMTPException, OSError, DatabaseError, OperationalError)


# A failed delivery is due again after services.retry_delay (1, 2, 4 … minutes, at most an hour); the retry
# comes after the same delay, without jitter, so that it finds the delivery due. Whichever of the retry and
# the sweep claims it first sends it. Run in-process (no broker), the immediate retry finds it not yet due and
# stops, so a failing mail server never spends every attempt inside someone's request.
@shared_task(
    autoretry_for=TRANSIENT,
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=False,
    max_retries=8,
    acks_late=True,
)
def deliver(delivery_id):
    return services.deliver_one(delivery_id=delivery_id)


@shared_task(acks_late=True)
def deliver_many(delivery_ids):
    """A group of deliveries queued together; one that fails is retried on its own, with backoff."""
    sent = 0
    for delivery_id in delivery_ids:
        try:
            sent += services.deliver_one(delivery_id=delivery_id)
        except TRANSIENT:
            deliver.apply_async((delivery_id,), countdown=services.retry_delay(1).total_seconds())
    return sent


@shared_task(acks_late=True)
def deliver_due(now=None):
    return services.deliver_due(now=now)
