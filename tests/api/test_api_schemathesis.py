"""Property-based tests of the whole API against its own schema (schemathesis).

Requests go through the Django WSGI application in the test's thread, so they see the test's database
transaction and its data. Each operation gets a bounded number of generated examples: no answer may be a
server error, and every answer must match what the schema says (status, content type, body).
"""

import json

import pytest
import schemathesis
from django.contrib.auth.models import Group
from django.core import signals
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.config import OperationConfig

from api.tokens import api_token_create
from focuspolicy.wsgi import application
from people.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Django's WSGI handler closes old database connections around each request, which on PostgreSQL
    would close the connection holding the test's transaction. Its test client does the same as this."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def caller(world):
    """One person who sees the most of every operation, so that each runs once: the Head of Business and
    Governance (every case, the draft they own) who for this test is in HR too (every record)."""
    governance = world["people"]["governance"]
    governance.groups.add(Group.objects.get(name=Role.HR))
    return governance


@pytest.fixture
def token(caller):
    return api_token_create(user=caller, name="schemathesis")[1]


# Generated when the module is collected, as /api/schema/ serves it to anyone signed in (it is refused
# without credentials, and signing in needs the database); generating it touches no database table.
schema = schemathesis.openapi.from_dict(
    json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
)
schema.app = application
schema.location = "/api/schema/?format=json"
# Strings with NUL bytes cannot reach a URL or a database text column; the filters refuse them.
schema.config.generation.update(allow_x00=False)
# The case and record lists take the same filters as their pages, and whether a clause number or a team
# fits depends on the data (a clause that the list cites, a team that exists), as does a range that ends
# before it starts: the schema cannot say so, and there a 400 that names the filter is a right answer to a
# request that keeps to the schema. Every other check still applies to them.
schema.config.operations.operations.append(
    OperationConfig.from_dict(
        {
            "include-path-regex": r"^/api/v1/(cases|disciplinary-records)/$",
            "checks": {
                "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404"]}
            },
        }
    )
)


@schema.parametrize()
@settings(
    # Schemathesis' coverage phase already sends, for every operation, each boundary and each invalid value
    # its schema defines (max_examples does not limit it); a few random examples on top are enough.
    max_examples=5,
    deadline=None,
    database=None,
    derandomize=True,
    # The caller and their token are set up once per operation, not per example (the world of
    # tests/api/conftest.py once for the module): that is intended.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_schema(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"})


# Generated references rarely name a real case or record: ask for real ones too, and check the answers.
DETAILS = [
    ("/api/v1/policies/{slug}/", "slug", lambda world: "social-media-policy"),
    ("/api/v1/versions/{id}/", "id", lambda world: str(world["draft_v2"].pk)),
    ("/api/v1/clauses/{id}/", "id", lambda world: str(world["draft_v2"].clauses().first().pk)),
    ("/api/v1/cases/{reference}/", "reference", lambda world: world["cases"]["breach"].reference),
    ("/api/v1/cases/{reference}/", "reference", lambda world: world["cases"]["public"].reference),
    (
        "/api/v1/disciplinary-records/{reference}/",
        "reference",
        lambda world: world["records"]["about_staff2"].reference,
    ),
]


@pytest.mark.parametrize(("path", "name", "value"), DETAILS)
def test_real_objects_keep_to_the_schema(path, name, value, world):
    people = world["people"]
    caller = people["hr"] if "disciplinary" in path else people["governance"]
    case = schema[path]["GET"].Case(path_parameters={name: value(world)})
    response = case.call_and_validate(
        headers={"Authorization": f"Token {api_token_create(user=caller, name='schemathesis')[1]}"}
    )
    assert response.status_code == 200
