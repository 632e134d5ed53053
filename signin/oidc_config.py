"""The OIDC_* settings as the environment gives them, checked when the settings are read: a partial or
malformed configuration stops start-up with a message that names what is wrong (focuspolicy/settings/base.py).

Nothing here imports Django's models: the settings module calls it before the apps are loaded.
"""

from django.core.exceptions import ImproperlyConfigured

from people.roles import Role

# Without all of these, sign-in with the organisation's accounts is off and the app is as it was.
OIDC_REQUIRED = (
    "OIDC_RP_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
)


def oidc_enabled(values, sign_algo):
    """Whether OIDC is configured: True with every required setting, False with none of them; a part of
    them, or a key-signed algorithm (RS256, ES256…) without OIDC_OP_JWKS_ENDPOINT, stops start-up."""
    given = [name for name in OIDC_REQUIRED if values.get(name)]
    if not given:
        return False
    missing = [name for name in OIDC_REQUIRED if not values.get(name)]
    if not sign_algo.startswith("HS") and not values.get("OIDC_OP_JWKS_ENDPOINT"):
        missing.append("OIDC_OP_JWKS_ENDPOINT")
    if missing:
        raise ImproperlyConfigured(
            "Sign-in with the organisation's accounts (OIDC) is half configured: missing "
            + ", ".join(missing)
            + ". Set them, or unset the other OIDC_* settings."
        )
    return True


def oidc_role_map(text):
    """OIDC_ROLE_MAP, "group=Role,group=Role", as {group: {role names}}. A group may be named twice to give
    two roles; the roles are focuspolicy's (people.roles.Role), spelt as they are there."""
    mapping = {}
    roles = set(Role.values)
    for pair in filter(None, (part.strip() for part in text.split(","))):
        group, equals, role = (word.strip() for word in pair.partition("="))
        if not (group and equals and role):
            raise ImproperlyConfigured(f"OIDC_ROLE_MAP: {pair!r} is not group=Role.")
        if role not in roles:
            raise ImproperlyConfigured(
                f"OIDC_ROLE_MAP: {role!r} is not a role; the roles are " + ", ".join(Role.values) + "."
            )
        mapping.setdefault(group, set()).add(role)
    return mapping
