"""The Django admin: the warning periods are changed there. Records are not in it at all (see
tests/people/test_admin_privileges.py)."""

import pytest
from django.urls import reverse

from discipline.models import Outcome, Step, WarningPeriods
from people.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def hr_with_admin(db):
    """An HR officer given access to the admin, to keep the warning periods."""
    return UserFactory(username="hradmin", roles=[Role.HR], is_staff=True)


@pytest.mark.parametrize("who", ["superuser", "hr_with_admin"])
def test_the_warning_periods_are_changed_in_the_admin_and_used_next(client, request, make_record, who):
    periods = WarningPeriods.current()
    client.force_login(request.getfixturevalue(who))
    url = reverse("admin:discipline_warningperiods_change", args=[periods.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"first_written_warning_months": 6, "final_written_warning_months": 18})
    assert response.status_code == 302
    record = make_record(Step.DECIDED, outcome=Outcome.FINAL_WRITTEN_WARNING)
    assert (record.warning_expires_on.year * 12 + record.warning_expires_on.month) - (
        record.decided_on.year * 12 + record.decided_on.month
    ) == 18


def test_there_is_one_set_of_warning_periods(client, superuser):
    WarningPeriods.current()
    client.force_login(superuser)
    assert client.get(reverse("admin:discipline_warningperiods_add")).status_code == 403
    periods = WarningPeriods.objects.get()
    assert (
        client.post(
            reverse("admin:discipline_warningperiods_delete", args=[periods.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert WarningPeriods.objects.count() == 1


def test_the_administrator_role_does_not_see_disciplinary_records(client, administrator, make_record):
    make_record(Step.OPENED)
    client.force_login(administrator)
    assert client.get("/admin/discipline/disciplinaryrecord/").status_code == 404
    assert client.get(reverse("admin:discipline_warningperiods_changelist")).status_code == 403
