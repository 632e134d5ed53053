"""API tokens: each person makes, lists and revokes their own on the API tokens page; the key is shown once
and only its hash is kept; a token expires, and ends with a password change."""

import datetime
import hashlib
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from api.models import ApiToken
from audit.models import AuditEntry
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LIST = reverse("api:disciplinary-record-list")
TOKENS = reverse("api_tokens:list")


def with_token(client, key, url=LIST):
    return client.get(url, HTTP_AUTHORIZATION=f"Token {key}")


def make_token(client, person, **fields):
    """Sign in as `person`, make a token on the page, sign out; the key as the page showed it."""
    client.force_login(person)
    response = client.post(TOKENS, {"name": "Payroll sync", **fields})
    assert response.status_code == 200
    client.logout()
    return re.search(r'id="api-token-key"[^>]*value="([^"]+)"', response.text).group(1)


def test_the_page_needs_a_signed_in_person(client):
    response = client.get(TOKENS)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_made_token_is_shown_once_and_kept_only_as_a_hash(client, hr):
    client.force_login(hr)
    response = client.post(TOKENS, {"name": "Payroll sync"})
    key = re.search(r'id="api-token-key"[^>]*value="([^"]+)"', response.text).group(1)
    assert len(key) >= 40
    assert "no-store" in response.headers["Cache-Control"]
    token = ApiToken.objects.get(user=hr)
    assert token.name == "Payroll sync"
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.key_prefix == key[:8]
    assert key not in str(list(ApiToken.objects.values()))
    # Listed by name and prefix, never again in full.
    page = client.get(TOKENS).text
    assert "Payroll sync" in page
    assert key[:8] in page
    assert key not in page
    assert AuditEntry.objects.filter(actor=hr, what__startswith="created API token Payroll sync").exists()


def test_a_token_reads_as_its_person(client, hr, records):
    response = with_token(client, make_token(client, hr))
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1
    assert ApiToken.objects.get(user=hr).last_used_at is not None


def test_a_token_carries_only_its_persons_rights(client, governance, records):
    assert with_token(client, make_token(client, governance)).status_code == 403


def test_an_unknown_token_is_refused(client, hr, records):
    key = make_token(client, hr)
    for wrong in ("0" * 43, key[:8] + "x" * (len(key) - 8)):
        response = with_token(client, wrong)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Token"


def test_old_plain_tokens_no_longer_work(client, hr, records):
    assert with_token(client, Token.objects.create(user=hr).key).status_code == 401


def test_a_token_lasts_90_days_by_default_and_is_refused_after(client, hr, records):
    made = timezone.now()
    key = make_token(client, hr)
    expires_at = ApiToken.objects.get(user=hr).expires_at
    assert abs(expires_at - (made + datetime.timedelta(days=90))) < datetime.timedelta(minutes=1)
    with time_machine.travel(expires_at - datetime.timedelta(minutes=1), tick=False):
        assert with_token(client, key).status_code == 200
    with time_machine.travel(expires_at, tick=False):
        assert with_token(client, key).status_code == 401


def test_the_default_length_is_a_setting(client, hr, settings):
    settings.API_TOKEN_DAYS = 30
    make_token(client, hr)
    expires_at = ApiToken.objects.get(user=hr).expires_at
    assert abs(expires_at - (timezone.now() + datetime.timedelta(days=30))) < datetime.timedelta(minutes=1)


def test_the_person_may_choose_a_length_up_to_a_year(client, hr):
    make_token(client, hr, days=7)
    expires_at = ApiToken.objects.get(user=hr).expires_at
    assert abs(expires_at - (timezone.now() + datetime.timedelta(days=7))) < datetime.timedelta(minutes=1)
    client.force_login(hr)
    response = client.post(TOKENS, {"name": "Too long", "days": 366})
    assert "less than or equal to 365" in response.text
    assert ApiToken.objects.filter(user=hr).count() == 1


def test_a_token_needs_a_name(client, hr):
    client.force_login(hr)
    response = client.post(TOKENS, {"name": "  "})
    assert "This field is required." in response.text
    assert not ApiToken.objects.exists()


def test_nobody_makes_a_token_for_someone_else(client, hr, administrator):
    client.force_login(administrator)
    client.post(TOKENS, {"name": "For HR", "user": hr.pk, "user_id": hr.pk, "username": hr.username})
    assert not ApiToken.objects.filter(user=hr).exists()
    assert ApiToken.objects.get().user == administrator


def test_the_list_shows_only_the_persons_own_tokens(client, hr, staff):
    make_token(client, hr, name="HR's token")
    client.force_login(staff)
    assert "HR&#x27;s token" not in client.get(TOKENS).text


def test_the_person_revokes_their_token(client, hr, records):
    key = make_token(client, hr)
    token = ApiToken.objects.get(user=hr)
    client.force_login(hr)
    assert client.get(reverse("api_tokens:revoke", args=[token.pk])).status_code == 405
    response = client.post(reverse("api_tokens:revoke", args=[token.pk]), follow=True)
    assert "The token is revoked." in response.text
    client.logout()
    assert with_token(client, key).status_code == 401
    assert AuditEntry.objects.filter(actor=hr, what__startswith="revoked API token Payroll sync").exists()


def test_nobody_revokes_someone_elses_token(client, hr, administrator, records):
    key = make_token(client, hr)
    client.force_login(administrator)
    response = client.post(reverse("api_tokens:revoke", args=[ApiToken.objects.get().pk]), follow=True)
    assert "No such token" in response.text
    client.logout()
    assert with_token(client, key).status_code == 200


def test_changing_the_password_revokes_the_persons_tokens(client, hr, records):
    key = make_token(client, hr)
    client.force_login(hr)
    new = "a-much-longer-pass-2026"
    client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    client.logout()
    assert with_token(client, key).status_code == 401
    assert ApiToken.objects.get(user=hr).revoked_at is not None
    assert AuditEntry.objects.filter(what=f"revoked 1 API token(s) of {hr}: password changed").exists()


def test_a_password_reset_revokes_the_persons_tokens(client, hr, records):
    key = make_token(client, hr)
    client.post(reverse("password_reset"), {"email": hr.email})
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    new = "brand-new-pass-2026"
    client.post(client.get(link).url, {"new_password1": new, "new_password2": new})
    assert with_token(client, key).status_code == 401


def test_a_session_needs_no_token(client, hr, records):
    client.force_login(hr)
    assert client.get(LIST).status_code == 200
