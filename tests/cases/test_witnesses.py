"""Witnesses on a case (cases.witnesses): named and removed by its handler or the governance head from the
case page, found by name as the reassign field finds people; each change a timeline event and an audit
entry. Being named gives a witness nothing of the case."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from audit.models import AuditEntry
from cases import witnesses
from cases.models import CaseEvent, CaseWitness
from core.errors import DomainError
from dataprotection.anonymise import cases_anonymise
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(case_about_colleague):
    return case_about_colleague


@pytest.fixture
def witness(db):
    return UserFactory(username="wanda", first_name="Wanda", last_name="Seenit")


def name(client, case, person):
    return client.post(reverse("cases:witness_add", args=[case.reference]), {"person": person.pk})


def remove(client, case, row):
    return client.post(reverse("cases:witness_remove", args=[case.reference, row.pk]))


@pytest.mark.parametrize("who", ["supervisor", "governance"])
def test_the_handler_or_governance_names_a_witness_as_an_event_and_audited(
    client, case, witness, request, who
):
    person = request.getfixturevalue(who)
    client.force_login(person)
    response = name(client, case, witness)
    assert response.status_code == 302 and response.url.endswith("#witnesses")

    row = CaseWitness.objects.get(case=case)
    assert (row.person, row.added_by) == (witness, person)
    event = case.events.get(kind=CaseEvent.Kind.WITNESS_NAMED)
    assert (event.actor, event.text, event.visible_to_reporter) == (person, "Wanda Seenit.", False)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CHANGE, what__startswith="named")
    assert (entry.actor, entry.case, entry.what) == (
        person,
        case,
        f"named Wanda Seenit as a witness on {case}",
    )

    page = client.get(case.get_absolute_url()).text
    assert "Wanda Seenit" in page.split('id="witnesses"')[1].split("</section>")[0]


def test_removing_a_witness_is_an_event_and_audited(client, case, witness, supervisor):
    row = witnesses.witness_add(case=case, by=supervisor, person=witness)
    client.force_login(supervisor)
    assert remove(client, case, row).status_code == 302
    assert not CaseWitness.objects.filter(case=case).exists()
    event = case.events.get(kind=CaseEvent.Kind.WITNESS_REMOVED)
    assert (event.actor, event.text) == (supervisor, "Wanda Seenit.")
    assert AuditEntry.objects.filter(
        actor=supervisor, what=f"removed Wanda Seenit as a witness on {case}"
    ).exists()


def test_a_witness_gets_nothing_of_the_case(client, case, witness, supervisor):
    witnesses.witness_add(case=case, by=supervisor, person=witness)
    client.force_login(witness)
    assert client.get(case.get_absolute_url()).status_code == 404
    assert name(client, case, UserFactory(username="another")).status_code == 404


def test_the_handler_cannot_be_named_until_the_case_is_reassigned(client, case, supervisor, governance):
    client.force_login(governance)
    response = name(client, case, supervisor)
    assert response.status_code == 400
    assert escape(f"{supervisor} handles this case, and a witness may not: reassign it") in response.text
    assert not CaseWitness.objects.exists()
    assert not case.events.filter(kind=CaseEvent.Kind.WITNESS_NAMED).exists()


def test_the_subject_is_not_a_witness(case, supervisor, other_staff):
    with pytest.raises(DomainError, match="is the subject of the concern, not a witness"):
        witnesses.witness_add(case=case, by=supervisor, person=other_staff)


def test_nobody_is_named_twice(client, case, witness, supervisor):
    witnesses.witness_add(case=case, by=supervisor, person=witness)
    client.force_login(supervisor)
    assert name(client, case, witness).status_code == 400
    assert CaseWitness.objects.filter(case=case).count() == 1


def test_a_witness_of_another_case_is_not_removed_here(client, raise_case, case, witness, staff, supervisor):
    other = witnesses.witness_add(case=raise_case(staff), by=supervisor, person=witness)
    client.force_login(supervisor)
    remove(client, case, other)
    assert CaseWitness.objects.filter(pk=other.pk).exists()
    assert not case.events.filter(kind=CaseEvent.Kind.WITNESS_REMOVED).exists()


@pytest.mark.parametrize("who", ["staff", "other_staff", "other_supervisor", "hr", "outsider", "witness"])
def test_nobody_else_names_or_removes_witnesses_or_searches(client, case, witness, supervisor, request, who):
    row = witnesses.witness_add(case=case, by=supervisor, person=witness)
    client.force_login(request.getfixturevalue(who))
    search = reverse("cases:witness_people", args=[case.reference])
    assert client.get(search, {"q": "a"}).status_code == 404
    assert name(client, case, UserFactory(username="another")).status_code == 404
    assert remove(client, case, row).status_code == 404
    assert CaseWitness.objects.filter(case=case).count() == 1


def test_the_search_finds_staff_but_not_the_subject_nor_those_named_and_is_audited(
    client, case, witness, supervisor, other_staff
):
    client.force_login(supervisor)
    url = reverse("cases:witness_people", args=[case.reference])
    assert client.get(url, {"q": "seenit"}).json() == {
        "people": [{"id": witness.pk, "name": "Wanda Seenit"}],
        "more": False,
    }
    assert client.get(url, {"q": other_staff.username}).json()["people"] == []
    witnesses.witness_add(case=case, by=supervisor, person=witness)
    assert client.get(url, {"q": "seenit"}).json()["people"] == []
    searched = AuditEntry.objects.filter(case=case, what__startswith="searched for a witness")
    assert searched.count() == 3


def test_without_javascript_the_find_button_lists_the_matches(client, case, witness, supervisor):
    client.force_login(supervisor)
    page = client.get(case.get_absolute_url()).text
    assert "Find the person first." in page and 'name="person"' not in page
    page = client.get(case.get_absolute_url(), {"witness_q": "Seenit"}).text
    assert f'type="radio" name="person" value="{witness.pk}"' in page
    assert 'data-people-search="/cases/' in page and 'src="/static/js/people-search.js"' in page


def test_an_anonymised_case_names_no_witness(case, witness, supervisor):
    witnesses.witness_add(case=case, by=supervisor, person=witness)
    cases_anonymise([case.pk])
    assert not CaseWitness.objects.filter(case=case).exists()
