import re

import pytest
from django.urls import reverse

from policies.models import Comment, CommentReply

pytestmark = pytest.mark.django_db


def comments_url(policy):
    return reverse("policies:comments", args=[policy.slug])


@pytest.fixture
def comment(staff, policy):
    from policies.services import comment_add

    version = policy.current_version()
    return comment_add(
        version=version,
        author=staff,
        clause=version.clauses().get(number="6.4"),
        body="Which forums are approved?",
    )


def test_staff_comment_on_a_clause(client, staff, policy):
    clause = policy.current_version().clauses().get(number="5.2")
    client.force_login(staff)
    response = client.post(
        comments_url(policy), {"clause": clause.pk, "body": "Add an example about WhatsApp."}, follow=True
    )
    assert "your comment has been sent" in response.text
    saved = Comment.objects.get()
    assert (saved.author, saved.clause, saved.body) == (staff, clause, "Add an example about WhatsApp.")


def test_staff_comment_on_the_policy_as_a_whole(client, staff, policy):
    client.force_login(staff)
    client.post(comments_url(policy), {"clause": "", "body": "Clear and helpful."})
    assert Comment.objects.get().clause is None


def test_clause_page_offers_the_comment_form(client, staff, policy):
    client.force_login(staff)
    response = client.get("/policies/social-media-policy/6.4/")
    assert "Comment on this clause" in response.text
    selected = re.search(r"<option [^>]*selected>([^<]*)</option>", response.text)
    assert selected.group(1).startswith("6.4 ")


@pytest.mark.parametrize(
    "data, message",
    [
        ({"body": "   "}, "This field is required"),
        ({"body": "x", "clause": "999999"}, "Select a valid choice"),
    ],
)
def test_bad_comments_are_refused_with_a_message(client, staff, policy, data, message):
    client.force_login(staff)
    response = client.post(comments_url(policy), data)
    assert response.status_code == 200
    assert message in response.text
    assert not Comment.objects.exists()


def test_a_clause_of_another_version_is_refused(client, staff, policy, draft_v2):
    client.force_login(staff)
    other = draft_v2.clauses().get(number="5.2")
    response = client.post(comments_url(policy), {"clause": other.pk, "body": "x"})
    assert "Select a valid choice" in response.text
    assert not Comment.objects.exists()


def test_commenter_sees_their_own_comments_and_not_others(client, staff, other_staff, comment):
    client.force_login(other_staff)
    assert list(client.get(comments_url(comment.policy)).context["comments"]) == []
    assert client.get(comment.get_absolute_url()).status_code == 404
    client.force_login(staff)
    assert list(client.get(comments_url(comment.policy)).context["comments"]) == [comment]
    assert client.get(comment.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    "who, sees",
    [
        ("staff", True),
        ("governance", True),
        ("administrator", True),
        ("other_staff", False),
        ("supervisor", False),
        ("hr", False),
        ("outsider", False),
    ],
)
def test_who_sees_a_comment(client, request, comment, who, sees):
    client.force_login(request.getfixturevalue(who))
    assert client.get(comment.get_absolute_url()).status_code == (200 if sees else 404)
    listed = comment in client.get(comments_url(comment.policy)).context["comments"]
    assert listed == sees


def test_owner_replies_and_the_commenter_sees_the_reply(client, staff, governance, comment):
    client.force_login(governance)
    client.post(comment.get_absolute_url(), {"body": "We will publish a list."})
    client.force_login(staff)
    response = client.get(comment.get_absolute_url())
    assert "We will publish a list." in response.text
    assert "Mark as addressed" not in response.text


def test_owner_marks_a_comment_addressed_and_reopens_it(client, governance, comment):
    client.force_login(governance)
    client.post(comment.get_absolute_url(), {"addressed": "yes"})
    comment.refresh_from_db()
    assert comment.is_addressed and comment.addressed_by == governance
    client.post(comment.get_absolute_url(), {"addressed": "no"})
    comment.refresh_from_db()
    assert not comment.is_addressed


def test_commenter_cannot_mark_their_comment_addressed(client, staff, comment):
    client.force_login(staff)
    response = client.post(comment.get_absolute_url(), {"addressed": "yes"}, follow=True)
    assert "Only the policy owner" in response.text
    comment.refresh_from_db()
    assert not comment.is_addressed


def test_empty_reply_is_refused(client, governance, comment):
    client.force_login(governance)
    response = client.post(comment.get_absolute_url(), {"body": ""})
    assert "This field is required" in response.text
    assert not CommentReply.objects.exists()
