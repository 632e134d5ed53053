"""Thin Celery entry point for storing the reports' monthly figures, named in the beat schedule
(reminders/schedule.py)."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def month_figures_refresh(now=None):
    return services.month_figures_refresh(now=now)
