"""Thin Celery entry points for cases, named in the beat schedule (reminders/schedule.py)."""

from celery import shared_task

from . import draft_services


@shared_task(acks_late=True)
def drafts_expire(now=None):
    return draft_services.drafts_expire(now=now)
