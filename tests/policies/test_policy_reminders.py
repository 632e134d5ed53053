"""Policy reminders over time: acknowledgements outstanding, the weekly summary, reviews falling due.

Every test starts on Monday 5 March 2029 at 09:00 (London), when the Social Media Policy is approved:
it takes effect that day and its review is due on Friday 5 March 2032.
"""

import datetime
import threading
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection, transaction

from notifications.models import Kind, Notification
from people.roles import Role
from policies import services as policy_services
from policies.reminders import (
    acknowledgement_reminders_send,
    acknowledgement_summaries_send,
    review_alerts_send,
)
from reminders.models import Limits, SentReminder
from reminders.services import claim
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
APPROVED_ON = datetime.date(2029, 3, 5)  # a Monday
REVIEW_DUE = datetime.date(2032, 3, 5)  # a Friday, 36 months later


@pytest.fixture(autouse=True)
def clock():
    """Frozen time, set before anyone is created, so that everyone joined on the day of approval."""
    with time_machine.travel(datetime.datetime(2029, 3, 5, 9, 0, tzinfo=LONDON), tick=False) as traveller:
        yield traveller


def go_to(clock, day, hour=9):
    clock.move_to(datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON))


def days_after_approval(clock, days, hour=9):
    go_to(clock, APPROVED_ON + datetime.timedelta(days=days), hour)


def days_before_review(clock, days, hour=8):
    go_to(clock, REVIEW_DUE - datetime.timedelta(days=days), hour)


def received(kind):
    """{username: [titles]} of the notifications of this kind, leaving out those of the approval itself."""
    notifications = Notification.objects.filter(kind=kind).exclude(title__startswith="Please read")
    result = {}
    for notification in notifications.select_related("recipient").order_by("pk"):
        result.setdefault(notification.recipient.username, []).append(notification.title)
    return result


# Acknowledgement reminders ------------------------------------------------------------------------------


@pytest.fixture
def everyone(policy, staff, other_staff, supervisor, other_supervisor, head_of_service, governance):
    """The base set of staff, all of whom joined on the day of approval."""
    return {"staff", "staff2", "supervisor", "supervisor2", "headofservice", "governance"}


def test_no_reminder_before_fourteen_calendar_days(clock, everyone):
    days_after_approval(clock, 13)  # Sunday: weekends count, it is calendar days
    assert acknowledgement_reminders_send() == 0
    assert not SentReminder.objects.exists()


def test_reminder_on_the_fourteenth_day_to_everyone_who_has_not_acknowledged(clock, everyone, policy):
    days_after_approval(clock, 14)
    assert acknowledgement_reminders_send() == 6
    reminders = received(Kind.POLICY_TO_ACKNOWLEDGE)
    assert set(reminders) == everyone
    assert reminders["staff"] == ["Reminder: please read and acknowledge the Social Media Policy (version 1)"]
    assert (
        Notification.objects.filter(title__startswith="Reminder")[0].link == "/policies/social-media-policy/"
    )


def test_a_second_sweep_sends_nothing(clock, everyone):
    days_after_approval(clock, 14)
    assert acknowledgement_reminders_send() == 6
    assert acknowledgement_reminders_send() == 0
    days_after_approval(clock, 15)
    assert acknowledgement_reminders_send() == 0
    days_after_approval(clock, 60)
    assert acknowledgement_reminders_send() == 0
    assert Notification.objects.filter(title__startswith="Reminder").count() == 6


def test_a_missed_day_is_caught_up_once(clock, everyone):
    days_after_approval(clock, 17)  # the sweep did not run on the fourteenth day
    assert acknowledgement_reminders_send() == 6
    assert acknowledgement_reminders_send() == 0


def test_no_reminder_for_those_who_acknowledged_left_or_need_not_acknowledge(
    clock, everyone, policy, staff, other_staff, supervisor
):
    policy_services.acknowledgement_record(version=policy.current_version(), user=staff)
    other_staff.is_active = False
    other_staff.save()
    supervisor.groups.clear()  # no role that asks them to acknowledge
    days_after_approval(clock, 14)
    assert acknowledgement_reminders_send() == 3
    assert set(received(Kind.POLICY_TO_ACKNOWLEDGE)) == {"supervisor2", "headofservice", "governance"}


def test_someone_who_joined_later_is_reminded_fourteen_days_after_joining(clock, everyone):
    days_after_approval(clock, 10)
    UserFactory(username="newstarter")
    days_after_approval(clock, 14)
    acknowledgement_reminders_send()
    assert "newstarter" not in received(Kind.POLICY_TO_ACKNOWLEDGE)
    days_after_approval(clock, 23)
    assert acknowledgement_reminders_send() == 0
    days_after_approval(clock, 24)
    assert acknowledgement_reminders_send() == 1
    assert set(received(Kind.POLICY_TO_ACKNOWLEDGE)) == everyone | {"newstarter"}


