"""Thin Celery entry point for leaving, named in the beat schedule (reminders/schedule.py)."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def leavers_sweep(now=None):
    return services.leavers_sweep(now=now)
