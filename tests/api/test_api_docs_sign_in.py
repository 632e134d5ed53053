"""The OpenAPI schema and its documentation pages are for people signed in, like the API they describe."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from api.tokens import api_token_create

pytestmark = pytest.mark.django_db

DOCS_PAGES = ["api:docs", "api:redoc"]


def test_the_schema_refuses_anyone_not_signed_in(client):
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 401
    assert b"openapi" not in response.content
    assert b"/api/v1/cases/" not in response.content


@pytest.mark.parametrize("page", DOCS_PAGES)
def test_the_docs_pages_send_anyone_not_signed_in_to_sign_in(client, page):
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(django_settings.LOGIN_URL))


def test_the_schema_is_served_to_a_signed_in_person(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_the_schema_is_served_with_a_token(client, outsider):
    _, key = api_token_create(user=outsider, name="docs")
    response = client.get(reverse("api:schema"), {"format": "json"}, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


@pytest.mark.parametrize("page", DOCS_PAGES)
def test_the_docs_pages_open_for_a_signed_in_person(client, outsider, page):
    client.force_login(outsider)
    assert client.get(reverse(page)).status_code == 200
