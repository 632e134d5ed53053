"""Real-browser tests: Playwright (sync API) driving Debian's chromium against pytest-django's live_server.

Playwright's sync API keeps an asyncio event loop running in the test thread, so Django would refuse
database access from the test itself (SynchronousOnlyOperation) without DJANGO_ALLOW_ASYNC_UNSAFE.
"""

import io
import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect, sync_playwright

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = settings.BASE_DIR / "test-artifacts"
BLOCKING_IMPACTS = {"serious", "critical"}
DEMO_PASSWORD = "focus-demo-2026"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so the page fixture knows whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context_options():
    """Options for the page's browser context; a module overrides it (a phone's viewport, say)."""
    return {}


@pytest.fixture
def page(request, browser, live_server, context_options):
    """A fresh browser context and page for each test; a screenshot in test-artifacts/ if it fails."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB", **context_options)
    context.set_default_timeout(5_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::")[-1])
        page.screenshot(path=str(Path(ARTIFACTS, f"{name}.png")), full_page=True)
    context.close()


@pytest.fixture
def demo(transactional_db):
    """The demo organisation (seed_demo): two teams, one account per role, the approved policy."""
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core on the page as it is now; fail listing every serious or critical violation."""

    def check(page):
        results = axe.run(page)
        problems = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
        lines = [
            f"- {v['id']} ({v['impact']}): {v['help']}\n"
            f"    targets: {', '.join(' '.join(node['target']) for node in v['nodes'])}"
            for v in problems
        ]
        if problems:
            pytest.fail(f"Accessibility problems on {page.url}:\n" + "\n".join(lines), pytrace=False)

    return check


@pytest.fixture
def log_in(page):
    """Log in through the real login form (its accessibility is checked in the keyboard test)."""

    def do_log_in(username, password=DEMO_PASSWORD):
        page.goto("/accounts/login/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
        page.get_by_label("Username", exact=True).fill(username)
        page.get_by_label("Password", exact=True).fill(password)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()

    return do_log_in


@pytest.fixture
def log_out(page):
    def do_log_out():
        page.get_by_role("button", name="Log out").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Log in")

    return do_log_out
