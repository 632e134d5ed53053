"""Sessions in Redis and the database (core.cached_sessions, the engine when REDIS_URL is set): with Redis
down, people still sign in, use the site and sign out, from the database alone."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every cache call fails at once, as when Redis is down.
REDIS_DOWN = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    },
    # Each process's own cache, which the settings give whether or not there is Redis.
    "process": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}


@pytest.fixture
def redis_down(settings):
    settings.CACHES = REDIS_DOWN
    settings.SESSION_ENGINE = "core.cached_sessions"


def test_signing_in_works_while_redis_is_down(client, staff, redis_down):
    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD})

    assert response.status_code == 302
    assert Session.objects.filter(session_key=client.cookies["sessionid"].value).exists()
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert home.wsgi_request.user == staff


def test_signing_out_works_while_redis_is_down(client, staff, redis_down):
    client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    key = client.cookies["sessionid"].value

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("home")).status_code == 302
