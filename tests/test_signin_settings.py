"""The sign-in settings as each settings module reads them: passwords, sessions, lockout and 2FA.

Settings are read once, at import, so each case runs in a fresh Python process (see tests/test_settings.py).
"""

import json

import pytest

from tests.test_settings import error_line, production_environment, run_python

PRINT = """
import json
import django
django.setup()
from django.conf import settings
from django.contrib.auth.hashers import get_hasher
validators = settings.AUTH_PASSWORD_VALIDATORS
print(json.dumps({
    "hasher": get_hasher().algorithm,
    "hasher_class": settings.PASSWORD_HASHERS[0],
    "require_2fa": settings.REQUIRE_2FA,
    "limits": [settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_COOLOFF_MINUTES, settings.AXES_FAILURE_LIMIT,
               settings.SESSION_IDLE_SECONDS, settings.SESSION_MAX_SECONDS],
    "min_length": [v.get("OPTIONS") for v in validators if "MinimumLength" in v["NAME"]][0],
}))
"""


def read_settings(settings_module, **environment):
    result = run_python(["-c", PRINT], settings_module=settings_module, **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("module", ["base", "local"])
def test_passwords_are_hashed_with_argon2_and_need_12_characters(module):
    read = read_settings(f"focuspolicy.settings.{module}")

    assert read["hasher"] == "argon2"
    assert read["hasher_class"] == "people.hashers.FocusArgon2PasswordHasher"
    assert read["min_length"] == {"min_length": 12}


def test_production_hashes_with_argon2(tmp_path):
    read = read_settings("focuspolicy.settings.production", **production_environment(tmp_path))

    assert read["hasher"] == "argon2"
    assert read["min_length"] == {"min_length": 12}


def test_production_asks_for_a_second_factor_and_development_does_not(tmp_path):
    assert read_settings("focuspolicy.settings.production", **production_environment(tmp_path))["require_2fa"]
    assert read_settings("focuspolicy.settings.base")["require_2fa"]
    assert not read_settings("focuspolicy.settings.local")["require_2fa"]
    assert not read_settings("focuspolicy.settings.test")["require_2fa"]


@pytest.mark.parametrize("module", ["local", "test", "production"])
def test_the_sign_in_settings_have_their_defaults_and_come_from_the_environment(module, tmp_path):
    environment = production_environment(tmp_path) if module == "production" else {}

    default = read_settings(f"focuspolicy.settings.{module}", **environment)
    changed = read_settings(
        f"focuspolicy.settings.{module}",
        **environment,
        REQUIRE_2FA="true" if module != "production" else "false",
        LOGIN_FAILURE_LIMIT="5",
        LOGIN_COOLOFF_MINUTES="30",
        SESSION_IDLE_SECONDS="600",
        SESSION_MAX_SECONDS="7200",
    )

    assert default["limits"] == [10, 15, 10, 1800, 36000]
    assert changed["limits"] == [5, 30, 5, 600, 7200]
    assert changed["require_2fa"] != default["require_2fa"]


PRINT_OIDC = """
import json
import django
django.setup()
from django.conf import settings
print(json.dumps({
    "enabled": settings.OIDC_ENABLED,
    "backends": settings.AUTHENTICATION_BACKENDS,
    "role_map": {group: sorted(roles) for group, roles in settings.OIDC_ROLE_MAP.items()},
    "create_users": [settings.OIDC_CREATE_USERS, settings.OIDC_CREATE_USER],
}))
"""
OIDC_ENVIRONMENT = {
    "OIDC_RP_CLIENT_ID": "focuspolicy",
    "OIDC_RP_CLIENT_SECRET": "a-secret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://id.focus.example/auth",
    "OIDC_OP_TOKEN_ENDPOINT": "https://id.focus.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://id.focus.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://id.focus.example/certs",
}


def read_oidc(**environment):
    result = run_python(["-c", PRINT_OIDC], settings_module="focuspolicy.settings.test", **environment)
    return result, (json.loads(result.stdout.strip().splitlines()[-1]) if result.returncode == 0 else None)


def test_oidc_is_off_and_adds_no_backend_without_its_settings():
    result, read = read_oidc()

    assert read["enabled"] is False
    assert "signin.oidc.ProviderBackend" not in read["backends"]
    assert read["create_users"] == [False, False]


def test_oidc_is_on_with_its_settings_and_reads_the_role_map():
    result, read = read_oidc(
        **OIDC_ENVIRONMENT,
        OIDC_ROLE_MAP="focus-supervisors=Supervisor, focus-gov=Head of Business and Governance,focus-gov=HR",
    )

    assert read["enabled"] is True
    assert read["backends"][-1] == "signin.oidc.ProviderBackend"
    assert read["role_map"] == {
        "focus-supervisors": ["Supervisor"],
        "focus-gov": ["HR", "Head of Business and Governance"],
    }


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        (
            {"OIDC_RP_CLIENT_ID": "focuspolicy"},
            "missing OIDC_RP_CLIENT_SECRET, OIDC_OP_AUTHORIZATION_ENDPOINT",
        ),
        ({**OIDC_ENVIRONMENT, "OIDC_OP_JWKS_ENDPOINT": ""}, "missing OIDC_OP_JWKS_ENDPOINT"),
        ({**OIDC_ENVIRONMENT, "OIDC_ROLE_MAP": "focus-hr"}, "OIDC_ROLE_MAP: 'focus-hr' is not group=Role"),
        ({**OIDC_ENVIRONMENT, "OIDC_ROLE_MAP": "focus-x=Superuser"}, "'Superuser' is not a role"),
        ({"OIDC_ONLY": "true"}, "OIDC_ONLY is set but OIDC is not configured"),
    ],
)
def test_a_partial_or_malformed_oidc_configuration_stops_start_up_naming_it(environment, message):
    result, _ = read_oidc(**environment)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in error_line(result) and message in error_line(result)


def test_hs256_needs_no_jwks_endpoint():
    result, read = read_oidc(
        **{**OIDC_ENVIRONMENT, "OIDC_OP_JWKS_ENDPOINT": "", "OIDC_RP_SIGN_ALGO": "HS256"}
    )

    assert read["enabled"] is True
