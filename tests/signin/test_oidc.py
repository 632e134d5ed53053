"""Sign-in with the organisation's accounts (OpenID Connect) against a stub provider (oidc_provider.py): the
whole code flow through the pages, roles from the provider's groups, and every refusal."""

import html
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group
from django.urls import reverse

from audit.models import AuditEntry
from people.models import LoginSession, User
from people.roles import Role
from people.sessions import SIGNED_IN_AT
from tests.factories import PASSWORD, UserFactory
from tests.signin.oidc_provider import CLIENT_ID, CLIENT_SECRET, StubProvider, new_key

pytestmark = pytest.mark.django_db

PROVIDER_NAME = "Focus accounts"
ROLE_MAP = {"focus-supervisors": {Role.SUPERVISOR.value}, "focus-hr": {Role.HR.value}}


@pytest.fixture
def provider(settings, monkeypatch):
    """OIDC on, as the OIDC_* settings would turn it on, against the stub provider."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with StubProvider() as stub:
        for name, value in stub.endpoints().items():
            setattr(settings, name, value)
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings.OIDC_RP_SIGN_ALGO = "RS256"
        settings.OIDC_PROVIDER_NAME = PROVIDER_NAME
        settings.OIDC_ROLE_MAP = ROLE_MAP
        settings.OIDC_ENABLED = True
        settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "signin.oidc.ProviderBackend"]
        yield stub


def claims_of(user, *groups, **more):
    return {
        "sub": f"kc-{user.username}",
        "email": user.email,
        "email_verified": True,
        "given_name": user.first_name,
        "family_name": user.last_name,
        "preferred_username": user.username,
        "groups": list(groups),
        **more,
    }


def start(client, next_url=None):
    query = f"?next={next_url}" if next_url else ""
    response = client.get(reverse("oidc_authentication_init") + query)
    assert response.status_code == 302
    return response.url


def sign_in_with_provider(client, provider, claims, next_url=None):
    callback = provider.authorize(start(client, next_url), claims)
    return client.get(callback, follow=True)


def signed_in_as(client):
    return client.session.get(SESSION_KEY)


def roles(user):
    return set(user.groups.values_list("name", flat=True))


def page_text(response):
    return html.unescape(response.content.decode())


# The login page and the addresses.


def test_without_the_oidc_settings_there_is_no_button_and_the_addresses_answer_404(client):
    page = client.get(reverse("login"))

    assert "Sign in with" not in page_text(page)
    assert 'name="password"' in page.text
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=abc&state=def").status_code == 404


def test_the_login_page_offers_the_provider_and_keeps_the_password(client, provider):
    page = page_text(client.get(reverse("login") + "?next=/cases/"))

    assert f"Sign in with {PROVIDER_NAME}" in page
    assert 'href="/oidc/authenticate/?next=/cases/"' in page
    assert 'name="password"' in page


def test_oidc_only_hides_the_password_and_refuses_one(client, provider, settings, staff):
    settings.OIDC_ONLY = True

    page = page_text(client.get(reverse("login")))
    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD})

    assert f"Sign in with {PROVIDER_NAME}" in page
    assert 'name="password"' not in page
    assert signed_in_as(client) is None
    assert response.status_code == 200


def test_authenticate_sends_the_browser_to_the_provider_with_a_state_and_a_nonce(client, provider):
    url = start(client)

    query = {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}
    assert url.startswith(provider.endpoints()["OIDC_OP_AUTHORIZATION_ENDPOINT"] + "?")
    assert query["response_type"] == "code"
    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == "http://testserver/oidc/callback/"
    assert "openid" in query["scope"].split()
    assert len(query["state"]) >= 32 and len(query["nonce"]) >= 32
    assert query["nonce"] == client.session["oidc_states"][query["state"]]["nonce"]
    assert query["code_challenge_method"] == "S256" and query["code_challenge"]


# Signing in.


def test_a_known_person_is_signed_in_with_roles_from_their_groups(client, provider, staff):
    response = sign_in_with_provider(client, provider, claims_of(staff, "focus-supervisors"), "/cases/mine/")

    staff.refresh_from_db()
    assert signed_in_as(client) == str(staff.pk)
    assert response.redirect_chain[-1][0] == "/cases/mine/"
    assert roles(staff) == {Role.STAFF, Role.SUPERVISOR}
    assert staff.oidc_subject == "kc-staff"
    assert not staff.is_staff and not staff.is_superuser
    # The bookkeeping of any sign-in: the session is remembered and timed.
    assert LoginSession.objects.filter(user=staff, session_key=client.session.session_key).exists()
    assert client.session[SIGNED_IN_AT]
    entry = AuditEntry.objects.get(details__event="roles from identity provider")
    assert entry.details == {
        "event": "roles from identity provider",
        "username": "staff",
        "added": [Role.SUPERVISOR],
        "removed": [],
    }
    # The provider was asked for the tokens with the code, the client's secret and the same redirect.
    (token_request,) = provider.token_requests
    assert token_request["redirect_uri"] == "http://testserver/oidc/callback/"


def test_signing_in_gives_a_new_session_key(client, provider, staff):
    callback = provider.authorize(start(client), claims_of(staff))
    before = client.session.session_key

    client.get(callback)

    assert signed_in_as(client) == str(staff.pk)
    assert client.session.session_key != before


def test_group_changes_at_the_provider_apply_at_the_next_sign_in(client, provider, staff):
    staff.groups.add(Group.objects.get(name=Role.COMMS))
    sign_in_with_provider(client, provider, claims_of(staff, "focus-supervisors"))
    client.post(reverse("logout"))

    sign_in_with_provider(client, provider, claims_of(staff, "/focus-hr", "focus-unmapped"))

    # Supervisor taken away, HR given; Staff and Communications team are not the provider's to change.
    assert roles(staff) == {Role.STAFF, Role.HR, Role.COMMS}
    assert signed_in_as(client) == str(staff.pk)
    changes = AuditEntry.objects.filter(details__event="roles from identity provider").order_by("pk")
    assert [(e.details["added"], e.details["removed"]) for e in changes] == [
        ([Role.SUPERVISOR], []),
        ([Role.HR], [Role.SUPERVISOR]),
    ]


def test_no_group_makes_anyone_staff_or_superuser(client, provider, staff, settings):
    settings.OIDC_ROLE_MAP = {**ROLE_MAP, "focus-admins": {Role.ADMINISTRATOR.value}}

    sign_in_with_provider(client, provider, claims_of(staff, "focus-admins", "admins", "superusers"))

    staff.refresh_from_db()
    assert roles(staff) == {Role.STAFF, Role.ADMINISTRATOR}
    assert not staff.is_staff and not staff.is_superuser


def test_a_person_is_found_by_their_subject_after_their_address_changes(client, provider, staff):
    sign_in_with_provider(client, provider, claims_of(staff))
    client.post(reverse("logout"))

    claims = claims_of(staff, email="s.renamed@focus.example", family_name="Renamed")
    sign_in_with_provider(client, provider, claims)

    staff.refresh_from_db()
    assert signed_in_as(client) == str(staff.pk)
    assert (staff.email, staff.last_name) == ("s.renamed@focus.example", "Renamed")


def test_the_second_factor_is_still_asked_where_it_is_due(client, provider, supervisor, settings):
    settings.REQUIRE_2FA = True

    response = sign_in_with_provider(client, provider, claims_of(supervisor, "focus-supervisors"))

    assert response.redirect_chain[-1][0].startswith(reverse("signin:enrol"))


# Refusals: each ends on the login page with a message that says why, not signed in.


def refused(client, response, message):
    assert signed_in_as(client) is None
    assert response.redirect_chain[-1][0] == reverse("login")
    assert message in page_text(response)


def test_someone_without_an_account_is_refused_with_a_message(client, provider):
    stranger = {"sub": "kc-new", "email": "new.person@focus.example", "email_verified": True, "groups": []}

    response = sign_in_with_provider(client, provider, stranger)

    refused(client, response, "there is no focuspolicy account for that address")
    assert not User.objects.filter(email="new.person@focus.example").exists()
    assert AuditEntry.objects.filter(details__event="identity provider sign-in refused").count() == 1


def test_with_oidc_create_users_someone_new_is_made_a_member_of_staff(client, provider, settings):
    settings.OIDC_CREATE_USERS = True
    newcomer = {
        "sub": "kc-new",
        "email": "jo.bloggs@focus.example",
        "email_verified": True,
        "preferred_username": "jo.bloggs",
        "given_name": "Jo",
        "family_name": "Bloggs",
        "groups": ["focus-hr"],
    }

    sign_in_with_provider(client, provider, newcomer)

    person = User.objects.get(oidc_subject="kc-new")
    assert signed_in_as(client) == str(person.pk)
    assert (person.username, person.get_full_name(), person.email) == (
        "jo.bloggs",
        "Jo Bloggs",
        newcomer["email"],
    )
    assert roles(person) == {Role.STAFF, Role.HR}
    assert not person.has_usable_password()
    assert not person.is_staff and not person.is_superuser


@pytest.mark.parametrize("how", ["unticked", "leaving date"])
def test_someone_who_has_left_is_refused(client, provider, staff, how):
    if how == "unticked":
        staff.is_active = False
    else:
        staff.left_on = staff.date_joined.date()
    staff.save()

    response = sign_in_with_provider(client, provider, claims_of(staff, "focus-supervisors"))

    refused(client, response, "Your access has ended because you have left focus.")
    assert roles(staff) == {Role.STAFF}


def test_an_unverified_address_is_not_matched(client, provider, staff):
    response = sign_in_with_provider(client, provider, claims_of(staff, email_verified=False))

    refused(client, response, "did not give a verified e-mail address")


def test_an_account_linked_to_another_identity_is_refused(client, provider, staff):
    staff.oidc_subject = "kc-someone-else"
    staff.save()

    response = sign_in_with_provider(client, provider, claims_of(staff))

    refused(client, response, "is linked to another Focus accounts account")


def test_a_token_signed_with_another_key_is_refused(client, provider, staff):
    provider.sign_with = new_key()

    response = sign_in_with_provider(client, provider, claims_of(staff, "focus-supervisors"))

    refused(client, response, f"Sign-in with {PROVIDER_NAME} did not succeed")
    assert roles(staff) == {Role.STAFF}


def test_a_token_for_another_sign_in_nonce_is_refused(client, provider, staff):
    provider.nonce_override = "a-nonce-from-elsewhere"

    response = sign_in_with_provider(client, provider, claims_of(staff))

    refused(client, response, f"Sign-in with {PROVIDER_NAME} did not succeed")


def test_a_code_redeemed_without_this_browsers_pkce_verifier_is_refused(client, provider, staff):
    """A code caught on its way back and taken to another browser's sign-in: the provider refuses it."""
    thief = client.__class__()
    stolen = provider.authorize(start(client), claims_of(staff))
    own_state = parse_qs(urlsplit(start(thief)).query)["state"][0]

    response = thief.get(stolen.split("&state=")[0] + f"&state={own_state}", follow=True)

    refused(thief, response, f"Sign-in with {PROVIDER_NAME} did not succeed")
    assert provider.token_requests[-1]["code_verifier"]


