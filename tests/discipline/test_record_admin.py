"""The Django admin: the warning periods are changed there; records are only read, through the same door."""

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
    assert client.get(reverse("admin:discipline_disciplinaryrecord_changelist")).status_code == 403
    assert client.get(reverse("admin:discipline_warningperiods_changelist")).status_code == 403


def test_records_are_read_only_in_the_admin(client, superuser, make_record):
    record = make_record(Step.HEARD)
    client.force_login(superuser)
    listing = client.get(reverse("admin:discipline_disciplinaryrecord_changelist"))
    assert listing.status_code == 200 and record.reference in listing.text
    change = reverse("admin:discipline_disciplinaryrecord_change", args=[record.pk])
    page = client.get(change)
    assert page.status_code == 200 and 'name="allegation"' not in page.text
    client.post(change, {"allegation": "Rewritten."})
    record.refresh_from_db()
    assert record.allegation != "Rewritten."
    assert client.get(reverse("admin:discipline_disciplinaryrecord_add")).status_code == 403


def test_nobody_finds_a_record_about_themselves_in_the_admin(client, hr_with_admin, hr, make_record):
    mine = make_record(Step.OPENED, employee=hr_with_admin)
    other = make_record(Step.OPENED)
    client.force_login(hr_with_admin)
    listing = client.get(reverse("admin:discipline_disciplinaryrecord_changelist")).text
    assert other.reference in listing and mine.reference not in listing
    response = client.get(reverse("admin:discipline_disciplinaryrecord_change", args=[mine.pk]))
    assert response.status_code == 302  # the admin's "does not exist" redirect, like any missing object
