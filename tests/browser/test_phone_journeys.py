"""Each role's working day on a phone, 375 px wide: its home queue, a case list, a case (or request) it may
open and the forms it uses. On every page nothing scrolls sideways, axe-core finds no serious problem and
each cell of a stacked table is labelled with its column's heading; then, with JavaScript off, the folded
menu opens from the keyboard and takes the person to another page.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cases.breach import breach_flag
from cases.models import Case
from cases.workflow import Stage
from people.models import User
from policies.models import Policy
from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.pages import h1
from tests.factories import case_raised

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 800}}
CASE = re.compile(r"^(Case|Your concern) SMP-\d{4}-\d{4}$")
FIRST_ROW = "open the first row"

# role: [(where, the heading of the page)]; where is a URL name, or FIRST_ROW: the link of the first row of
# the first table on the page before (a queue or a list).
JOURNEYS = {
    "staff": [
        ("home", "Welcome, Alex"),
        ("cases:raise", "Raise a concern about social media"),
        ("cases:my_reports", "My concerns"),
        (FIRST_ROW, CASE),
        ("business_use:choose", "New business use request"),
    ],
    "supervisor": [
        ("home", "Welcome, Sam"),
        ("cases:triage_queue", "My triage queue"),
        (FIRST_ROW, CASE),
        ("business_use:list", "Business use of social media"),
    ],
    "headofservice": [
        ("home", "Welcome, Harun"),
        (FIRST_ROW, CASE),
        ("cases:triage_queue", "My triage queue"),
    ],
    "governance": [
        ("home", "Welcome, Grace"),
        ("cases:governance_queue", "Governance queue"),
        ("cases:all", "All cases"),
        (FIRST_ROW, CASE),
        ("reports:index", "Reports"),
    ],
    "hr": [
        ("home", "Welcome, Hannah"),
        ("cases:referrals", "Disciplinary referrals to HR"),
        (FIRST_ROW, re.compile(r"^Disciplinary referral of ")),
        ("discipline:list", "Disciplinary records"),
        (FIRST_ROW, re.compile(r"^Disciplinary record DR-\d{4}-\d{4}")),
    ],
    "comms": [
        ("home", "Welcome, Chloe"),
        (FIRST_ROW, re.compile(r"^BU-\d{4}-\d{4}: ")),
        ("business_use:list", "Business use of social media"),
        ("cases:my_reports", "My concerns"),
        (FIRST_ROW, CASE),
    ],
    "infosec": [
        ("home", "Welcome, Imran"),
        (FIRST_ROW, CASE),
        ("cases:my_reports", "My concerns"),
        ("dataprotection:index", "Data protection"),
        ("audit:log", "Audit log"),
    ],
}

# Every stacked table's cells against its column headings: the cells whose label is missing or wrong.
UNLABELLED_CELLS = """() => [...document.querySelectorAll("main table")]
  .filter(table => table.tHead && getComputedStyle(table.tBodies[0].rows[0] || table).display === "block")
  .flatMap(table => {
    const headings = [...table.tHead.rows[0].cells].map(th => th.textContent.replace(/[▲▼]/g, "").trim());
    const rows = [...table.tBodies, table.tFoot].filter(Boolean).flatMap(part => [...part.rows]);
    return rows.flatMap(row => [...row.cells]
      .map((cell, i) => cell.tagName === "TD" && cell.colSpan === 1 && cell.dataset.label !== headings[i]
        ? `${headings[i]}: ${cell.dataset.label} (${cell.textContent.trim().slice(0, 30)})` : null)
      .filter(Boolean));
  })"""


@pytest.fixture
def context_options():
    return PHONE


@pytest.fixture
def work_for_everyone(demo):
    """Beyond the demo: a concern raised by communications and by information security (so that each has
    a case to open), and a possible personal data breach for information security to decide."""
    policy = Policy.objects.get()
    for username in ("comms", "infosec"):
        case_raised(policy, User.objects.get(username=username))
    under_review = Case.objects.filter(stage=Stage.UNDER_REVIEW, personal_data_breach_at=None).first()
    breach_flag(case=under_review, by=User.objects.get(username="governance"))


def sign_in(page, username):
    """Sign in through the form; on a phone the Log out button is folded into the menu."""
    page.goto(reverse("login"))
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(h1(page)).to_have_text(re.compile(r"^Welcome, "))


def assert_fits_a_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["viewport"]["width"], f"{page.url} scrolls sideways: {width} px wide"
    assert page.evaluate(UNLABELLED_CELLS) == [], f"{page.url}: table cells without their column's label"


@pytest.mark.parametrize("username", JOURNEYS)
def test_a_working_day_on_a_phone(username, work_for_everyone, browser, live_server, page, assert_accessible):
    sign_in(page, username)
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    for where, heading in JOURNEYS[username]:
        if where == FIRST_ROW:
            page.locator("main table > tbody > tr").first.get_by_role("link").first.click()
        else:
            page.goto(reverse(where))
        expect(h1(page)).to_have_text(heading)
        assert_fits_a_phone(page)
        assert_accessible(page)
    # Open, the menu fits and passes axe-core too.
    page.get_by_text("Menu", exact=True).click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    assert_fits_a_phone(page)
    assert_accessible(page)

    # The menu, folded, opens and closes from the keyboard with JavaScript turned off: the third stop of
    # the Tab key, after the skip link and the site's name.
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=False, **PHONE
    )
    try:
        no_script = context.new_page()
        sign_in(no_script, username)
        main_nav = no_script.get_by_role("navigation", name="Main")
        expect(main_nav).to_be_hidden()
        for _ in range(3):
            no_script.keyboard.press("Tab")
        expect(no_script.get_by_text("Menu", exact=True)).to_be_focused()
        no_script.keyboard.press("Enter")
        expect(main_nav).to_be_visible()
        expect(no_script.get_by_role("button", name="Log out")).to_be_visible()
        assert_fits_a_phone(no_script)
        no_script.keyboard.press("Enter")
        expect(main_nav).to_be_hidden()
        no_script.keyboard.press("Space")
        main_nav.get_by_role("link", name="My concerns", exact=True).click()
        expect(h1(no_script)).to_have_text("My concerns")
        expect(main_nav).to_be_hidden()
    finally:
        context.close()
