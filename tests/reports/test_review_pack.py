"""A policy's review pack (clause 10.1): breaches by clause since the last review, the staff comments
received since then (10.2) and acknowledgement by team, as a page and as a PDF."""

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AuditEntry
from cases.models import Outcome
from policies import services as policy_services
from policies.models import CommentReply
from tests.reports.moments import NOW, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def comments(reviewed, clause, staff, other_staff, governance):
    """Comments since the review on 10.2, 6.4 (answered and addressed) and the policy as a whole; one
    from before the review."""
    version = reviewed.current_version()

    def comment(when, author, body, on=None):
        with time_machine.travel(when, tick=False):
            return policy_services.comment_add(version=version, author=author, body=body, clause=on)

    comment(at(2025, 12, 1), staff, "An old comment from before the review.", on=clause("5.2"))
    comment(at(2026, 2, 1), staff, "Please say how to raise a concern out of hours.", on=clause("10.2"))
    answered = comment(
        at(2026, 2, 2), other_staff, "Could we have a list of approved forums?", on=clause("6.4")
    )
    with time_machine.travel(at(2026, 2, 3), tick=False):
        CommentReply.objects.create(comment=answered, author=governance, body="Yes: with the next review.")
        policy_services.comment_mark_addressed(comment=answered, by=governance)
    comment(at(2026, 3, 1), other_staff, "The policy is clear; thank you.")


@pytest.fixture
def open_pack(client, governance):
    def _open(policy, pdf=False, user=None):
        client.force_login(user or governance)
        name = "reports:review_pack_pdf" if pdf else "reports:review_pack"
        with time_machine.travel(NOW, tick=False):
            return client.get(reverse(name, args=[policy.slug]))

    return _open


def breach_rows(response):
    return [(row.label, row.cases, row.disciplinary) for row in response.context["pack"].breaches]


def test_the_pack_names_the_policy_and_its_reviews(open_pack, reviewed):
    html = open_pack(reviewed).text
    assert "Review pack: Social Media Policy" in html
    assert "<dt>Last review</dt><dd>1 January 2026 (version 1 approved" in html
    assert "<dt>Next review</dt><dd>1 January 2029" in html


def test_breaches_by_clause_since_the_last_review(open_pack, pack_world):
    response = open_pack(pack_world["A"].policy_version.policy)
    assert breach_rows(response) == [
        ("Clause 5.2", 1, 1),
        ("Clause 5.3", 1, 0),
        ("Clause 10.2", 1, 0),
        ("No clause recorded", 1, 0),
    ]
    pack = response.context["pack"]
    assert pack.cases_closed_as_breach == 3  # A, E and G
    # Raised since 1 January: A, B, C, D, E, F, G (X is about the reader; O was raised in December).
    assert pack.cases_raised == 7
    assert '<th scope="row">Clause 10.2</th>' in response.text


def test_a_review_brought_forward_shows_with_its_reason(open_pack, reviewed, governance):
    with time_machine.travel(at(2026, 3, 1), tick=False):
        policy_services.review_bring_forward(
            version=reviewed.current_version(),
            by=governance,
            new_date=datetime.date(2026, 9, 1),
            reason="The Online Safety Act guidance changed.",
        )
    html = open_pack(reviewed).text
    assert "<dt>Next review</dt><dd>1 September 2026" in html
    assert "The Online Safety Act guidance changed." in html


def test_comments_since_the_last_review_grouped_by_clause(open_pack, comments, reviewed):
    response = open_pack(reviewed)
    groups = response.context["pack"].comments
    assert [(group.number, [c.body for c in group.comments]) for group in groups] == [
        (None, ["The policy is clear; thank you."]),
        ("6.4", ["Could we have a list of approved forums?"]),
        ("10.2", ["Please say how to raise a concern out of hours."]),
    ]
    html = response.text
    assert "An old comment" not in html
    assert "Yes: with the next review." in html
    assert "addressed 3 February 2026" in html
    assert "not yet addressed" in html


def test_acknowledgement_by_team(open_pack, reviewed, staff, other_staff):
    version = reviewed.current_version()
    policy_services.acknowledgement_record(version=version, user=staff)
    coverage = open_pack(reviewed).context["pack"].coverage
    assert {row.team: (row.staff, row.acknowledged) for row in coverage.teams}["Community Support"] == (3, 1)


def test_the_pack_as_a_pdf(open_pack, pack_world, comments, governance):
    policy = pack_world["A"].policy_version.policy
    response = open_pack(policy, pdf=True)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="review-pack-social-media-policy-v1-2026-05-15.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for expected in (
        "Clause 5.2",
        "Clause 5.3",
        "Clause 10.2",
        "Clause 6.4",
        "approved forums",
        "1 January 2029",
    ):
        assert expected in text
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.actor == governance
    assert entry.details["policy"] == policy.slug
    assert entry.details["version"] == 1


def test_opening_the_page_is_not_an_export(open_pack, reviewed):
    open_pack(reviewed)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_a_disciplinary_record_about_the_reader_is_not_counted(open_pack, pack_world):
    rows = breach_rows(open_pack(pack_world["A"].policy_version.policy))
    assert all(label != "Clause 6.4" for label, _, _ in rows)


def test_the_query_count_does_not_grow_with_the_cases_or_comments(
    client,
    governance,
    reviewed,
    raise_at,
    close_at,
    clause,
    staff,
    other_staff,
    django_assert_max_num_queries,
):
    version = reviewed.current_version()

    def add(count):
        for n in range(count):
            day = 1 + n % 28
            case = raise_at(at(2026, 2, day, 8), staff, clauses=[clause("5.2"), clause(f"{5 + n % 3}.1")])
            close_at(case, at(2026, 3, day), Outcome.CONTENT_REMOVED)
            with time_machine.travel(at(2026, 4, day), tick=False):
                comment = policy_services.comment_add(
                    version=version, author=other_staff, body=f"Comment {n}", clause=clause(f"{5 + n % 3}.1")
                )
                policy_services.comment_reply(comment=comment, author=governance, body="Thank you.")

    def read():
        with time_machine.travel(NOW, tick=False):
            return client.get(reverse("reports:review_pack", args=[reviewed.slug]))

    client.force_login(governance)
    add(3)
    with django_assert_max_num_queries(25) as few:
        read()
    add(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = read()
    assert response.context["pack"].cases_closed_as_breach == 30
    assert response.context["pack"].comment_count == 30
    assert response.text.count("Thank you.") == 30


def test_the_policy_page_links_to_the_pack_for_the_governance_head_only(client, reviewed, governance, staff):
    link = reverse("reports:review_pack", args=[reviewed.slug])
    client.force_login(governance)
    assert link in client.get(reviewed.get_absolute_url()).text
    client.force_login(staff)
    assert link not in client.get(reviewed.get_absolute_url()).text
