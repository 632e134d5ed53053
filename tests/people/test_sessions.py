"""Sessions: a new key at sign-in, an idle timeout, an absolute limit; signing out and changing the
password end the person's other sessions."""

import datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from people.models import LoginSession
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)


def sign_in(client, username="staff"):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def is_signed_in(client):
    response = client.get(reverse("home"))
    return response.status_code == 200 and response.wsgi_request.user.is_authenticated


def test_signing_in_gives_a_new_session_key(client, staff):
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key

    sign_in(client)

    assert client.session.session_key != before
    assert is_signed_in(client)


def test_a_session_idle_for_longer_than_the_limit_ends(client, staff, settings):
    settings.SESSION_IDLE_SECONDS = 1800
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client)
        traveller.shift(datetime.timedelta(minutes=29))
        assert is_signed_in(client)
        traveller.shift(datetime.timedelta(minutes=31))

        response = client.get(reverse("home"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "had not used focuspolicy for a while" in response.text
    assert not response.wsgi_request.user.is_authenticated


def test_a_session_in_use_ends_at_the_absolute_limit(client, staff, settings):
    settings.SESSION_IDLE_SECONDS = 1800
    settings.SESSION_MAX_SECONDS = 36000
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client)
        for _ in range(39):  # a request every quarter of an hour for 9 h 45 min
            traveller.shift(datetime.timedelta(minutes=15))
            assert is_signed_in(client)
        traveller.shift(datetime.timedelta(minutes=16))

        response = client.get(reverse("home"), follow=True)

    assert "reached its time limit" in response.text
    assert not response.wsgi_request.user.is_authenticated


def test_the_api_answers_an_ended_session_as_anonymous(client, staff):
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client)
        traveller.shift(datetime.timedelta(hours=1))

        response = client.get("/api/v1/policies/")

    assert response.status_code in (401, 403)


def test_signing_out_ends_the_persons_other_sessions(staff, outsider):
    laptop, phone, someone_else = Client(), Client(), Client()
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(laptop)
        sign_in(phone)
        sign_in(someone_else, "outsider")
        traveller.shift(datetime.timedelta(minutes=5))

        laptop.post(reverse("logout"))

        response = phone.get(reverse("home"), follow=True)
        assert "You logged out elsewhere" in response.text
        assert not is_signed_in(phone)
        assert is_signed_in(someone_else)
        # Signing in again afterwards works as usual.
        traveller.shift(datetime.timedelta(seconds=1))
        sign_in(phone)
        assert is_signed_in(phone)


def test_changing_the_password_ends_the_other_sessions_but_not_this_one(staff):
    laptop, phone = Client(), Client()
    sign_in(laptop)
    sign_in(phone)

    laptop.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "focus-demo-2026", "new_password2": "focus-demo-2026"},
    )

    assert is_signed_in(laptop)
    assert not is_signed_in(phone)


def test_a_session_that_times_out_leaves_the_persons_other_sessions_alone(staff):
    laptop, phone = Client(), Client()
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(laptop)
        traveller.shift(datetime.timedelta(minutes=25))
        sign_in(phone)
        traveller.shift(datetime.timedelta(minutes=10))

        assert not is_signed_in(laptop)
        assert is_signed_in(phone)


def test_signing_in_forgets_only_the_persons_sessions_that_have_ended(staff, outsider):
    laptop, phone, tablet, someone_else = Client(), Client(), Client(), Client()
    sign_in(laptop)
    sign_in(phone)
    sign_in(someone_else, "outsider")
    ended = phone.session.session_key
    Session.objects.filter(session_key=ended).delete()  # e.g. expired and cleared

    sign_in(tablet)

    mine = set(LoginSession.objects.filter(user=staff).values_list("session_key", flat=True))
    assert mine == {laptop.session.session_key, tablet.session.session_key}
    assert LoginSession.objects.filter(user=outsider, session_key=someone_else.session.session_key).exists()
    assert is_signed_in(laptop) and is_signed_in(someone_else)
