"""Other systems read the API with a token; an administrator makes one with drf_create_token."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

LIST = reverse("api:disciplinary-record-list")


def with_token(client, key, url=LIST):
    return client.get(url, HTTP_AUTHORIZATION=f"Token {key}")


def test_a_token_reads_as_its_person(client, hr, records):
    response = with_token(client, Token.objects.create(user=hr).key)
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_a_token_carries_only_its_persons_rights(client, governance, records):
    assert with_token(client, Token.objects.create(user=governance).key).status_code == 403


def test_an_unknown_token_is_refused(client, hr, records):
    response = with_token(client, "0" * 40)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"


def test_the_token_of_someone_who_has_left_stops_working(client, hr, records):
    key = Token.objects.create(user=hr).key
    hr.is_active = False
    hr.save()
    assert with_token(client, key).status_code == 401


def test_drf_create_token_makes_a_working_token(client, hr, records, capsys):
    call_command("drf_create_token", hr.username)
    key = Token.objects.get(user=hr).key
    assert key in capsys.readouterr().out
    assert with_token(client, key).status_code == 200


def test_a_session_needs_no_token(client, hr, records):
    client.force_login(hr)
    assert client.get(LIST).status_code == 200
