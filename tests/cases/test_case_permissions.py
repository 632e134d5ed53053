"""Who may open and change a case: every role and relation × every case page.

A person without the right gets a 404, never a 403 that would confirm the case exists.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from cases.models import Case, CaseEvent
from people.roles import Role
from tests.confirm import confirmed
from tests.factories import UserFactory, base_people, concern_about_colleague, make_policy

pytestmark = pytest.mark.django_db

RELATIONS = [
    "reporter",
    "subject",
    "assigned_supervisor",
    "other_supervisor",
    "head_of_service",
    "governance",
    "hr",
    "comms",
    "outsider",
    "administrator",
]


def pages(case):
    """(name, method, url, data, who may use it) for every page of one case."""
    ref = case.reference
    handlers = {"assigned_supervisor", "governance"}
    return [
        ("view", "get", reverse("cases:detail", args=[ref]), None, handlers | {"reporter"}),
        (
            "move",
            "post",
            reverse("cases:move", args=[ref]),
            {"move": "start_triage", "start_triage-expected_stage": "submitted"},
            handlers,
        ),
        ("note", "post", reverse("cases:add_note", args=[ref]), {"text": "Checked the post."}, handlers),
        ("message", "post", reverse("cases:message_reporter", args=[ref]), {"text": "Thank you."}, handlers),
        (
            "reassign",
            "post",
            reverse("cases:reassign", args=[ref]),
            # Not the Head of Service: they manage the subject (cases.conflicts).
            {"to": "@governance", "reason": "Conflict of interest."},
            handlers,
        ),
        ("witness", "post", reverse("cases:witness_add", args=[ref]), {"person": "@outsider"}, handlers),
        # The reporter's own steps (cases.reporter): only theirs, never the handlers' nor the subject's.
        (
            "reporter_message",
            "post",
            reverse("cases:reporter_message", args=[ref]),
            {"text": "Any news?"},
            {"reporter"},
        ),
        (
            "reporter_evidence",
            "post",
            reverse("cases:reporter_evidence", args=[ref]),
            {"files": [SimpleUploadedFile("more.txt", b"The second post.", "text/plain")]},
            {"reporter"},
        ),
        (
            "withdraw",
            "post",
            reverse("cases:withdraw", args=[ref]),
            confirmed({"reason": "Sorted."}),
            {"reporter"},
        ),
    ]


PAGES = [
    "view",
    "move",
    "note",
    "message",
    "reassign",
    "witness",
    "reporter_message",
    "reporter_evidence",
    "withdraw",
]


# The relations of RELATIONS, by the name of each person in base_people().
PEOPLE = {
    "reporter": "staff",
    "subject": "other_staff",
    "assigned_supervisor": "supervisor",
    "other_supervisor": "other_supervisor",
    "head_of_service": "head_of_service",
    "governance": "governance",
    "hr": "hr",
    "comms": "comms",
    "outsider": "outsider",
    # The Administrator role keeps staff records and reads no case: not here, nor in the admin
    # (tests/people/test_admin_content.py).
    "administrator": "administrator",
}


def matrix_world_made():
    everyone = base_people()
    case = concern_about_colleague(
        make_policy(everyone["governance"]), everyone["staff"], everyone["other_staff"]
    )
    return {relation: everyone[name] for relation, name in PEOPLE.items()}, case.pk


@pytest.fixture(scope="class")
def matrix_world(build_once):
    yield from build_once(matrix_world_made)


class TestEveryRelationAndPage:
    """Every relation × every page of staff's concern about staff2, built once for the class (what a test
    changes is undone before the next)."""

    @pytest.mark.parametrize("relation", RELATIONS)
    @pytest.mark.parametrize("page", PAGES)
    def test_case_pages_by_relation(self, client, matrix_world, relation, page):
        people, case_pk = matrix_world
        case = Case.objects.get(pk=case_pk)
        name, method, url, data, allowed = next(p for p in pages(case) if p[0] == page)
        # "@name": that person of the relations, by their id.
        data = data and {
            key: people[value[1:]].pk if isinstance(value, str) and value.startswith("@") else value
            for key, value in data.items()
        }
        person = people[relation]
        client.force_login(person)
        events = case.events.count()
        response = getattr(client, method)(url, data)
        if relation in allowed:
            assert response.status_code in (200, 302), (relation, page, response.status_code)
            if method == "post":
                assert case.events.count() == events + 1
        else:
            assert response.status_code == 404, (relation, page, response.status_code)
            assert case.events.count() == events
            assert case.reference not in response.text


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, case_about_colleague, page):
    name, method, url, data, allowed = next(p for p in pages(case_about_colleague) if p[0] == page)
    response = getattr(client, method)(url, data)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_unknown_case_is_a_404_like_a_forbidden_one(client, governance, case_about_colleague):
    client.force_login(governance)
    assert client.get(reverse("cases:detail", args=["SMP-2026-9999"])).status_code == 404


def test_a_subject_who_is_also_governance_never_sees_the_concern(client, raise_case, staff, governance):
    case = raise_case(staff, subject_kind="colleague", subject_person=governance, subject_description="")
    client.force_login(governance)
    assert client.get(case.get_absolute_url()).status_code == 404


def test_a_handler_who_passes_the_case_on_loses_it(client, case_about_colleague, supervisor):
    # Another service's Head of Service: the subject's own manages them (cases.conflicts).
    head_of_service = UserFactory(username="headofservice2", roles=[Role.HEAD_OF_SERVICE])
    client.force_login(supervisor)
    response = client.post(
        reverse("cases:reassign", args=[case_about_colleague.reference]),
        {"to": head_of_service.pk, "reason": "I manage the subject's partner."},
    )
    assert response.status_code == 302
    assert client.get(case_about_colleague.get_absolute_url()).status_code == 404
    client.force_login(head_of_service)
    assert client.get(case_about_colleague.get_absolute_url()).status_code == 200


def test_every_view_of_a_case_is_audited_with_who_and_where(client, governance, case_about_colleague):
    client.force_login(governance)
    client.get(case_about_colleague.get_absolute_url(), REMOTE_ADDR="10.1.2.3")
    entry = AuditEntry.objects.filter(action="view").get()
    assert (entry.actor, entry.case, entry.ip_address) == (governance, case_about_colleague, "10.1.2.3")


def test_refused_views_are_not_written_as_views(client, outsider, case_about_colleague):
    client.force_login(outsider)
    client.get(case_about_colleague.get_absolute_url())
    assert not AuditEntry.objects.filter(action="view").exists()


def test_notes_and_messages_are_timeline_events(client, supervisor, case_about_colleague):
    client.force_login(supervisor)
    client.post(reverse("cases:add_note", args=[case_about_colleague.reference]), {"text": "Spoke to HR."})
    client.post(
        reverse("cases:message_reporter", args=[case_about_colleague.reference]), {"text": "Looking at it."}
    )
    kinds = list(case_about_colleague.events.values_list("kind", "visible_to_reporter"))
    assert (CaseEvent.Kind.NOTE, False) in kinds
    assert (CaseEvent.Kind.MESSAGE, True) in kinds
