"""/admin/login/: the admin has no sign-in form of its own; everyone signs in on the site's page."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_visitor_is_sent_to_the_sites_sign_in_and_back(client):
    response = client.get("/admin/login/", {"next": "/admin/people/team/"})
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/admin/people/team/"
    assert client.get(response.url).status_code == 200


def test_a_visitor_to_the_admin_ends_on_the_sites_sign_in(client):
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"{reverse('login')}?next=/admin/"


def test_a_next_address_elsewhere_is_not_followed(client):
    response = client.get("/admin/login/", {"next": "https://evil.example/"})
    assert response.url == f"{reverse('login')}?next=/admin/"


def test_someone_signed_in_goes_to_the_admin_if_they_may(client, administrator):
    client.force_login(administrator)
    response = client.get("/admin/login/", {"next": "/admin/people/team/"})
    assert (response.status_code, response.url) == (302, "/admin/people/team/")


def test_someone_signed_in_without_the_admin_is_refused_not_sent_round(client, staff):
    client.force_login(staff)
    assert client.get("/admin/login/", {"next": "/admin/"}).status_code == 403


def test_signing_out_of_the_admin_works_for_a_visitor_too(client, administrator):
    assert client.post("/admin/logout/", follow=True).status_code == 200
    client.force_login(administrator)
    assert client.post("/admin/logout/", follow=True).status_code == 200
    assert "_auth_user_id" not in client.session
