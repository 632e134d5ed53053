"""Sign-in with the organisation's accounts: OpenID Connect's code flow (mozilla-django-oidc), on only when
the OIDC_* settings are given (signin/oidc_config.py).

A person is found by the provider's `sub` kept on their account at their first such sign-in, or else by
their verified e-mail address; someone focuspolicy does not know is refused with a message unless
OIDC_CREATE_USERS lets them in as a member of staff. At each sign-in the roles named in OIDC_ROLE_MAP are
made to match the person's groups at the provider; other roles, and the staff and superuser flags, are
never touched. The rest of signing in is Django's login(), as with a password: a new session key, the
session's bookkeeping (people.sessions, people.LoginSession) and the second factor when one is due.
"""

import logging

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from audit.models import AuditEntry
from audit.services import audit_record
from people.roles import Role

logger = logging.getLogger(__name__)

# Why the provider's sign-in was refused, kept on the request for the callback's message (signin.oidc_views).
REFUSAL = "oidc_refusal"
NO_ACCOUNT = (
    "You signed in with {provider} as {email}, but there is no focuspolicy account for that address. "
    "Ask an administrator to add you, then sign in again."
)
NO_EMAIL = (
    "{provider} did not give a verified e-mail address for you, so focuspolicy cannot tell which account "
    "is yours. Ask an administrator."
)
SEVERAL = "More than one focuspolicy account has the address {email}. Ask an administrator to correct it."
LINKED_ELSEWHERE = (
    "The focuspolicy account for {email} is linked to another {provider} account. Ask an administrator."
)
LEFT = "Your access has ended because you have left focus."


class Refused(Exception):
    """The provider vouched for the person, but focuspolicy will not sign them in; the text says why."""


def _groups(claims):
    """The person's groups from the claim OIDC_GROUPS_CLAIM: Keycloak may write them as paths ("/hr")."""
    groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    return {str(group).lstrip("/") for group in groups}


@transaction.atomic
def roles_follow_provider(*, user, groups):
    """Give and take away the roles OIDC_ROLE_MAP names so that they match the person's groups at the
    provider. Roles the map does not name are left as they are. Audited when anything changes."""
    role_map = settings.OIDC_ROLE_MAP
    governed = set().union(*role_map.values())
    wanted = set().union(*(role_map.get(group, set()) for group in groups))
    held = set(user.groups.filter(name__in=governed).values_list("name", flat=True))
    added, removed = wanted - held, held - wanted
    if added:
        user.groups.add(*Group.objects.filter(name__in=added))
    if removed:
        user.groups.remove(*Group.objects.filter(name__in=removed))
    if added or removed:
        audit_record(
            actor=None,
            action=AuditEntry.Action.CHANGE,
            what=f"Roles of {user.username} set from {settings.OIDC_PROVIDER_NAME}",
            details={
                "event": "roles from identity provider",
                "username": user.username,
                "added": sorted(added),
                "removed": sorted(removed),
            },
        )
    return added, removed


@transaction.atomic
def person_from_provider_create(*, claims, username):
    """A member of staff made at their first sign-in with the provider (OIDC_CREATE_USERS): no password
    (they sign in with the provider), the Staff role unless the role map governs it. Audited."""
    from people.models import User

    person = User(
        username=username,
        email=claims["email"],
        first_name=(claims.get("given_name") or "")[:150],
        last_name=(claims.get("family_name") or "")[:150],
        oidc_subject=claims["sub"],
    )
    person.set_unusable_password()
    person.save()
    if Role.STAFF.value not in set().union(*settings.OIDC_ROLE_MAP.values()):
        person.groups.add(Group.objects.get(name=Role.STAFF))
    audit_record(
        actor=None,
        action=AuditEntry.Action.CHANGE,
        what=f"Account made at first sign-in with {settings.OIDC_PROVIDER_NAME}: {person.username}",
        details={"event": "account from identity provider", "username": person.username},
    )
    return person


@transaction.atomic
def provider_link_forget(*, user, by):
    """Unlink a person's account from their identity at the provider, so that their next sign-in finds them
    by their e-mail address again (the provider's account was remade, or was linked by mistake). Audited."""
    subject, user.oidc_subject = user.oidc_subject, None
    user.save(update_fields=["oidc_subject"])
    audit_record(
        actor=by,
        action=AuditEntry.Action.CHANGE,
        what=f"Link to {settings.OIDC_PROVIDER_NAME} removed for {user.username}",
        details={"event": "identity provider link removed", "username": user.username, "subject": subject},
    )


