"""A person who has left loses their access: checked on every request (session and token) and swept daily.
Their sessions end, their API tokens are revoked and their per-case rights are removed, once, audited."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.tokens import api_token_create
from audit.models import AuditEntry
from cases.models import CaseUserObjectPermission
from people.tasks import leavers_sweep
from reminders.schedule import SCHEDULE
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

API = reverse("api:case-list")


def yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)


def signed_in(person):
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def leaver(supervisor, case_about_colleague):
    """The supervisor who handles a case, signed in twice and holding an API token."""
    supervisor.browsers = [signed_in(supervisor), signed_in(supervisor)]
    supervisor.key = api_token_create(user=supervisor, name="Rota sync")[1]
    return supervisor


def assert_access_ended(person):
    person.refresh_from_db()
    assert not person.is_active
    assert person.access_ended_at is not None
    keys = [browser.session.session_key for browser in person.browsers]
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not ApiToken.objects.usable().filter(user=person).exists()
    assert not CaseUserObjectPermission.objects.filter(user=person).exists()
    assert AuditEntry.objects.filter(what__startswith=f"{person} left: their access ended")
    assert AuditEntry.objects.filter(what__startswith=f"revoked 1 API token(s) of {person}: left focus")
    assert AuditEntry.objects.filter(what__startswith=f"removed 1 per-case right(s) of {person}: left focus")


def test_before_the_leaving_date_nothing_changes(client, leaver):
    leaver.left_on = timezone.localdate() + datetime.timedelta(days=1)
    leaver.save()
    assert leaver.browsers[0].get(reverse("home")).status_code == 200
    assert client.get(API, HTTP_AUTHORIZATION=f"Token {leaver.key}").status_code == 200
    assert leavers_sweep() == 0
    leaver.refresh_from_db()
    assert leaver.is_active


def test_the_next_page_signs_a_leaver_out_and_ends_their_access(leaver, staff, case_about_colleague):
    leaver.left_on = yesterday()
    leaver.save()
    response = leaver.browsers[0].get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "Your access has ended because you have left focus." in response.text
    assert not response.context["user"].is_authenticated
    assert_access_ended(leaver)
    # The other browser's session has ended too; the reporter keeps following their concern.
    assert not leaver.browsers[1].get(reverse("home")).wsgi_request.user.is_authenticated
    assert CaseUserObjectPermission.objects.filter(user=staff, content_object=case_about_colleague).exists()


def test_a_leavers_token_is_refused_and_their_access_ends(client, leaver):
    leaver.left_on = timezone.localdate()
    leaver.save()
    assert client.get(API, HTTP_AUTHORIZATION=f"Token {leaver.key}").status_code == 401
    assert_access_ended(leaver)


def test_the_daily_sweep_ends_a_leavers_access_once(leaver):
    leaver.left_on = yesterday()
    leaver.save()
    assert leavers_sweep() == 1
    assert_access_ended(leaver)
    assert leavers_sweep() == 0
    assert AuditEntry.objects.filter(what__contains=f"{leaver} left").count() == 1


def test_someone_unticked_as_active_is_swept_too(leaver):
    leaver.is_active = False
    leaver.left_on = yesterday()
    leaver.save()
    assert leavers_sweep(now=timezone.now()) == 1
    assert_access_ended(leaver)


def test_the_sweep_is_on_the_beat_schedule():
    assert "people.tasks.leavers_sweep" in {job.task for job in SCHEDULE}


def test_a_session_renewed_by_a_password_change_ends_too(leaver):
    browser = leaver.browsers[0]
    before = browser.session.session_key
    new = "a-much-longer-pass-2026"
    fields = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    browser.post(reverse("password_change"), fields)
    renewed = browser.session.session_key
    assert renewed != before
    assert browser.get(reverse("home")).wsgi_request.user == leaver
    leaver.refresh_from_db()
    leaver.left_on = yesterday()
    leaver.save()
    assert leavers_sweep() == 1
    assert not Session.objects.filter(session_key=renewed).exists()


def test_the_sweep_removes_a_leavers_sessions_from_the_cache_too(settings, supervisor, case_about_colleague):
    # Sessions read through the cache (Redis in production; here the test's in-process cache).
    settings.SESSION_ENGINE = "core.cached_sessions"
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX
    from django.core.cache import cache

    browser = signed_in(supervisor)
    key = browser.session.session_key
    assert cache.get(KEY_PREFIX + key) is not None
    supervisor.left_on = yesterday()
    supervisor.save()
    assert leavers_sweep() == 1
    assert cache.get(KEY_PREFIX + key) is None
    assert not Session.objects.filter(session_key=key).exists()
