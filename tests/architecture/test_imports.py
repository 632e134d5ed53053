"""The apps depend on each other in one direction (docs/architecture.md), computed from the source."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOT_APPS = {"tests", "benchmarks"}
PACKAGES = sorted(path.parent.name for path in ROOT.glob("*/__init__.py") if path.parent.name not in NOT_APPS)


def _modules(package):
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" not in path.relative_to(ROOT).parts:
            yield path


def _imported_packages(path):
    """The first-party packages a module imports, anywhere in it (inside functions too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & set(PACKAGES)
    return found


def import_graph():
    """{package: {package it imports: [modules that do]}}, without a package's imports of itself."""
    graph = {package: {} for package in PACKAGES}
    for package in PACKAGES:
        for path in _modules(package):
            for imported in _imported_packages(path) - {package}:
                graph[package].setdefault(imported, []).append(str(path.relative_to(ROOT)))
    return graph


def find_cycle(graph):
    """One cycle as a list of packages (the first repeated at the end), or None."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, {})):
            if state.get(nxt) == "open":
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_find_cycle_finds_one_and_only_one():
    assert find_cycle({"a": {"b": []}, "b": {"c": []}, "c": {"a": []}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b": []}, "b": {"c": []}, "c": {}}) is None


def test_the_apps_import_each_other_without_a_cycle():
    graph = import_graph()
    cycle = find_cycle(graph)
    if cycle:
        edges = [f"{a} -> {b}: {', '.join(graph[a][b])}" for a, b in zip(cycle, cycle[1:], strict=False)]
        pytest.fail("Import cycle between apps:\n" + "\n".join(edges))


@pytest.mark.parametrize(
    "package, forbidden",
    [
        # Shared pieces and the lowest layers know no domain app.
        ("core", set(PACKAGES) - {"core"}),
        ("people", set(PACKAGES) - {"people", "core"}),
        # The timer engine is generic: each domain app registers its own timers with it.
        (
            "reminders",
            {"cases", "policies", "business_use", "discipline", "audit", "api", "reports", "dataprotection"},
        ),
        (
            "notifications",
            {
                "reminders",
                "cases",
                "policies",
                "business_use",
                "discipline",
                "api",
                "reports",
                "dataprotection",
            },
        ),
        # The project package sits on top: it may import every app, and no app imports it.
        *[(package, {"focuspolicy"}) for package in PACKAGES if package != "focuspolicy"],
    ],
)
def test_a_lower_layer_imports_nothing_above_it(package, forbidden):
    wrong = {imported: where for imported, where in import_graph()[package].items() if imported in forbidden}
    assert not wrong, f"{package} imports {wrong}"


def _lines(path):
    return len(path.read_text().splitlines())


def test_no_first_party_module_is_over_600_lines():
    long = {
        str(path.relative_to(ROOT)): _lines(path)
        for package in PACKAGES
        for path in _modules(package)
        if _lines(path) > 600
    }
    assert not long


def test_no_test_module_is_over_900_lines():
    long = {
        str(path.relative_to(ROOT)): _lines(path)
        for path in (ROOT / "tests").rglob("*.py")
        if _lines(path) > 900
    }
    assert not long
