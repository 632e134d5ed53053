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
    broken["services"]["web-a"]["helthcheck"] = broken["services"]["web-a"].pop("healthcheck")
    broken["services"]["redis"]["depends_on"] = {"postgres": {"condition": "when_ready"}}
    broken["volumes"] = ["postgres-data"]

    errors = schema_errors(broken)

    assert any(error.startswith("services/web-a:") and "helthcheck" in error for error in errors), errors
    assert any(error.startswith("services/redis/depends_on") for error in errors), errors
    assert any(error.startswith("volumes:") for error in errors), errors


def test_it_has_no_obsolete_version_key(compose):
    assert "version" not in compose


APP_SERVICES = ["web-a", "web-b", "worker-a", "worker-b", "beat"]


def test_it_runs_two_web_containers_behind_a_proxy_two_workers_one_beat_and_the_shared_services(compose):
    assert set(compose["services"]) == {
        "proxy",
        "web-a",
        "web-b",
        "worker-a",
        "worker-b",
        "beat",
        "migrate",
        "postgres",
        "redis",
        "minio",
        "minio-init",
        "clamav",
        "keycloak",
    }
    for worker in ("worker-a", "worker-b"):
        assert "celery -A focuspolicy worker" in compose["services"][worker]["command"]
    assert "django_celery_beat.schedulers:DatabaseScheduler" in compose["services"]["beat"]["command"]


def test_migrations_run_once_in_a_one_shot_service_that_the_app_waits_for(compose):
    assert compose["services"]["migrate"]["command"] == "python manage.py migrate --noinput"
    assert compose["services"]["migrate"]["restart"] == "no"
    for service in APP_SERVICES:
        command = compose["services"][service]["command"]
        assert "migrate" not in (command if isinstance(command, str) else " ".join(command))
        assert compose["services"][service]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }


@pytest.mark.parametrize("service", ["web-a", "web-b"])
def test_web_containers_use_threaded_gunicorn_workers_and_publish_no_port(compose, service):
    command = " ".join(compose["services"][service]["command"])
    # A sync worker is killed mid-stream once a long export passes --timeout; a gthread worker is not.
    assert "--worker-class gthread" in command
    assert "ports" not in compose["services"][service]


def test_the_proxy_is_the_only_way_in_and_sends_to_both_web_containers(compose):
    proxy = compose["services"]["proxy"]
    published = [services for name, services in compose["services"].items() if "ports" in services]
    # The demo identity provider (--profile oidc) is published too, on the host's loopback alone.
    assert published == [proxy, compose["services"]["keycloak"]]
    assert all(port.startswith("127.0.0.1:") for port in compose["services"]["keycloak"]["ports"])
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "reverse_proxy web-a:8000 web-b:8000" in caddyfile
    assert "flush_interval -1" in caddyfile
    assert set(proxy["depends_on"]) == {"web-a", "web-b"}


@pytest.mark.parametrize("service", ["postgres", "redis", "minio", "web-a", "web-b", "worker-a", "worker-b"])
def test_service_has_a_healthcheck(compose, service):
    assert compose["services"][service]["healthcheck"]["test"]


