import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_accessible_html(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<label for="id_username">' in response.text
    assert '<main id="main"' in response.text


def test_staff_log_in_and_out(client, staff):
    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD}, follow=True)
    assert response.context["user"] == staff
    assert "Welcome" in response.text
    response = client.post(reverse("logout"), follow=True)
    assert not response.context["user"].is_authenticated


def test_wrong_password_is_refused_and_keeps_the_username(client, staff):
    response = client.post(reverse("login"), {"username": "staff", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text
    assert 'value="staff"' in response.text


def test_a_person_who_has_left_cannot_log_in(client, staff):
    staff.is_active = False
    staff.save()
    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert not response.wsgi_request.user.is_authenticated


def test_password_change(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-pass-2026",
            "new_password2": "a-much-longer-pass-2026",
        },
        follow=True,
    )
    assert "Your password has been changed." in response.text
    staff.refresh_from_db()
    assert staff.check_password("a-much-longer-pass-2026")


def test_password_reset_by_email(client, staff):
    client.post(reverse("password_reset"), {"email": staff.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url
    response = client.post(
        form_url,
        {"new_password1": "brand-new-pass-2026", "new_password2": "brand-new-pass-2026"},
        follow=True,
    )
    assert "Your password has been set." in response.text
    staff.refresh_from_db()
    assert staff.check_password("brand-new-pass-2026")


def test_navigation_shows_administration_only_to_administrators(client, staff, administrator):
    client.force_login(staff)
    assert "Administration" not in client.get(reverse("home")).text
    client.force_login(administrator)
    assert "Administration" in client.get(reverse("home")).text


def test_healthz(client):
    assert client.get("/healthz/").text == "ok"


def test_home_counts_the_persons_own_concerns_and_queues(client, staff, supervisor, governance, policy):
    from django.utils import timezone

    from cases.models import Platform, SubjectKind
    from cases.services import case_raise

    case_raise(
        reporter=staff,
        policy_version=policy.current_version(),
        subject_kind=SubjectKind.UNKNOWN,
        platform=Platform.BLOG,
        seen_at=timezone.now(),
        description="An anonymous blog about the day centre.",
    )
    client.force_login(staff)
    assert "Your concerns</a>: 1 open" in client.get(reverse("home")).text
    client.force_login(supervisor)
    assert "Your triage queue</a>: 1 to triage" in client.get(reverse("home")).text
    client.force_login(governance)
    assert "Governance queue</a>: 0 referred or in review" in client.get(reverse("home")).text
