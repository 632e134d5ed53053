"""The sign-in settings as each settings module reads them: passwords, sessions, lockout and 2FA.

Settings are read once, at import, so each case runs in a fresh Python process (see tests/test_settings.py).
"""

import json

import pytest

from tests.test_settings import production_environment, run_python

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