def test_a_token_made_for_another_client_is_refused(client, provider, staff):
    provider.audience_override = "another-app"

    response = sign_in_with_provider(client, provider, claims_of(staff))

    refused(client, response, f"Sign-in with {PROVIDER_NAME} did not succeed")


def test_userinfo_about_someone_else_is_refused(client, provider, staff):
    provider.userinfo_sub_override = "kc-someone-else"

    response = sign_in_with_provider(client, provider, claims_of(staff))

    refused(client, response, f"Sign-in with {PROVIDER_NAME} did not succeed")


def test_a_forged_state_is_refused(client, provider, staff):
    callback = provider.authorize(start(client), claims_of(staff))
    forged = callback.split("&state=")[0] + "&state=forged-state"

    response = client.get(forged, follow=True)

    refused(client, response, f"Sign-in with {PROVIDER_NAME} did not succeed")


def test_a_callback_in_another_browser_is_refused(client, provider, staff):
    """The state lives in the session of the browser that started: a link sent to someone else fails."""
    callback = provider.authorize(start(client), claims_of(staff))
    other = client.__class__()

    response = other.get(callback, follow=True)

    refused(other, response, f"Sign-in with {PROVIDER_NAME} did not succeed")


def test_a_callback_replayed_is_refused(client, provider, staff):
    callback = provider.authorize(start(client), claims_of(staff))
    client.get(callback)
    client.post(reverse("logout"))

    response = client.get(callback, follow=True)

    refused(client, response, f"Sign-in with {PROVIDER_NAME} did not succeed")


