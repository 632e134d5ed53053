"""Conflict of interest (cases.conflicts): the subject, the witnesses and those who manage the subject up to
their Head of Service never handle a case. Routing skips them, reassignment refuses them with the reason,
and the governance head alone sees on the case page who is excluded and why."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.html import escape

from cases import services, witnesses
from cases.models import CaseEvent, Route, SubjectKind
from core.errors import DomainError
from people.roles import Role
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

EXCLUDED = "Conflicts of interest"


def about(person):
    return {"subject_kind": SubjectKind.COLLEAGUE, "subject_person": person, "subject_description": ""}


@pytest.fixture
def colleague(team, supervisor):
    """A member of staff's teammate, with the same supervisor."""
    return UserFactory(username="colleague", team=team, line_manager=supervisor)


# --- Routing


def test_a_concern_about_a_teammate_passes_their_managers_by(
    raise_case, staff, colleague, supervisor, head_of_service, governance
):
    case = raise_case(staff, **about(colleague))
    assert case.handler == governance
    assert case.routing_note == (
        f"Routed to the Head of Business and Governance, {governance}, because "
        f"{supervisor} is the supervisor of the colleague the concern is about; "
        f"{head_of_service} is the Head of Service of the colleague the concern is about."
    )
    assert case.events.get(kind=CaseEvent.Kind.ROUTED).text == case.routing_note
    assert not supervisor.has_perm("cases.handle_case", case)


def test_the_next_person_up_the_line_above_the_head_of_service_takes_it(
    raise_case, staff, colleague, head_of_service, governance
):
    director = UserFactory(username="director", roles=[Role.SUPERVISOR])
    head_of_service.line_manager = director
    head_of_service.save()
    case = raise_case(staff, **about(colleague))
    assert case.handler == director
    assert case.routing_note.startswith(f"Routed to {director}, the next level up, because ")


def test_when_the_line_runs_out_the_reporters_own_head_of_service_takes_it(
    raise_case, colleague, supervisor, head_of_service, governance
):
    # Supervised by the teammate's supervisor, in a service of their own with another Head of Service.
    own_head = UserFactory(username="ownhead", roles=[Role.HEAD_OF_SERVICE])
    reporter = UserFactory(
        username="reporter",
        team=TeamFactory(name="Day Services", head_of_service=own_head),
        line_manager=supervisor,
    )
    case = raise_case(reporter, **about(colleague))
    assert case.handler == own_head
    assert case.routing_note.startswith(f"Routed to their Head of Service, {own_head}, because {supervisor}")


def test_the_head_of_service_chosen_is_passed_by_when_they_manage_the_subject(
    raise_case, staff, colleague, head_of_service, governance
):
    case = raise_case(staff, route=Route.HEAD_OF_SERVICE, **about(colleague))
    assert case.handler == governance
    assert f"{head_of_service} is the Head of Service of the colleague" in case.routing_note


def test_nobody_above_the_head_of_service_is_excluded(raise_case, staff, head_of_service, governance):
    # The line stops at the Head of Service: the director above them may take a concern about them.
    director = UserFactory(username="director", roles=[Role.SUPERVISOR])
    head_of_service.line_manager = director
    head_of_service.save()
    case = raise_case(staff, route=Route.HEAD_OF_SERVICE, **about(head_of_service))
    assert case.handler == director


def test_a_concern_about_someone_in_another_team_goes_to_the_reporters_supervisor(
    raise_case, staff, other_staff, supervisor
):
    case = raise_case(staff, **about(other_staff))
    assert case.handler == supervisor
    assert case.routing_note == f"Routed to their supervisor, {supervisor}."


def test_the_reporter_never_reads_why_the_concern_went_where_it_went(
    client, raise_case, staff, colleague, governance
):
    case = raise_case(staff, **about(colleague))
    client.force_login(staff)
    page = client.get(case.get_absolute_url()).text
    assert "colleague the concern is about" not in page and "Routed to" not in page


# --- Reassignment


@pytest.fixture
def case(case_about_colleague):
    """staff's concern about staff2 (supervised by supervisor2, whose Head of Service is head_of_service),
    handled by staff's supervisor."""
    return case_about_colleague


def reassign(client, case, person, reason="Needs someone else."):
    return client.post(reverse("cases:reassign", args=[case.reference]), {"to": person.pk, "reason": reason})


