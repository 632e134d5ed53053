"""The base set of people every test can ask for, by their part in the policy (each made by its recipe in
tests/factories.py), the policy, and cases."""

import functools
import io
import json
import logging

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from tests.factories import (
    OTHER_TEAM,
    SEED,
    TEAM,
    TeamFactory,
    case_moved_to,
    case_raised,
    concern_about_colleague,
    make_administrator,
    make_comms,
    make_draft_v2,
    make_governance,
    make_head_of_service,
    make_hr,
    make_infosec,
    make_outsider,
    make_policy,
    make_second_governance_head,
    make_staff,
    make_supervisor,
)


@pytest.fixture
def json_logs():
    """json_logs(): every line logged so far, at INFO and above, as the production settings write it
    (core.logs' JSON formatter and request id filter), parsed; json_logs.text(), the lines as written;
    json_logs.clear() forgets them; json_logs.handler is the handler, for a test that has to add it again."""
    from core.logs import JsonFormatter, RequestIdFilter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)

    def lines():
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    lines.text = lambda: stream.getvalue()
    lines.clear = lambda: (stream.seek(0), stream.truncate())
    lines.handler = handler
    yield lines
    root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture
def team():
    return TeamFactory(name=TEAM)


@pytest.fixture
def other_team():
    return TeamFactory(name=OTHER_TEAM)


@pytest.fixture
def head_of_service(db, team, other_team):
    return make_head_of_service([team, other_team])


@pytest.fixture
def governance(db):
    return make_governance()


@pytest.fixture
def supervisor(db, team, head_of_service):
    return make_supervisor(team, head_of_service)


@pytest.fixture
def other_supervisor(db, other_team, head_of_service):
    return make_supervisor(other_team, head_of_service, username="supervisor2")


@pytest.fixture
def staff(db, team, supervisor):
    return make_staff(team, supervisor)


@pytest.fixture
def other_staff(db, other_team, other_supervisor):
    return make_staff(other_team, other_supervisor, username="staff2")


@pytest.fixture
def hr(db):
    return make_hr()


@pytest.fixture
def other_hr(db):
    """A second HR officer."""
    return make_hr(username="hr2")


@pytest.fixture
def second_governance_head(db):
    """A second Head of Business and Governance: told, as the first is, of what every governance head is."""
    return make_second_governance_head()


@pytest.fixture
def administrator(db):
    return make_administrator()


@pytest.fixture
def outsider(db):
    """Staff with no relation to anything under test."""
    return make_outsider()


@pytest.fixture
def comms(db):
    """The Central Business Unit Digital Information Team (CBUCP)."""
    return make_comms()


@pytest.fixture
def infosec(db):
    """The Head of Information & Security."""
    return make_infosec()


@pytest.fixture
def policy_text():
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def policy(db, governance, policy_text):
    """The Social Media Policy, imported and approved, owned by the Head of Business and Governance."""
    return make_policy(governance, policy_text)


@pytest.fixture
def draft_v2(policy, policy_text):
    """A second text of the policy, still a draft: 5.3 reworded and a new clause 10.3."""
    return make_draft_v2(policy_text)


@pytest.fixture
def raise_case(policy):
    """raise_case(reporter, **fields): a concern raised through the service, as the form would."""
    return functools.partial(case_raised, policy)


@pytest.fixture
def move_to(governance):
    """move_to(case, stage): make the moves that take the case there, each by the person allowed."""
    return functools.partial(case_moved_to, governance=governance)


@pytest.fixture
def case_about_colleague(policy, staff, other_staff, governance):
    """`staff` reports `staff2`'s posting; it goes to staff's supervisor."""
    return concern_about_colleague(policy, staff, other_staff)


# --- Data sets built once for a module or a class of tests.


@pytest.fixture(scope="session")
def build_once(django_db_setup, django_db_blocker):
    """For a module- or class-scoped fixture: `yield from build_once(make)` calls make() once, inside a
    transaction that is rolled back when the module (or class) is done, and yields what it returns. Each test
    runs in a savepoint within that transaction (pytest.mark.django_db), so what a test changes is undone
    before the next."""

    def _build(make):
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            try:
                made = make()
            except BaseException:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
                raise
        try:
            yield made
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)

    return _build


def pytest_collection_modifyitems(config, items):
    """Tests marked scaleout start servers and a database of their own: they run only when asked for by
    name (pytest -m scaleout), never with the suite, whatever other -m expression bin/test is given."""
    if "scaleout" in (config.option.markexpr or ""):
        return
    kept = [item for item in items if item.get_closest_marker("scaleout") is None]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


@pytest.fixture
def latest_schema_after():
    """For a test that migrates back and forth: going back also undoes every later migration that depends on
    the one it goes back to, so afterwards the whole schema is put back for the tests that follow."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def redis_server():
    """A Redis of the test's own on a free port, running; .stop() and .start() it (tests/redis_server.py)."""
    from tests.redis_server import RedisServer

    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def process_cache(settings):
    """The web processes' own cache ("process"), which the test settings leave empty: a real one, cleared
    before and after the test, for a test of what a process keeps."""
    settings.CACHES = {
        **settings.CACHES,
        "process": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"},
    }
    caches["process"].clear()
    yield caches["process"]
    caches["process"].clear()
