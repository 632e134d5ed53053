"""Thin Celery entry point of the timer sweep, named in the beat schedule (reminders/schedule.py)."""

from celery import shared_task

from . import sweep


@shared_task(acks_late=True)
def sweep_timers(now=None):
    return sweep.sweep_timers(now=now)