def test_a_provider_that_cannot_be_reached_gives_a_message_not_an_error(client, provider, settings, staff):
    callback = provider.authorize(start(client), claims_of(staff))
    settings.OIDC_OP_TOKEN_ENDPOINT = "http://127.0.0.1:9/token"  # the discard port: nothing listens

    response = client.get(callback, follow=True)

    refused(client, response, f"{PROVIDER_NAME} could not be reached")


def test_the_provider_saying_no_sends_the_person_back_to_the_login_page(client, provider):
    state = parse_qs(urlsplit(start(client)).query)["state"][0]

    response = client.get(f"/oidc/callback/?error=access_denied&state={state}", follow=True)

    refused(client, response, f"Sign-in with {PROVIDER_NAME} did not succeed")


def test_password_sign_in_still_works_beside_the_provider(client, provider, staff):
    client.post(reverse("login"), {"username": "staff", "password": PASSWORD})

    assert signed_in_as(client) == str(staff.pk)


def test_a_user_made_elsewhere_with_the_same_address_twice_is_refused(client, provider, staff):
    UserFactory(username="staff-duplicate", email=staff.email.upper())

    response = sign_in_with_provider(client, provider, claims_of(staff))

    refused(client, response, "More than one focuspolicy account has the address")


def test_an_administrator_unlinks_an_account_so_that_the_next_sign_in_links_it_again(
    client, provider, staff, administrator
):
    staff.oidc_subject = "kc-old-account"
    staff.save()
    assert signed_in_as(client) is None
    admin_client = client.__class__()
    admin_client.force_login(administrator)

    response = admin_client.post(
        reverse("admin:people_user_changelist"),
        {"action": "forget_provider_link", "_selected_action": [staff.pk]},
    )
    sign_in_with_provider(client, provider, claims_of(staff))

    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.oidc_subject == "kc-staff"
    assert signed_in_as(client) == str(staff.pk)
    entry = AuditEntry.objects.get(details__event="identity provider link removed")
    assert entry.actor == administrator
    assert entry.details["subject"] == "kc-old-account"


def test_the_admin_shows_the_link_but_nobody_edits_it(admin_client, staff):
    staff.oidc_subject = "kc-staff"
    staff.save()
    url = reverse("admin:people_user_change", args=[staff.pk])

    page = admin_client.get(url)

    assert "kc-staff" in page.text
    assert 'name="oidc_subject"' not in page.text
