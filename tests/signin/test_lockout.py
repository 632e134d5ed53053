"""Lockout: after LOGIN_FAILURE_LIMIT failures for a username, sign-in is refused for the cool-off, with
the same answer for a known and an unknown username; lockouts are audited and administrators lift them."""

import datetime
import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.urls import reverse

from audit.models import AuditEntry
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_COOLOFF_MINUTES = 15
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)


WRONG = "wrong-password"  # noqa: S105


def attempt(client, username, password=WRONG):
    return client.post(reverse("login"), {"username": username, "password": password})


def fail_until_locked(client, username):
    for _ in range(3):
        response = attempt(client, username)
    return response


def test_sign_in_is_refused_after_the_failure_limit_even_with_the_right_password(client, staff):
    with time_machine.travel(START):
        assert attempt(client, "staff").status_code == 200
        assert attempt(client, "staff").status_code == 200
        assert attempt(client, "staff").status_code == 429  # the third failure locks

        response = attempt(client, "staff", PASSWORD)

    assert response.status_code == 429
    assert "Too many failed attempts to log in with this username. Try again in 15 minutes" in response.text
    assert not response.wsgi_request.user.is_authenticated


def test_the_lock_is_lifted_after_the_cool_off(client, staff):
    with time_machine.travel(START, tick=False) as traveller:
        fail_until_locked(client, "staff")
        traveller.shift(datetime.timedelta(minutes=14))
        assert attempt(client, "staff", PASSWORD).status_code == 429
        traveller.shift(datetime.timedelta(minutes=2))

        response = attempt(client, "staff", PASSWORD)

    assert response.status_code == 302
    assert response.wsgi_request.user == staff


def test_a_known_and_an_unknown_username_get_the_same_answer(client, staff):
    known = fail_until_locked(client, "staff")
    unknown = fail_until_locked(client, "nobody-of-that-name")

    def page(response):
        return re.sub(r'value="[^"]*"', 'value=""', response.text)

    assert known.status_code == unknown.status_code == 429
    assert page(known) == page(unknown)


def test_other_usernames_are_not_locked(client, staff, outsider):
    fail_until_locked(client, "staff")

    response = attempt(client, "outsider", PASSWORD)

    assert response.status_code == 302


def test_a_lockout_is_audited_with_the_username(client, staff):
    fail_until_locked(client, "staff")

    entry = AuditEntry.objects.get(details__event="sign-in lockout")
    assert entry.actor is None
    assert entry.details["username"] == "staff"


def test_an_administrator_sees_the_lockout_and_lifts_it_with_an_audit_entry(client, staff, administrator):
    fail_until_locked(client, "staff")
    attempt_row = AccessAttempt.objects.get(username="staff")
    client.force_login(administrator)

    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert "staff" in listing.text
    response = client.post(reverse("admin:axes_accessattempt_delete", args=[attempt_row.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    lifted = AuditEntry.objects.get(details__event="sign-in lockout lifted")
    assert lifted.actor == administrator
    assert lifted.details["username"] == "staff"
    client.logout()
    assert attempt(client, "staff", PASSWORD).status_code == 302


def test_someone_without_the_administrator_role_cannot_see_lockouts(client, governance):
    governance.is_staff = True
    governance.save()
    client.force_login(governance)

    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403
