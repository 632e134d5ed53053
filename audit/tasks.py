"""Thin Celery entry point of the daily audit chain check, in the beat schedule (reminders/schedule.py)."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def verify_audit(now=None):
    return services.audit_chain_check(now=now)
