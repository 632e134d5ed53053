"""Being written: acknowledgement reminders, weekly summaries and review alerts."""


def acknowledgement_reminders_send(*, now=None):
    return 0


def acknowledgement_summaries_send(*, now=None):
    return 0


def review_alerts_send(*, now=None):
    return 0