def test_a_new_approved_version_brings_new_reminders(clock, everyone, policy, staff, governance, draft_v2):
    days_after_approval(clock, 14)
    acknowledgement_reminders_send()
    policy_services.acknowledgement_record(version=policy.current_version(), user=staff)
    days_after_approval(clock, 20)
    policy_services.version_approve(version=draft_v2, by=governance)
    days_after_approval(clock, 33)
    assert acknowledgement_reminders_send() == 0
    days_after_approval(clock, 34)
    assert acknowledgement_reminders_send() == 6
    assert received(Kind.POLICY_TO_ACKNOWLEDGE)["staff"] == [
        "Reminder: please read and acknowledge the Social Media Policy (version 1)",
        "Reminder: please read and acknowledge the Social Media Policy (version 2)",
    ]
    assert acknowledgement_reminders_send() == 0


def test_the_number_of_days_is_the_organisations_limit(clock, everyone):
    Limits.objects.update_or_create(pk=Limits.current().pk, defaults={"acknowledgement_reminder_days": 7})
    days_after_approval(clock, 6)
    assert acknowledgement_reminders_send() == 0
    days_after_approval(clock, 7)
    assert acknowledgement_reminders_send() == 6


@pytest.mark.parametrize("staff_count", [5, 50])
def test_reminder_queries_do_not_grow_with_the_number_of_staff(
    clock, policy, supervisor, staff_count, django_assert_max_num_queries
):
    UserFactory.create_batch(staff_count, line_manager=supervisor)
    Limits.current()
    days_after_approval(clock, 14)
    with django_assert_max_num_queries(12):
        sent = acknowledgement_reminders_send()
    assert sent == staff_count + 3  # with the supervisor, their Head of Service and the owner


def test_reminder_email_has_the_link_and_no_details(
    clock, everyone, staff, django_capture_on_commit_callbacks
):
    days_after_approval(clock, 14)
    with django_capture_on_commit_callbacks(execute=True):
        acknowledgement_reminders_send()
    (email,) = [m for m in mail.outbox if m.to == [staff.email]]
    assert (
        email.subject
        == "focuspolicy: Reminder: please read and acknowledge the Social Media Policy (version 1)"
    )
    assert f"{settings.SITE_URL.rstrip('/')}/policies/social-media-policy/" in email.body
    assert "this e-mail carries no details" in email.body


# The claim -----------------------------------------------------------------------------------------------


def test_a_key_is_claimed_once(staff, other_staff):
    now = datetime.datetime.now(tz=datetime.UTC)
    assert claim({"one": staff, "two": None}, now=now) == {"one", "two"}
    assert claim({"one": staff, "two": None, "three": other_staff}, now=now) == {"three"}
    assert SentReminder.objects.get(key="three").user == other_staff


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs two connections at once (PostgreSQL)")
def test_two_sweeps_at_once_send_each_reminder_once(clock, everyone):
    """The first sweep has claimed its reminders but not yet committed when the second starts: the second
    waits on the first's keys and, once they are committed, sends nothing."""
    days_after_approval(clock, 14)
    Limits.current()
    results, first_claimed, let_first_commit = {}, threading.Event(), threading.Event()

    def first_sweep():
        try:
            with transaction.atomic():
                results["first"] = acknowledgement_reminders_send()
                first_claimed.set()
                let_first_commit.wait(10)
        finally:
            connection.close()

    def second_sweep():
        try:
            results["second"] = acknowledgement_reminders_send()
        finally:
            connection.close()

    first = threading.Thread(target=first_sweep)
    first.start()
    assert first_claimed.wait(10)
    second = threading.Thread(target=second_sweep)
    second.start()
    time.sleep(0.5)
    assert second.is_alive(), "the second sweep should be waiting for the first's claims"
    let_first_commit.set()
    first.join(10)
    second.join(10)
    assert results == {"first": 6, "second": 0}
    assert Notification.objects.filter(title__startswith="Reminder").count() == 6


# Weekly summary for supervisors -------------------------------------------------------------------------

NEXT_MONDAY = APPROVED_ON + datetime.timedelta(days=7)


