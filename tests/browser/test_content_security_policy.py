"""The pages work under the Content Security Policy: the browser refuses nothing they load or run."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def csp_refusals(page):
    """Collect every message in which the browser says it refused something under the policy."""
    refused = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return refused


def test_swagger_ui_runs_under_the_policy(page, demo, log_in):
    refused = csp_refusals(page)

    log_in("governance")
    page.goto("/api/docs/")

    expect(page.get_by_role("heading", name="focuspolicy API")).to_be_visible()
    expect(page.get_by_text("/api/v1/cases/{reference}/").first).to_be_visible()
    assert refused == []


def test_redoc_runs_under_the_policy(page, demo, log_in):
    refused = csp_refusals(page)

    log_in("governance")
    page.goto("/api/redoc/")

    expect(page.get_by_role("heading", name="focuspolicy API")).to_be_visible()
    # Redoc's menu shows its makers' logo from their CDN: the policy keeps it out, as it should.
    assert [text for text in refused if "https://cdn.redoc.ly/" not in text] == []


def test_the_case_pages_run_under_the_policy(page, demo, log_in):
    refused = csp_refusals(page)

    log_in("governance")
    page.goto("/cases/raise/")
    page.goto("/reports/")

    assert refused == []
