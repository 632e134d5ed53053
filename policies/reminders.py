"""Policy reminders, swept by Celery beat (reminders/schedule.py names their tasks, policies/tasks.py):
acknowledgements still outstanding, the weekly summary for supervisors, and reviews falling due
(clause 10.1).

None of these has a timer row of its own. Each reminder has a key, and inserting its SentReminder row
is the claim (reminders.services.claim): a sweep notifies only the people whose key it inserted itself,
in the same transaction as the notifications, so a sweep run twice, or on two workers at once, sends
nothing twice. Counting is in calendar days. Queries grow with the number of policies and of different
notification titles, never with the number of staff.
"""

import datetime
from collections import Counter, defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.text import day
from notifications.models import Kind
from notifications.services import notify_many
from people.models import User
from people.roles import Role
from people.selectors import role_holders
from reminders.models import Limits, SentReminder
from reminders.services import claim

from .models import Acknowledgement, PolicyVersion
from .services import staff_to_acknowledge

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _start_of_day(date):
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time.min))


def _iso_week(date):
    year, week, _ = date.isocalendar()
    return f"{year}-W{week:02d}"


def _current_versions():
    return PolicyVersion.objects.filter(status=PolicyVersion.Status.APPROVED).select_related("policy")


@transaction.atomic
def acknowledgement_reminders_send(*, now=None) -> int:
    """Remind each member of staff once per version who has not acknowledged the current version of a
    policy `acknowledgement_reminder_days` after it took effect, or after they joined if that is later."""
    now = now or timezone.now()
    days = Limits.current().acknowledgement_reminder_days
    latest_start = timezone.localdate(now) - datetime.timedelta(days=days)
    joined_before = _start_of_day(latest_start + datetime.timedelta(days=1))
    sent = 0
    for version in _current_versions().filter(effective_date__lte=latest_start).order_by("policy__title"):
        prefix = f"ack-reminder:{version.pk}:"
        already_reminded = SentReminder.objects.filter(key__startswith=prefix, user__isnull=False)
        people = (
            staff_to_acknowledge()
            .filter(date_joined__lt=joined_before)
            .exclude(acknowledgements__version=version)
            .exclude(pk__in=already_reminded.values("user_id"))
        )
        reminders = {f"{prefix}{person.pk}": person for person in people}
        claimed = claim(reminders, now=now)
        notified = notify_many(
            recipients=[person for key, person in reminders.items() if key in claimed],
            kind=Kind.POLICY_TO_ACKNOWLEDGE,
            title=(
                f"Reminder: please read and acknowledge the {version.policy.title} (version {version.number})"
            ),
            link=version.policy.get_absolute_url(),
        )
        sent += len(notified)
    return sent


def _outstanding_by_overseer(versions):
    """{overseer id: (Counter of outstanding acknowledgements by version, set of the people behind them)}.

    The people someone oversees are those of User.team_members(): their line reports and the members of
    the teams they head. Read in two queries whatever the number of staff.
    """
    acknowledged = set(
        Acknowledgement.objects.filter(version__in=versions).values_list("version_id", "user_id")
    )
    outstanding = defaultdict(lambda: (Counter(), set()))
    people = User.objects.filter(is_active=True).values_list(
        "pk", "line_manager_id", "team__head_of_service_id"
    )
    for person_id, line_manager_id, head_of_service_id in people:
        overseers = {line_manager_id, head_of_service_id} - {None, person_id}
        for version in versions:
            if (version.pk, person_id) in acknowledged:
                continue
            for overseer_id in overseers:
                counts, persons = outstanding[overseer_id]
                counts[version] += 1
                persons.add(person_id)
    return outstanding


