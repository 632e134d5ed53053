import pytest
from django.db import IntegrityError, transaction

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_registration_number_needs_a_professional_body():
    person = UserFactory()
    person.registration_number = "SW123"
    with pytest.raises(IntegrityError), transaction.atomic():
        person.save()
    person.professional_body = "swe"
    person.save()


def test_nobody_is_their_own_supervisor():
    person = UserFactory()
    person.line_manager = person
    with pytest.raises(IntegrityError), transaction.atomic():
        person.save()


def test_team_members_are_line_reports_and_the_teams_a_head_of_service_heads(
    staff, other_staff, supervisor, other_supervisor, head_of_service
):
    assert set(supervisor.team_members()) == {staff}
    assert set(head_of_service.team_members()) == {staff, other_staff, supervisor, other_supervisor}
    assert set(staff.team_members()) == set()