@pytest.mark.parametrize("service", ["web-a", "web-b"])
def test_web_containers_are_healthy_when_ready_to_serve(compose, service):
    check = " ".join(compose["services"][service]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/readyz/" in check


@pytest.mark.parametrize("service", ["worker-a", "worker-b"])
def test_workers_are_healthy_while_they_touch_their_alive_file(compose, service):
    worker = compose["services"][service]
    assert worker["environment"]["CELERY_WORKER_ALIVE_FILE"].startswith("/tmp/")  # noqa: S108 - the tmpfs
    assert "/tmp" in worker["tmpfs"]  # noqa: S108
    assert 'os.path.getmtime(os.environ["CELERY_WORKER_ALIVE_FILE"]) > 60' in " ".join(
        worker["healthcheck"]["test"]
    )


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_wait_for_a_migrated_database_the_bucket_and_redis(compose, service):
    depends_on = compose["services"][service]["depends_on"]
    assert depends_on["postgres"] == {"condition": "service_healthy"}
    assert depends_on["redis"] == {"condition": "service_healthy"}
    assert depends_on["minio-init"] == {"condition": "service_completed_successfully"}


def test_the_bucket_is_made_private_before_the_app_starts(compose):
    init = " ".join(compose["services"]["minio-init"]["command"])
    assert 'mc mb --ignore-existing "store/$$BUCKET"' in init
    assert 'mc anonymous set none "store/$$BUCKET"' in init
    assert compose["services"]["minio-init"]["depends_on"] == {"minio": {"condition": "service_healthy"}}


def test_no_app_service_keeps_files_of_its_own(compose):
    for service in APP_SERVICES:
        assert "volumes" not in compose["services"][service]
    assert "uploads" not in compose["volumes"]


@pytest.mark.parametrize("service", ["migrate", *APP_SERVICES])
def test_app_services_use_production_settings_and_require_a_secret_key(compose, service):
    environment = compose["services"][service]["environment"]
    assert environment["DJANGO_SETTINGS_MODULE"] == "focuspolicy.settings.production"
    assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert environment["EVIDENCE_ENCRYPTION_KEY"].startswith("${EVIDENCE_ENCRYPTION_KEY:?")
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert environment["REDIS_URL"] == "redis://redis:6379/0"


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_share_the_object_store_and_trust_exactly_the_one_proxy(compose, service):
    environment = compose["services"][service]["environment"]
    assert environment["AWS_STORAGE_BUCKET_NAME"] == "${S3_BUCKET:-focuspolicy-evidence}"
    assert environment["AWS_S3_ENDPOINT_URL"] == "http://minio:9000"
    assert environment["AWS_SECRET_ACCESS_KEY"].startswith("${S3_SECRET_KEY:?")
    assert environment["TRUSTED_PROXY_COUNT"] == "1"


def test_postgres_is_tuned_for_ssd_and_memory(compose):
    settings = dict(item.split("=", 1) for item in compose["services"]["postgres"]["command"] if "=" in item)
    assert settings["random_page_cost"] == "1.1"
    for name in ("shared_buffers", "effective_cache_size", "work_mem", "max_connections"):
        assert name in settings


def test_clamd_runs_only_with_its_profile_and_the_app_scans_when_told_where_it_is(compose):
    clamav = compose["services"]["clamav"]
    assert clamav["profiles"] == ["clamav"]
    assert clamav["image"].startswith("clamav/clamav:")
    assert clamav["healthcheck"]["test"]
    assert "ports" not in clamav  # reached by the app containers only
    environment = compose["x-app-environment"]
    assert environment["CLAMAV_HOST"] == "${CLAMAV_HOST:-}"
    assert environment["CLAMAV_PORT"] == "${CLAMAV_PORT:-3310}"


@pytest.mark.parametrize("service", ["migrate", *APP_SERVICES])
def test_uploads_are_spooled_in_memory_never_to_a_disk(compose, service):
    assert compose["services"][service]["tmpfs"] == ["/tmp"]  # noqa: S108 - the containers' own /tmp


@pytest.mark.parametrize("service", ["web-a", "web-b"])
def test_no_log_keeps_a_client_address_or_user_agent(compose, service):
    """Anonymous reporting keeps neither (README, "Anonymous reporting"): gunicorn writes no access log,
    and its format has neither should one be turned on; Caddy writes no access log and filters both out
    of its own logs."""
    assert "--config gunicorn.conf.py" in " ".join(compose["services"][service]["command"])
    settings = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), settings)  # noqa: S102 - our own file
    assert settings["accesslog"] is None
    assert all(part not in settings["access_log_format"] for part in ("%(h)s", "%(a)s", "%(f)s"))
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    for field in (
        "request>remote_ip delete",
        "request>client_ip delete",
        "request>headers>User-Agent delete",
    ):
        assert field in caddyfile
    site = caddyfile[caddyfile.index("{$SITE_ADDRESS") :]
    assert "\tlog" not in site  # no access log


def test_keycloak_runs_only_with_its_profile_and_the_app_signs_in_with_it_only_when_told(compose):
    keycloak = compose["services"]["keycloak"]
    assert keycloak["profiles"] == ["oidc"]
    assert keycloak["image"].startswith("quay.io/keycloak/keycloak:")
    assert keycloak["command"][:2] == ["start-dev", "--import-realm"]
    assert "./deploy/keycloak:/opt/keycloak/data/import:ro" in keycloak["volumes"]
    assert keycloak["healthcheck"]["test"]
    environment = compose["x-app-environment"]
    for name in ("OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET", "OIDC_OP_TOKEN_ENDPOINT", "OIDC_ROLE_MAP"):
        assert environment[name] == f"${{{name}:-}}"  # empty unless set: OIDC is off
    assert environment["OIDC_CREATE_USERS"] == "${OIDC_CREATE_USERS:-false}"


def test_the_demo_realm_has_the_client_the_groups_of_the_role_map_and_two_people():
    from signin.oidc_config import oidc_role_map

    realm = json.loads((ROOT / "deploy" / "keycloak" / "focus-realm.json").read_text())
    compose_text = (ROOT / "docker-compose.yml").read_text()
    documented = compose_text.split("OIDC_ROLE_MAP=", 1)[1].splitlines()[0]
    (client,) = realm["clients"]
    assert client["clientId"] == "focuspolicy" and not client["publicClient"]
    assert f"OIDC_RP_CLIENT_SECRET={client['secret']}" in compose_text
    assert "https://localhost/oidc/callback/" in client["redirectUris"]
    (mapper,) = client["protocolMappers"]
    assert mapper["protocolMapper"] == "oidc-group-membership-mapper"
    assert mapper["config"]["claim.name"] == "groups" and mapper["config"]["userinfo.token.claim"] == "true"
    groups = {group["name"] for group in realm["groups"]}
    assert set(oidc_role_map(documented)) == groups
    people = {person["username"]: person for person in realm["users"]}
    assert len(people) == 2
    for person in people.values():
        assert person["emailVerified"] and {g.lstrip("/") for g in person["groups"]} <= groups
