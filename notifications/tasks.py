"""Thin Celery entry points: load by id, call a service. Retries and backoff live here."""

import smtplib

from celery import shared_task
from django.db import DatabaseError
from kombu.exceptions import OperationalError

from . import services

TRANSIENT = (smtplib.SMTPException, OSError, DatabaseError, OperationalError)


@shared_task(
    autoretry_for=TRANSIENT,
    retry_backoff=30,
    retry_backoff_max=900,
    retry_jitter=True,
    max_retries=8,
    acks_late=True,
)
def deliver(delivery_id):
    return services.deliver_one(delivery_id=delivery_id)


@shared_task(acks_late=True)
def deliver_due():
    return services.deliver_due()