def test_weekly_summary_counts_each_supervisors_team(clock, everyone):
    go_to(clock, NEXT_MONDAY, hour=8)
    assert acknowledgement_summaries_send() == 3
    assert received(Kind.ACKNOWLEDGEMENT_SUMMARY) == {
        "supervisor": ["1 of your team has not yet acknowledged the Social Media Policy"],
        "supervisor2": ["1 of your team has not yet acknowledged the Social Media Policy"],
        # Both teams' members and both supervisors, who report to them.
        "headofservice": ["4 of your team have not yet acknowledged the Social Media Policy"],
    }
    summary = Notification.objects.get(recipient__username="supervisor")
    assert summary.link == "/policies/social-media-policy/acknowledgements/?status=outstanding"


def test_summary_once_per_week(clock, everyone):
    go_to(clock, NEXT_MONDAY, hour=8)
    assert acknowledgement_summaries_send() == 3
    assert acknowledgement_summaries_send() == 0
    go_to(clock, NEXT_MONDAY + datetime.timedelta(days=6), hour=23)  # Sunday, the same week
    assert acknowledgement_summaries_send() == 0
    go_to(clock, NEXT_MONDAY + datetime.timedelta(days=7), hour=8)
    assert acknowledgement_summaries_send() == 3
    assert len(received(Kind.ACKNOWLEDGEMENT_SUMMARY)["supervisor"]) == 2


def test_no_summary_for_a_team_that_has_acknowledged(clock, everyone, policy, staff, other_staff):
    version = policy.current_version()
    for person in (staff, other_staff):
        policy_services.acknowledgement_record(version=version, user=person)
    go_to(clock, NEXT_MONDAY, hour=8)
    assert acknowledgement_summaries_send() == 1
    assert received(Kind.ACKNOWLEDGEMENT_SUMMARY) == {
        "headofservice": ["2 of your team have not yet acknowledged the Social Media Policy"]
    }


def test_no_summary_for_those_who_may_not_see_the_team(clock, everyone, supervisor):
    supervisor.groups.set(supervisor.groups.exclude(name=Role.SUPERVISOR))
    go_to(clock, NEXT_MONDAY, hour=8)
    acknowledgement_summaries_send()
    assert "supervisor" not in received(Kind.ACKNOWLEDGEMENT_SUMMARY)


def test_one_summary_for_several_policies(clock, everyone, administrator, policy_text):
    other = policy_services.policy_import(text=policy_text, title="Data Protection Policy").version
    policy_services.version_approve(version=other, by=administrator)
    go_to(clock, NEXT_MONDAY, hour=8)
    assert acknowledgement_summaries_send() == 3
    summaries = received(Kind.ACKNOWLEDGEMENT_SUMMARY)
    assert summaries["supervisor"] == ["1 of your team has not yet acknowledged one or more of 2 policies"]
    assert (
        Notification.objects.get(kind=Kind.ACKNOWLEDGEMENT_SUMMARY, recipient__username="supervisor").link
        == "/"
    )


@pytest.mark.parametrize("staff_count", [5, 50])
def test_summary_queries_do_not_grow_with_the_number_of_staff(
    clock, policy, supervisor, staff_count, django_assert_max_num_queries
):
    UserFactory.create_batch(staff_count, line_manager=supervisor)
    Limits.current()
    go_to(clock, NEXT_MONDAY, hour=8)
    # Four queries for each different title (here two: the supervisor's and the Head of Service's): the
    # people's preferences, the notifications, and their deliveries in the app and by e-mail.
    with django_assert_max_num_queries(15):
        sent = acknowledgement_summaries_send()
    assert sent == 2
    assert received(Kind.ACKNOWLEDGEMENT_SUMMARY)["supervisor"] == [
        f"{staff_count} of your team have not yet acknowledged the Social Media Policy"
    ]


def test_summary_email_and_report_show_the_team_to_the_supervisor_only(
    clock, everyone, client, supervisor, staff, other_staff, django_capture_on_commit_callbacks
):
    # Surnames no e-mail could contain by chance (random ones such as "May" or "Long" can).
    for person, surname in ((staff, "Quillfeather"), (other_staff, "Brackenwold")):
        person.last_name = surname
        person.save(update_fields=["last_name"])
    go_to(clock, NEXT_MONDAY, hour=8)
    with django_capture_on_commit_callbacks(execute=True):
        acknowledgement_summaries_send()
    (email,) = [m for m in mail.outbox if m.to == [supervisor.email]]
    link = "/policies/social-media-policy/acknowledgements/?status=outstanding"
    assert f"{settings.SITE_URL.rstrip('/')}{link}" in email.body
    for name in (staff.last_name, other_staff.last_name):
        assert name not in email.body
    client.force_login(supervisor)
    report = client.get(link)
    assert report.status_code == 200
    assert [person for person, _ in report.context["rows"]] == [staff]


# Review alerts (clause 10.1) ----------------------------------------------------------------------------


@pytest.fixture
def review_policy(policy, governance, second_governance_head, outsider):
    assert policy.current_version().next_review_date == REVIEW_DUE
    return policy


