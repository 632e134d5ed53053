"""Thin Celery entry points of the policy reminders (policies/reminders.py), named in the beat schedule
(reminders/schedule.py): each calls one service. Beat calls them with no argument; `manage.py
run_reminders` passes `now`."""

from celery import shared_task

from . import reminders


@shared_task(acks_late=True)
def acknowledgement_reminders(now=None):
    return reminders.acknowledgement_reminders_send(now=now)


@shared_task(acks_late=True)
def acknowledgement_summaries(now=None):
    return reminders.acknowledgement_summaries_send(now=now)


@shared_task(acks_late=True)
def review_alerts(now=None):
    return reminders.review_alerts_send(now=now)
