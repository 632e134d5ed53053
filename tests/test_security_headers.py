"""The headers that are not about one route: error pages, static files, HSTS."""

import pytest
from django.test import Client
from django.urls import path

from tests.test_routes import directives


def broken_view(request):
    raise RuntimeError("A fault in a page.")


urlpatterns = [path("broken/", broken_view)]


def assert_strict(response):
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_not_found_page_has_the_policy(client, outsider):
    client.force_login(outsider)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert_strict(response)


@pytest.mark.urls(__name__)
def test_the_server_error_page_has_the_policy(db):
    client = Client(raise_request_exception=False)

    response = client.get("/broken/")

    assert response.status_code == 500
    assert_strict(response)


def test_static_files_keep_their_cache(client, settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True

    response = client.get("/static/css/app.css")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_hsts_is_sent_over_https_when_set(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    response = client.get("/healthz/", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
