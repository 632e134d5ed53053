"""Notifications from policy events: a new version to acknowledge, a reply to a comment."""

import pytest
from django.conf import settings
from django.core import mail

from core.errors import DomainError
from notifications.models import Kind, Notification
from policies import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL.rstrip("/")


def recipients(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


# A new version to acknowledge ---------------------------------------------------------------------------


@pytest.fixture
def people(staff, other_staff, supervisor, head_of_service, hr, outsider, administrator):
    return {"staff", "staff2", "supervisor", "supervisor2", "headofservice", "hr", "outsider", "admin"}


def test_approving_a_version_asks_every_member_of_staff_to_acknowledge_it(
    draft_v2, governance, people, django_capture_on_commit_callbacks
):
    left = UserFactory(username="leaver", is_active=False)
    no_role = UserFactory(username="norole")
    no_role.groups.clear()
    Notification.objects.all().delete()  # those of version 1
    with django_capture_on_commit_callbacks(execute=True):
        services.version_approve(version=draft_v2, by=governance)
    assert recipients(Kind.POLICY_TO_ACKNOWLEDGE) == people | {"governance"}
    assert left.username not in recipients(Kind.POLICY_TO_ACKNOWLEDGE)
    notification = Notification.objects.filter(recipient__username="staff").get()
    assert notification.title == "Please read and acknowledge the Social Media Policy (version 2)"
    assert notification.link == "/policies/social-media-policy/"
    assert len(mail.outbox) == len(people) + 1
    (email,) = [m for m in mail.outbox if m.to == ["staff@focus.example"]]
    assert email.subject == "focuspolicy: Please read and acknowledge the Social Media Policy (version 2)"
    assert f"{SITE}/policies/social-media-policy/" in email.body
    assert "unkind comments" not in email.body  # no text of the policy, only the link


def test_no_notification_until_the_approval_commits(
    draft_v2, governance, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.version_approve(version=draft_v2, by=governance)
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_a_refused_approval_tells_nobody(draft_v2, outsider, staff):
    Notification.objects.all().delete()
    with pytest.raises(DomainError):
        services.version_approve(version=draft_v2, by=outsider)
    assert not Notification.objects.exists()


@pytest.mark.parametrize("staff_count", [5, 50])
def test_approval_queries_do_not_grow_with_the_number_of_staff(
    draft_v2, governance, staff_count, django_assert_max_num_queries
):
    UserFactory.create_batch(staff_count)
    with django_assert_max_num_queries(12):
        services.version_approve(version=draft_v2, by=governance)
    assert Notification.objects.filter(title__endswith="(version 2)").count() == staff_count + 1


# A reply to a comment -----------------------------------------------------------------------------------


@pytest.fixture
def comment(policy, staff):
    version = policy.current_version()
    return services.comment_add(
        version=version,
        author=staff,
        clause=version.clauses().get(number="6.4"),
        body="Which forums are approved for the team?",
    )


def test_the_commenter_is_told_of_the_owners_reply(
    client, comment, governance, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_reply(comment=comment, author=governance, body="The list is on the intranet page.")
    notification = Notification.objects.get(kind=Kind.COMMENT_REPLY)
    assert notification.recipient == staff
    assert notification.title == "A reply to your comment on the Social Media Policy"
    assert notification.link == f"/policies/social-media-policy/comments/{comment.pk}/"
    (email,) = mail.outbox
    assert email.to == [staff.email]
    assert f"{SITE}{notification.link}" in email.body
    for detail in ("intranet", "forums", governance.last_name, "6.4"):
        assert detail not in email.subject + email.body
    client.force_login(staff)
    assert "The list is on the intranet page." in client.get(notification.link).text


def test_the_owner_is_told_when_the_commenter_answers_back(
    client, comment, governance, staff, django_capture_on_commit_callbacks
):
    services.comment_reply(comment=comment, author=governance, body="Which forum did you have in mind?")
    Notification.objects.filter(kind=Kind.COMMENT_REPLY).delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_reply(comment=comment, author=staff, body="The carers' forum on Facebook.")
    notification = Notification.objects.get(kind=Kind.COMMENT_REPLY)
    assert notification.recipient == governance
    assert notification.title == "A new reply to a comment on the Social Media Policy"
    (email,) = mail.outbox
    assert email.to == [governance.email]
    for detail in ("Facebook", "carers", staff.last_name):
        assert detail not in email.subject + email.body
    client.force_login(governance)
    assert client.get(notification.link).status_code == 200


def test_an_administrators_reply_tells_the_commenter_only(comment, administrator, staff):
    services.comment_reply(comment=comment, author=administrator, body="Answered for the owner.")
    assert recipients(Kind.COMMENT_REPLY) == {"staff"}


def test_nobody_is_told_of_their_own_reply_to_their_own_comment(policy, governance):
    own = services.comment_add(version=policy.current_version(), author=governance, body="Check 5.2 wording.")
    services.comment_reply(comment=own, author=governance, body="Done.")
    assert not Notification.objects.filter(kind=Kind.COMMENT_REPLY).exists()


def test_the_commenters_reply_tells_nobody_when_the_policy_has_no_owner(comment, staff, policy):
    policy.owner = None
    policy.save()
    comment.policy.refresh_from_db()
    services.comment_reply(comment=comment, author=staff, body="Any news?")
    assert not Notification.objects.filter(kind=Kind.COMMENT_REPLY).exists()


def test_someone_outside_the_thread_cannot_reply_and_nobody_is_told(comment, outsider):
    with pytest.raises(DomainError):
        services.comment_reply(comment=comment, author=outsider, body="Me too.")
    assert not Notification.objects.filter(kind=Kind.COMMENT_REPLY).exists()


def test_a_commenter_who_has_left_is_not_told(comment, governance, staff):
    staff.is_active = False
    staff.save()
    comment.author.refresh_from_db()
    services.comment_reply(comment=comment, author=governance, body="Thank you.")
    assert not Notification.objects.filter(kind=Kind.COMMENT_REPLY).exists()
