"""The API's documentation pages (Swagger UI and Redoc) have no serious or critical axe-core findings.

They run under the Content Security Policy as in use (tests/browser/test_content_security_policy.py checks
that the browser refuses nothing), so the colours, settings and templates checked here are what people get.
"""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_swagger_ui_is_accessible(page, demo, log_in, assert_accessible):
    log_in("governance")
    page.goto("/api/docs/")
    expect(page.get_by_role("heading", name="focuspolicy API")).to_be_visible()
    expect(page.get_by_text("/api/v1/cases/{reference}/").first).to_be_visible()
    assert_accessible(page)

    # An operation opened and tried: its parameters, examples, and the server's response.
    page.get_by_role("button", name="GET /api/v1/cases/{reference}/ One case").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_placeholder("reference").fill("NO-SUCH-CASE")
    page.get_by_role("button", name="Execute").click()
    expect(page.get_by_text("Server response")).to_be_visible()
    expect(page.get_by_role("button", name="Download")).to_be_visible()
    assert_accessible(page)


def test_redoc_is_accessible(page, demo, log_in, assert_accessible):
    log_in("governance")
    page.goto("/api/redoc/")
    expect(page.get_by_role("heading", name="focuspolicy API")).to_be_visible()
    # The responses of each operation, coloured by Redoc's theme (REDOC_UI_SETTINGS).
    expect(page.get_by_text("No such object, or not one you may see", exact=False).first).to_be_visible()
    assert_accessible(page)
