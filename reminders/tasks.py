"""Thin Celery entry points for the beat schedule (reminders/schedule.py): each calls one service."""

from celery import shared_task

from . import policy_reminders, sweep


@shared_task(acks_late=True)
def sweep_timers():
    return sweep.sweep_timers()


@shared_task(acks_late=True)
def acknowledgement_reminders():
    return policy_reminders.acknowledgement_reminders_send()


@shared_task(acks_late=True)
def acknowledgement_summaries():
    return policy_reminders.acknowledgement_summaries_send()


@shared_task(acks_late=True)
def review_alerts():
    return policy_reminders.review_alerts_send()