def _summary_words(counts, persons):
    """The title and link of one supervisor's summary: the policy's outstanding list when there is one."""
    if len(counts) == 1:
        ((version, count),) = counts.items()
        verb = "has" if count == 1 else "have"
        title = f"{count} of your team {verb} not yet acknowledged the {version.policy.title}"
        link = reverse("policies:acknowledgements", args=[version.policy.slug]) + "?status=outstanding"
        return title, link
    verb = "has" if len(persons) == 1 else "have"
    title = f"{len(persons)} of your team {verb} not yet acknowledged one or more of {len(counts)} policies"
    return title, reverse("home")


@transaction.atomic
def acknowledgement_summaries_send(*, now=None) -> int:
    """Once per ISO week, one notification for each supervisor or Head of Service whose team has
    acknowledgements outstanding, with counts only: who has not acknowledged is on the linked report."""
    now = now or timezone.now()
    week = _iso_week(timezone.localdate(now))
    versions = list(_current_versions().order_by("policy__title"))
    if not versions:
        return 0
    outstanding = _outstanding_by_overseer(versions)
    overseers = User.objects.with_perm("policies.view_team_acknowledgements", backend=MODEL_BACKEND).filter(
        pk__in=list(outstanding)
    )
    summaries = {f"ack-summary:{week}:{overseer.pk}": overseer for overseer in overseers}
    claimed = claim(summaries, now=now)
    by_words = defaultdict(list)
    for key, overseer in summaries.items():
        if key in claimed:
            by_words[_summary_words(*outstanding[overseer.pk])].append(overseer)
    sent = 0
    for (title, link), recipients in by_words.items():
        sent += len(
            notify_many(recipients=recipients, kind=Kind.ACKNOWLEDGEMENT_SUMMARY, title=title, link=link)
        )
    return sent


def _review_alert(version, today, thresholds):
    """(key, title) of the alert due today for this version's review, or None."""
    due = version.next_review_date
    days_left = (due - today).days
    policy = version.policy.title
    if days_left < 0:
        # Weeks counted from the due date, not calendar weeks: an overdue review due on a Friday is
        # alerted on Saturday and then every Saturday, not on Saturday and again on Monday.
        weeks_overdue = (-days_left - 1) // 7
        return (
            f"review-overdue:{version.pk}:{due}:{weeks_overdue}",
            f"The review of the {policy} is overdue (due {day(due)})",
        )
    reached = [days for days in thresholds if days >= days_left]
    if not reached:
        return None
    # After a missed sweep only the nearest alert goes: one message, not a backlog.
    threshold = min(reached)
    when = "today" if days_left == 0 else f"in {days_left} day{'' if days_left == 1 else 's'}"
    return (
        f"review-alert:{version.pk}:{due}:{threshold}",
        f"The review of the {policy} is due {when}, on {day(due)}",
    )


@transaction.atomic
def review_alerts_send(*, now=None) -> int:
    """Clause 10.1: alert the policy's owner and every Head of Business and Governance at each of the
    `review_alert_days` before the review date (once each, on the day or the first sweep after it), and
    every seven days from the day after the review date while it is overdue. The key holds the review
    date, so bringing the review forward arms the alerts again for the new date."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    thresholds = Limits.numbers(Limits.current().review_alert_days)
    horizon = today + datetime.timedelta(days=max(thresholds, default=-1))
    versions = _current_versions().select_related("policy__owner").filter(next_review_date__lte=horizon)
    alerts = {}
    for version in versions.order_by("next_review_date", "pk"):
        alert = _review_alert(version, today, thresholds)
        if alert is not None:
            key, title = alert
            alerts[key] = (version, title)
    if not alerts:
        return 0
    claimed = claim(dict.fromkeys(alerts), now=now)
    heads = list(role_holders(Role.GOVERNANCE))
    sent = 0
    for key, (version, title) in alerts.items():
        if key in claimed:
            sent += len(
                notify_many(
                    recipients=[version.policy.owner, *heads],
                    kind=Kind.REVIEW_DUE,
                    title=title,
                    link=version.policy.get_absolute_url(),
                )
            )
    return sent
