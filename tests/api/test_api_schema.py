"""The OpenAPI schema validates, drf-spectacular generates it without a warning, and the documentation
pages load nothing from outside the app."""

import json
import re
from pathlib import Path

import drf_spectacular.validation
import jsonschema
import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

META_SCHEMA = Path(drf_spectacular.validation.__file__).parent / "openapi_3_0_schema.json"
OPERATIONS = {
    "/api/v1/policies/",
    "/api/v1/policies/{slug}/",
    "/api/v1/versions/",
    "/api/v1/versions/{id}/",
    "/api/v1/clauses/",
    "/api/v1/clauses/{id}/",
    "/api/v1/cases/",
    "/api/v1/cases/{reference}/",
    "/api/v1/my-concerns/",
    "/api/v1/disciplinary-records/",
    "/api/v1/disciplinary-records/{reference}/",
}


@pytest.fixture
def served_schema(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_served_schema_is_valid_openapi_3(served_schema):
    assert served_schema["openapi"].startswith("3.0")
    meta_schema = json.loads(META_SCHEMA.read_text())
    jsonschema.validate(served_schema, meta_schema, cls=jsonschema.Draft4Validator)


def test_the_schema_has_every_operation_read_only(served_schema):
    assert set(served_schema["paths"]) == OPERATIONS
    for path, item in served_schema["paths"].items():
        assert set(item) == {"get"}, path
        assert {"200", "401", "404"} <= set(item["get"]["responses"]), path


def test_a_broken_schema_would_be_caught(served_schema):
    """The validation above can fail: an operation without its responses is refused."""
    del served_schema["paths"]["/api/v1/cases/"]["get"]["responses"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            served_schema, json.loads(META_SCHEMA.read_text()), cls=jsonschema.Draft4Validator
        )


def test_spectacular_generates_and_validates_it_without_a_warning(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/v1/cases/{reference}/" in out.read_text()


def local_addresses(html):
    """Every address an HTML page loads or links to."""
    return re.findall(r'(?:src|href|spec-url)="([^"]+)"', html)


@pytest.mark.parametrize("page", ["api:docs", "api:redoc"])
def test_the_docs_load_only_our_own_static_files(client, outsider, page):
    client.force_login(outsider)
    response = client.get(reverse(page))
    assert response.status_code == 200
    html = response.content.decode()
    assert "://" not in html, "the page names an address outside the app"
    addresses = local_addresses(html)
    assert addresses
    for address in addresses:
        if address in (reverse("api:schema"), reverse("api:docs") + "?script="):
            continue
        assert address.startswith("/static/"), address
        assert finders.find(address.removeprefix("/static/")), address


def test_swagger_ui_does_not_send_the_schema_to_its_online_validator(client, outsider):
    client.force_login(outsider)
    script = client.get(reverse("api:docs"), {"script": ""}).content.decode()
    assert '"validatorUrl": null' in script