def test_review_alerts_at_90_30_and_7_days_each_once(clock, review_policy):
    expected = []
    for days in range(95, -1, -1):
        days_before_review(clock, days)
        sent = review_alerts_send()
        if days in (90, 30, 7):
            assert sent == 2, f"{days} days before"
            expected.append(f"The review of the Social Media Policy is due in {days} days, on 5 March 2032")
        else:
            assert sent == 0, f"{days} days before"
        assert review_alerts_send() == 0
    assert received(Kind.REVIEW_DUE) == {"governance": expected, "governance2": expected}


def test_review_alert_goes_to_the_owner_and_every_active_governance_head(
    clock, review_policy, administrator, second_governance_head
):
    review_policy.owner = administrator
    review_policy.save()
    UserFactory(username="governance3", roles=[Role.GOVERNANCE], is_active=False)
    days_before_review(clock, 90)
    assert review_alerts_send() == 3
    assert set(received(Kind.REVIEW_DUE)) == {"admin", "governance", "governance2"}
    assert Notification.objects.filter(kind=Kind.REVIEW_DUE)[0].link == "/policies/social-media-policy/"


def test_a_missed_sweep_sends_only_the_nearest_alert(clock, review_policy):
    days_before_review(clock, 20)
    assert review_alerts_send() == 2
    assert received(Kind.REVIEW_DUE)["governance"] == [
        "The review of the Social Media Policy is due in 20 days, on 5 March 2032"
    ]
    days_before_review(clock, 8)
    assert review_alerts_send() == 0
    days_before_review(clock, 7)
    assert review_alerts_send() == 2


def test_overdue_review_is_alerted_every_seven_days(clock, review_policy):
    days_before_review(clock, 7)
    assert review_alerts_send() == 2
    days_before_review(clock, 0)
    assert review_alerts_send() == 0  # due today is not yet overdue
    overdue_on = []
    for days in range(1, 23):
        go_to(clock, REVIEW_DUE + datetime.timedelta(days=days), hour=8)
        if review_alerts_send():
            overdue_on.append(days)
        assert review_alerts_send() == 0
    assert overdue_on == [1, 8, 15, 22]
    assert (
        received(Kind.REVIEW_DUE)["governance"][1:]
        == ["The review of the Social Media Policy is overdue (due 5 March 2032)"] * 4
    )


def test_bringing_the_review_forward_arms_the_alerts_again(clock, review_policy, governance):
    days_before_review(clock, 90)
    assert review_alerts_send() == 2
    new_date = REVIEW_DUE - datetime.timedelta(days=50)
    policy_services.review_bring_forward(
        version=review_policy.current_version(), by=governance, new_date=new_date, reason="New legislation."
    )
    assert review_alerts_send() == 2
    assert received(Kind.REVIEW_DUE)["governance"][-1] == (
        "The review of the Social Media Policy is due in 40 days, on 15 January 2032"
    )
    go_to(clock, new_date - datetime.timedelta(days=31), hour=8)
    assert review_alerts_send() == 0
    go_to(clock, new_date - datetime.timedelta(days=30), hour=8)
    assert review_alerts_send() == 2


def test_a_new_approved_version_has_its_own_alerts(clock, review_policy, governance, draft_v2):
    days_before_review(clock, 90)
    assert review_alerts_send() == 2
    policy_services.version_approve(version=draft_v2, by=governance)
    assert review_alerts_send() == 0
    next_review = draft_v2.__class__.objects.get(pk=draft_v2.pk).next_review_date
    go_to(clock, next_review - datetime.timedelta(days=90), hour=8)
    assert review_alerts_send() == 2


@pytest.mark.parametrize("heads", [5, 50])
def test_review_alert_queries_do_not_grow_with_the_number_of_governance_heads(
    clock, review_policy, heads, django_assert_max_num_queries
):
    UserFactory.create_batch(heads, roles=[Role.GOVERNANCE])
    Limits.current()
    days_before_review(clock, 90)
    with django_assert_max_num_queries(10):
        sent = review_alerts_send()
    assert sent == heads + 2


def test_review_email_has_the_link_and_no_details(
    clock, review_policy, governance, django_capture_on_commit_callbacks
):
    go_to(clock, REVIEW_DUE + datetime.timedelta(days=1), hour=8)
    with django_capture_on_commit_callbacks(execute=True):
        review_alerts_send()
    (email,) = [m for m in mail.outbox if m.to == [governance.email]]
    assert email.subject == "focuspolicy: The review of the Social Media Policy is overdue (due 5 March 2032)"
    assert f"{settings.SITE_URL.rstrip('/')}/policies/social-media-policy/" in email.body