@pytest.mark.parametrize(
    ("who", "why"),
    [
        ("other_staff", "is the subject of the concern"),
        ("other_supervisor", "is the supervisor of the colleague the concern is about"),
        ("head_of_service", "is the Head of Service of the colleague the concern is about"),
        ("witness", "is named as a witness"),
    ],
)
def test_reassigning_to_someone_excluded_is_refused_with_the_reason(
    client, case, supervisor, request, who, why
):
    if who == "witness":
        person = UserFactory(username="witness", roles=[Role.SUPERVISOR])
        witnesses.witness_add(case=case, by=supervisor, person=person)
    else:
        person = request.getfixturevalue(who)
        person.groups.add(Group.objects.get(name=Role.SUPERVISOR))  # one who could otherwise take it
    client.force_login(supervisor)
    response = reassign(client, case, person)
    assert response.status_code == 400
    assert escape(f"{person} {why}, so cannot handle this case (a conflict of interest).") in response.text
    case.refresh_from_db()
    assert case.handler == supervisor
    assert not case.events.filter(kind=CaseEvent.Kind.REASSIGNED).exists()


def test_the_service_refuses_them_too(case, governance, other_supervisor):
    with pytest.raises(DomainError, match="is the supervisor of the colleague the concern is about"):
        services.case_reassign(case=case, by=governance, to=other_supervisor, reason="Knows the team.")


def test_someone_without_a_conflict_takes_the_case(client, case, supervisor):
    other_head = UserFactory(username="headofservice2", roles=[Role.HEAD_OF_SERVICE])
    client.force_login(supervisor)
    assert reassign(client, case, other_head).status_code == 302
    case.refresh_from_db()
    assert case.handler == other_head


def test_the_search_does_not_offer_those_excluded(
    client, case, governance, other_supervisor, head_of_service
):
    client.force_login(governance)
    url = reverse("cases:reassign_people", args=[case.reference])
    for person in (other_supervisor, head_of_service):
        assert client.get(url, {"q": person.username}).json() == {"people": [], "more": False}
        page = client.get(case.get_absolute_url(), {"reassign_q": person.username})
        assert f'value="{person.pk}"' not in page.text


# --- Who sees who is excluded: every relation × the case page


PANEL_SEEN = {
    "staff": "reporter",
    "supervisor": "handler",
    "governance": "governance",
    "other_staff": None,  # the subject: never the case
    "other_supervisor": None,
    "head_of_service": None,
    "hr": None,
    "outsider": None,
    "infosec": None,
}


@pytest.mark.parametrize("who", PANEL_SEEN)
def test_only_the_governance_head_sees_who_is_excluded(client, case, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(case.get_absolute_url())
    relation = PANEL_SEEN[who]
    if relation is None:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert (EXCLUDED in response.text) is (relation == "governance")
    assert ('id="witnesses"' in response.text) is (relation in ("handler", "governance"))


def test_the_panel_says_who_and_why_and_whether_they_handle_it_now(
    client, case, governance, supervisor, other_staff, other_supervisor, head_of_service
):
    witness = UserFactory(username="witness", first_name="Wanda", last_name="Seen")
    witnesses.witness_add(case=case, by=supervisor, person=witness)
    client.force_login(governance)
    panel = client.get(case.get_absolute_url()).text.split(EXCLUDED)[1].split("</section>")[0]
    rows = [
        f"{other_staff} is the subject of the concern.",
        f"{witness} is named as a witness.",
        f"{other_supervisor} is the supervisor of the colleague the concern is about.",
        f"{head_of_service} is the Head of Service of the colleague the concern is about.",
    ]
    rows = [escape(row) for row in rows]
    assert [panel.index(row) for row in rows] == sorted(panel.index(row) for row in rows)
    assert "They handle the case now" not in panel

    # Staff2 moves to the supervisor's team: the supervisor now manages the subject.
    other_staff.line_manager = supervisor
    other_staff.save()
    panel = client.get(case.get_absolute_url()).text.split(EXCLUDED)[1]
    assert escape(f"{supervisor} is the supervisor of the colleague the concern is about.") in panel
    assert "They handle the case now: reassign it." in panel


def test_a_breach_deciders_page_has_neither_panel(client, case, supervisor, infosec):
    from cases.breach import breach_clock_start

    breach_clock_start(case=case, by=supervisor)
    client.force_login(infosec)
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    assert EXCLUDED not in response.text and 'id="witnesses"' not in response.text
