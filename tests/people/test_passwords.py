"""Passwords: at least 12 characters, not common or breached, stored with Argon2 (old hashes upgraded)."""

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def change_password(client, new):
    return client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )


def test_a_password_shorter_than_12_characters_is_refused(client, staff):
    client.force_login(staff)

    response = change_password(client, "Xq7-short!")

    assert response.status_code == 200
    assert "This password is too short. It must contain at least 12 characters." in response.text
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


def test_a_common_password_is_refused(client, staff):
    client.force_login(staff)

    response = change_password(client, "qwertyytrewq")

    assert "This password is too common." in response.text
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


def test_a_long_uncommon_password_is_accepted(client, staff):
    client.force_login(staff)

    response = change_password(client, "focus-demo-2026")

    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("focus-demo-2026")


def test_an_old_hash_is_upgraded_to_argon2_at_sign_in(client, staff, settings):
    settings.PASSWORD_HASHERS = [
        "people.hashers.FocusArgon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    staff.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    staff.save()

    client.post(reverse("login"), {"username": "staff", "password": PASSWORD})

    staff.refresh_from_db()
    assert staff.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
