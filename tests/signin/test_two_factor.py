"""Two-factor sign-in: who is asked, enrolment with backup codes, the code at sign-in, the API, recovery."""

import datetime
import re

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEntry
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 12, 7, 9, 0, 7, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def require_2fa(settings):
    settings.REQUIRE_2FA = True


def sign_in(client, username):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD}, follow=True)


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def enrol(client, user):
    """Set up two-factor sign-in through the pages; returns the backup codes shown."""
    client.get(reverse("signin:enrol"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("signin:enrol"), {"code": code_for(device)})
    assert response.status_code == 200
    return re.findall(r"<li><code>(\w+)</code></li>", response.text)


def test_a_role_above_staff_signed_in_with_a_password_reaches_only_enrolment(client, governance):
    response = sign_in(client, "governance")

    assert response.redirect_chain[-1][0].startswith(reverse("signin:enrol"))
    assert "Set up two-factor sign-in" in response.text
    assert client.get(reverse("cases:governance_queue")).url.startswith(reverse("signin:enrol"))
    assert client.get(reverse("admin:index")).url.startswith(reverse("signin:enrol"))


def test_the_api_refuses_a_session_that_has_not_given_its_second_factor(client, governance):
    sign_in(client, "governance")

    response = client.get("/api/v1/policies/")

    assert response.status_code == 403
    assert "has not finished two-factor sign-in" in response.json()["detail"]


def test_enrolment_shows_a_qr_code_and_ten_backup_codes_then_opens_everything(client, governance):
    sign_in(client, "governance")
    page = client.get(reverse("signin:enrol"))
    assert reverse("signin:qr_code") in page.text
    qr = client.get(reverse("signin:qr_code"))
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<svg")

    codes = enrol(client, governance)

    assert len(set(codes)) == 10
    assert client.get(reverse("cases:governance_queue")).status_code == 200
    assert client.get("/api/v1/policies/").status_code == 200
    assert AuditEntry.objects.filter(details__event="two-factor enrolled", actor=governance).exists()


def test_a_wrong_code_does_not_enrol(client, governance):
    sign_in(client, "governance")
    client.get(reverse("signin:enrol"))

    response = client.post(reverse("signin:enrol"), {"code": "000000"})

    assert "That code is not right" in response.text
    assert not TOTPDevice.objects.filter(user=governance, confirmed=True).exists()
    assert client.get(reverse("home")).status_code == 302


def test_an_enrolled_person_gives_the_code_at_sign_in(client, governance):
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, "governance")
        enrol(client, governance)
        client.post(reverse("logout"))
        traveller.shift(datetime.timedelta(minutes=1))

        response = sign_in(client, "governance")
        assert response.redirect_chain[-1][0].startswith(reverse("signin:verify"))
        wrong = client.post(reverse("signin:verify"), {"code": "123456"})
        assert "That code is not right" in wrong.text
        traveller.shift(datetime.timedelta(seconds=5))  # django-otp slows down guessing after a failure
        device = TOTPDevice.objects.get(user=governance)
        response = client.post(reverse("signin:verify"), {"code": code_for(device), "next": "/reports/"})

        assert response.status_code == 302
        assert response.url == "/reports/"
        # Still at the travelled time: back in the present the session would have been idle since START.
        assert client.get(reverse("cases:governance_queue")).status_code == 200


def test_a_backup_code_works_once(client, governance):
    sign_in(client, "governance")
    backup = enrol(client, governance)[0]
    client.post(reverse("logout"))

    sign_in(client, "governance")
    assert client.post(reverse("signin:verify"), {"code": backup}).status_code == 302
    client.post(reverse("logout"))
    sign_in(client, "governance")
    response = client.post(reverse("signin:verify"), {"code": backup})

    assert "That code is not right" in response.text
    assert client.get(reverse("home")).status_code == 302


def test_staff_are_not_asked_unless_they_turn_it_on(client, staff):
    response = sign_in(client, "staff")
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Two-factor sign-in is off. You may turn it on" in client.get(reverse("signin:two_factor")).text

    enrol(client, staff)
    client.post(reverse("logout"))
    response = sign_in(client, "staff")

    assert response.redirect_chain[-1][0].startswith(reverse("signin:verify"))


def test_with_require_2fa_off_a_password_is_enough(client, governance, settings):
    settings.REQUIRE_2FA = False

    response = sign_in(client, "governance")

    assert response.redirect_chain[-1][0] == reverse("home")


def test_an_administrator_resets_a_persons_two_factor_in_the_admin_with_an_audit_entry(
    client, governance, administrator
):
    TOTPDevice.objects.create(user=governance, name="Authenticator app", confirmed=True)
    StaticDevice.objects.create(user=governance, name="Backup codes", confirmed=True)
    client.force_login(administrator)
    # The administrator has given their own second factor in this session.
    administrator_device = TOTPDevice.objects.create(user=administrator, name="app", confirmed=True)
    session = client.session
    session["otp_device_id"] = administrator_device.persistent_id
    session.save()

    response = client.post(
        reverse("admin:people_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [governance.pk]},
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=governance).exists()
    assert not StaticDevice.objects.filter(user=governance).exists()
    entry = AuditEntry.objects.get(details__event="two-factor reset")
    assert entry.actor == administrator
    assert entry.details["username"] == "governance"


def test_the_reset_2fa_command_resets_and_is_audited(governance):
    TOTPDevice.objects.create(user=governance, name="Authenticator app", confirmed=True)

    call_command("reset_2fa", "governance", "--reason", "lost phone")

    assert not TOTPDevice.objects.filter(user=governance).exists()
    entry = AuditEntry.objects.get(details__event="two-factor reset")
    assert entry.actor is None
    assert entry.details["reason"] == "lost phone"


def test_a_password_alone_cannot_set_up_a_new_device_over_an_enrolled_one(client, governance):
    TOTPDevice.objects.create(user=governance, name="Authenticator app", confirmed=True)
    sign_in(client, "governance")

    assert client.get(reverse("signin:enrol")).url == reverse("signin:verify")
    assert client.get(reverse("signin:qr_code")).status_code == 404
    assert TOTPDevice.objects.filter(user=governance).count() == 1
