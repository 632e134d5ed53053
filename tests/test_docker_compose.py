"""docker-compose.yml is valid against the Compose Specification and wires up the production stack.

The schema is vendored as tests/schemas/compose-spec.json (schema/compose-spec.json from the
compose-spec/compose-spec repository) because the tests run without internet access.
"""

import copy
import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((Path(__file__).parent / "schemas" / "compose-spec.json").read_text())


def schema_errors(compose):
    validator = Draft7Validator(SCHEMA)
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
        for error in validator.iter_errors(compose)
    ]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_the_vendored_schema_is_a_valid_draft_7_schema():
    Draft7Validator.check_schema(SCHEMA)


def test_docker_compose_yml_matches_the_compose_specification(compose):
    assert schema_errors(compose) == []


def test_the_schema_check_catches_a_broken_file(compose):
    broken = copy.deepcopy(compose)
    broken["services"]["web"]["helthcheck"] = broken["services"]["web"].pop("healthcheck")
    broken["services"]["redis"]["depends_on"] = {"postgres": {"condition": "when_ready"}}
    broken["volumes"] = ["uploads"]

    errors = schema_errors(broken)

    assert any(error.startswith("services/web:") and "helthcheck" in error for error in errors), errors
    assert any(error.startswith("services/redis/depends_on") for error in errors), errors
    assert any(error.startswith("volumes:") for error in errors), errors


def test_it_has_no_obsolete_version_key(compose):
    assert "version" not in compose


def test_it_runs_the_app_with_postgres_redis_and_celery(compose):
    assert set(compose["services"]) == {"web", "worker", "beat", "postgres", "redis"}
    assert "celery -A focuspolicy worker" in compose["services"]["worker"]["command"]
    assert "django_celery_beat.schedulers:DatabaseScheduler" in compose["services"]["beat"]["command"]
    assert "migrate --noinput" in " ".join(compose["services"]["web"]["command"])


@pytest.mark.parametrize("service", ["postgres", "redis", "web", "worker"])
def test_service_has_a_healthcheck(compose, service):
    assert compose["services"][service]["healthcheck"]["test"]


@pytest.mark.parametrize("service", ["web", "worker", "beat"])
def test_app_services_wait_for_healthy_dependencies(compose, service):
    depends_on = compose["services"][service]["depends_on"]
    assert "redis" in depends_on
    assert {dependency["condition"] for dependency in depends_on.values()} == {"service_healthy"}


@pytest.mark.parametrize("service", ["web", "worker"])
def test_uploads_volume_is_mounted_at_media_root(compose, service):
    assert "uploads" in compose["volumes"]
    assert "uploads:/app/var/uploads" in compose["services"][service]["volumes"]


@pytest.mark.parametrize("service", ["web", "worker", "beat"])
def test_app_services_use_production_settings_and_require_a_secret_key(compose, service):
    environment = compose["services"][service]["environment"]
    assert environment["DJANGO_SETTINGS_MODULE"] == "focuspolicy.settings.production"
    assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