class ProviderBackend(OIDCAuthenticationBackend):
    """Authenticates the code flow's callback only. Its permissions are none: roles' permissions are read
    by people.backends.RoleBackend, once, as for everyone."""

    def verify_claims(self, claims):
        return bool(claims.get("sub"))

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        # A token the provider made for another of its clients is not for us (mozilla-django-oidc leaves
        # the audience unchecked).
        audience = payload.get("aud")
        if self.OIDC_RP_CLIENT_ID not in ([audience] if isinstance(audience, str) else audience or []):
            raise SuspiciousOperation("The ID token is for another client.")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        claims = super().get_userinfo(access_token, id_token, payload)
        # OpenID Connect Core 5.3.2: userinfo about another subject than the ID token's must not be used.
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The userinfo's sub is not the ID token's.")
        # The groups may come in the ID token alone.
        claims.setdefault(settings.OIDC_GROUPS_CLAIM, payload.get(settings.OIDC_GROUPS_CLAIM, []))
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            raise SuspiciousOperation("The provider gave no subject (sub).")
        try:
            with transaction.atomic():
                person = self._person(claims)
                if person is None:
                    person = person_from_provider_create(claims=claims, username=self._free_username(claims))
                elif person.has_left():
                    raise Refused(LEFT)
                return self.update_user(person, claims)
        except Refused as refused:
            self._refuse(str(refused), claims)
            return None

    def _person(self, claims):
        """The account the claims belong to, None for someone new who may be made, or Refused."""
        provider = settings.OIDC_PROVIDER_NAME
        by_subject = self.UserModel.objects.filter(oidc_subject=claims["sub"]).first()
        if by_subject is not None:
            return by_subject
        email = claims.get("email") or ""
        if not email or claims.get("email_verified") is False:
            raise Refused(NO_EMAIL.format(provider=provider))
        matches = list(self.UserModel.objects.filter(email__iexact=email)[:2])
        if len(matches) > 1:
            raise Refused(SEVERAL.format(email=email))
        if matches and matches[0].oidc_subject:
            raise Refused(LINKED_ELSEWHERE.format(email=email, provider=provider))
        if not matches and not settings.OIDC_CREATE_USERS:
            raise Refused(NO_ACCOUNT.format(email=email, provider=provider))
        return matches[0] if matches else None

    def _free_username(self, claims):
        """The provider's username if it is free and valid here, else the e-mail address, else a hash."""
        for candidate in (claims.get("preferred_username"), claims["email"]):
            if candidate and self._valid_username(candidate):
                if not self.UserModel.objects.filter(username__iexact=candidate).exists():
                    return candidate
        return self.get_username(claims)

    def _valid_username(self, candidate):
        try:
            self.UserModel.username_validator(candidate)
        except ValidationError:
            return False
        return len(candidate) <= 150

    def update_user(self, user, claims):
        """Keep the sub, the name and the address the provider gives; the roles follow its groups."""
        changed = []
        if user.oidc_subject is None:
            user.oidc_subject = claims["sub"]
            changed.append("oidc_subject")
        given = {"first_name": claims.get("given_name"), "last_name": claims.get("family_name")}
        if claims.get("email_verified") is not False:
            given["email"] = claims.get("email")
        for field, value in given.items():
            value = (value or "")[: self.UserModel._meta.get_field(field).max_length]
            if value and value != getattr(user, field):
                setattr(user, field, value)
                changed.append(field)
        if changed:
            user.save(update_fields=changed)
        roles_follow_provider(user=user, groups=_groups(claims))
        return user

    def _refuse(self, message, claims):
        setattr(self.request, REFUSAL, message)
        who = claims.get("email") or claims["sub"]
        audit_record(
            actor=None,
            action=AuditEntry.Action.CHANGE,
            what=f"Sign-in with {settings.OIDC_PROVIDER_NAME} refused: {who}",
            details={"event": "identity provider sign-in refused", "reason": message},
        )

    # Sign-in only: no permissions of its own (RoleBackend reads them), and never an inactive person.
    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def get_user(self, user_id):
        return ModelBackend.get_user(self, user_id)
