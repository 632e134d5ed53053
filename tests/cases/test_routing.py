"""Clause 9.1: a concern goes to the supervisor or a Head of Service, never to someone it is about."""

import pytest
from django.contrib.auth.models import Group

from cases.models import CaseEvent, Route, SubjectKind
from core.errors import DomainError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_concern_goes_to_the_reporters_supervisor(raise_case, staff, supervisor, governance):
    case = raise_case(staff)
    assert case.handler == supervisor
    assert case.routing_note == f"Routed to their supervisor, {supervisor}."
    assert case.events.filter(kind=CaseEvent.Kind.ROUTED, text=case.routing_note).exists()


def test_the_reporter_may_choose_a_head_of_service(raise_case, staff, head_of_service, governance):
    case = raise_case(staff, route=Route.HEAD_OF_SERVICE)
    assert case.handler == head_of_service
    assert "Head of Service" in case.routing_note


def test_a_concern_about_the_supervisor_passes_their_head_of_service_by(
    raise_case, staff, supervisor, head_of_service, governance
):
    # The Head of Service manages the supervisor: a conflict of interest (cases.conflicts).
    case = raise_case(
        staff, subject_kind=SubjectKind.COLLEAGUE, subject_person=supervisor, subject_description=""
    )
    assert case.handler == governance
    assert f"{supervisor} is the subject of the concern" in case.routing_note
    assert (
        f"{head_of_service} is the Head of Service of the colleague the concern is about" in case.routing_note
    )


def test_a_concern_about_the_head_of_service_chosen_goes_up_their_line(
    raise_case, staff, head_of_service, governance
):
    head_of_service.line_manager = governance
    head_of_service.save()
    case = raise_case(
        staff,
        route=Route.HEAD_OF_SERVICE,
        subject_kind=SubjectKind.COLLEAGUE,
        subject_person=head_of_service,
        subject_description="",
    )
    assert case.handler == governance
    assert "subject of the concern" in case.routing_note


def test_a_supervisor_who_has_left_is_skipped(raise_case, staff, supervisor, head_of_service, governance):
    supervisor.is_active = False
    supervisor.save()
    case = raise_case(staff)
    assert case.handler == head_of_service
    assert f"{supervisor} has left" in case.routing_note


def test_with_no_supervisor_the_concern_goes_to_governance(raise_case, governance):
    loner = UserFactory(username="loner")
    case = raise_case(loner)
    assert case.handler == governance
    assert "no supervisor recorded" in case.routing_note


def test_with_nobody_to_route_to_the_concern_is_refused(raise_case, governance):
    governance.is_active = False
    governance.save()
    loner = UserFactory(username="loner")
    with pytest.raises(DomainError, match="nobody to route this concern to"):
        raise_case(loner)


def test_a_supervisor_raising_a_concern_does_not_handle_it(
    raise_case, supervisor, head_of_service, governance
):
    case = raise_case(supervisor)
    assert case.handler == head_of_service


def test_nobody_raises_a_concern_about_themselves(raise_case, staff, governance):
    with pytest.raises(DomainError, match="about yourself"):
        raise_case(staff, subject_kind=SubjectKind.COLLEAGUE, subject_person=staff, subject_description="")


def test_the_handler_is_granted_the_case_and_the_reporter_may_follow_it(
    raise_case, staff, supervisor, governance
):
    case = raise_case(staff)
    assert supervisor.has_perm("cases.handle_case", case)
    assert staff.has_perm("cases.follow_case", case)
    assert not staff.has_perm("cases.handle_case", case)


def test_references_count_up_per_year(raise_case, staff, governance):
    first, second = raise_case(staff), raise_case(staff)
    year = first.created_at.year
    assert first.reference == f"SMP-{year}-0001"
    assert second.reference == f"SMP-{year}-0002"


def test_staff_without_the_role_cannot_raise(raise_case, governance):
    person = UserFactory(username="norole")
    person.groups.set(Group.objects.none())
    with pytest.raises(DomainError, match="cannot raise concerns"):
        raise_case(person)
