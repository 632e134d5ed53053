"""A disciplinary record's whole journey in a real browser: HR open it from a referral, then record the
investigation, the written invitation, the hearing, the outcome and an appeal; the governance head reads
it and the employee cannot. axe-core checks every page on the way, error states included.

The Playwright harness (browser, page, log_in, axe) is the one in tests/browser/conftest.py, shared
through tests/discipline/conftest.py.
"""

import re
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.utils.dateformat import format as date_format
from playwright.sync_api import expect

from cases import actions
from cases.models import Case, Platform, Stage
from people.models import User
from tests.browser.pages import h1, status

pytestmark = pytest.mark.browser

RECORD = re.compile(r"DR-\d{4}-\d{4}")
EMPLOYEE = "Alex Morgan"
ALLEGATION = "Posted about a safeguarding meeting in an Instagram story."
SUMMARY = "The story was seen by two colleagues; it named the meeting but no service user."
REASONS = "A serious breach of confidentiality (5.2), accepted at the hearing."
GROUNDS = "The sanction did not take account of a clean record of eight years."
APPEAL_REASONS = "The clean record was not weighed; a first written warning is fair."


def day(value):
    return date_format(value, "j F Y")


def prefilled(page, label):
    return date.fromisoformat(page.get_by_label(label).input_value())


@pytest.fixture
def referral_to_hr(demo):
    """The governance head refers Alex Morgan to HR on the demo case under review (an Instagram story)."""
    case = Case.objects.get(stage=Stage.UNDER_REVIEW, platform=Platform.INSTAGRAM)
    return actions.disciplinary_referral_record(
        case=case,
        by=User.objects.get(username="governance"),
        person=case.subject_person,
        allegation=ALLEGATION,
        clauses_breached=list(case.clauses.all()),
        severity="gross_misconduct",
    )


def test_hr_take_a_referral_through_every_acas_step(page, log_in, log_out, assert_accessible, referral_to_hr):
    case_reference = referral_to_hr.case.reference

    # 0. HR may also open a record directly; an empty form says what it needs and keeps what was chosen.
    log_in("hr")
    page.goto("/discipline/open/")
    expect(h1(page)).to_have_text("Open a disciplinary record")
    assert_accessible(page)
    page.get_by_label("Employee", exact=True).select_option(label="Jordan Lee, Support Worker")
    page.get_by_role("button", name="Open the record").click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link", name="The allegation: This field is required.")).to_be_visible()
    expect(summary.get_by_role("link", name="Clauses breached: This field is required.")).to_be_visible()
    expect(page.locator("#id_employee option:checked")).to_have_text("Jordan Lee, Support Worker")
    assert_accessible(page)

    # 1. HR find the referral and open a record from it, after checking what it will hold.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Referrals to HR").click()
    row = page.get_by_role("row").filter(has_text=case_reference)
    row.get_by_role("link", name=EMPLOYEE).click()
    expect(h1(page)).to_have_text(f"Disciplinary referral of {EMPLOYEE}")
    assert_accessible(page)
    page.get_by_role("link", name="Open a disciplinary record").click()
    expect(h1(page)).to_have_text(f"Open a disciplinary record for {EMPLOYEE}")
    expect(page.get_by_role("region", name="Allegation")).to_contain_text(ALLEGATION)
    expect(page.get_by_role("heading", name="5.2", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Open the disciplinary record").click()

    expect(status(page)).to_contain_text(
        re.compile(r"Disciplinary record DR-\d{4}-\d{4} opened from the referral")
    )
    reference = RECORD.search(status(page).inner_text()).group()
    expect(h1(page)).to_have_text(f"Disciplinary record {reference}")
    facts = page.get_by_role("region", name="The employee and the allegation")
    expect(facts).to_contain_text(f"{EMPLOYEE}, Support Worker")
    expect(facts).to_contain_text("Gross misconduct")
    expect(facts).to_contain_text(case_reference)
    expect(page.get_by_role("region", name="Clauses breached")).to_contain_text("5.2")
    assert_accessible(page)

    # 2. The investigation: without the investigator it is refused, and what was typed stays.
    page.get_by_label("Summary of the investigation").fill(SUMMARY)
    page.get_by_role("button", name="Record the investigation").click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary.get_by_role("link", name="Investigator: This field is required.")).to_be_visible()
    expect(page.get_by_label("Summary of the investigation")).to_have_value(SUMMARY)
    assert_accessible(page)
    page.get_by_label("Investigator").select_option(label="Sian Davies, Supported Living Supervisor")
    page.get_by_role("button", name="Record the investigation").click()
    expect(status(page)).to_have_text(f"Investigation recorded on {reference}.")
    expect(page.get_by_role("region", name="Investigation")).to_contain_text(SUMMARY)
    assert_accessible(page)

    # 3. No outcome before a hearing: the outcome's page says what is missing and offers no form.
    page.goto(f"/discipline/{reference}/steps/decided/")
    expect(h1(page)).to_have_text("Record the outcome")
    expect(page.locator("main .panel")).to_have_text(
        f"The outcome cannot be recorded before the hearing: {reference} is at “Investigation complete”."
    )
    expect(page.get_by_role("button", name="Record the outcome")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name=f"Back to record {reference}").click()

    # 4. The written invitation, then the hearing on the day arranged.
    sent_on = prefilled(page, "Date the written invitation was sent")
    page.get_by_label("Date arranged for the hearing").fill(sent_on.isoformat())
    page.get_by_label("Time of the hearing").fill("14:30")
    page.get_by_label("Place of the hearing").fill("Meeting room 2, Head Office")
    page.get_by_label("The invitation tells the employee of their right to be accompanied").check()
    page.get_by_role("button", name="Record the invitation to a hearing").click()
    expect(status(page)).to_have_text(f"Invitation recorded on {reference}.")
    assert_accessible(page)

    expect(page.get_by_label("Date the hearing was held")).to_have_value(sent_on.isoformat())
    page.get_by_label("Heard by").select_option(label="Harun Shah, Head of Service")
    page.get_by_label("Companion (optional)", exact=True).fill("Pat Jones, UNISON")
    page.get_by_label("Who attended").fill("The employee; Harun Shah, hearing it; Pat Jones, companion.")
    page.get_by_label("Notes of the hearing").fill("The employee accepted posting the photograph.")
    page.get_by_role("button", name="Record the hearing").click()
    expect(status(page)).to_have_text(f"Hearing recorded on {reference}.")
    expect(page.get_by_role("region", name="Hearing", exact=True)).to_contain_text("Pat Jones, UNISON")
    assert_accessible(page)

    # 5. The outcome: a final written warning, live for the default 24 months.
    page.get_by_label("Final written warning").check()
    page.get_by_label("Reasons for the outcome").fill(REASONS)
    decided_on = prefilled(page, "Date of the decision")
    assert_accessible(page)
    page.get_by_role("button", name="Record the outcome").click()
    expect(status(page)).to_have_text(f"Outcome recorded on {reference}.")
    final_expiry = decided_on + relativedelta(months=24)
    expect(page.locator("main .record-meta")).to_contain_text(f"Live warning: expires on {day(final_expiry)}")
    expect(page.get_by_role("region", name="Outcome", exact=True)).to_contain_text(REASONS)
    assert_accessible(page)

    # 6. The appeal, heard and varied to a first written warning, which runs from the original decision.
    page.get_by_label("Grounds of the appeal").fill(GROUNDS)
    page.get_by_role("button", name="Record an appeal").click()
    expect(status(page)).to_have_text(f"Appeal recorded on {reference}.")
    assert_accessible(page)

    page.get_by_label("Appeal heard by").select_option(label="Grace Okafor, Head of Business and Governance")
    page.get_by_label("Decision varied").check()
    page.get_by_label("Reasons for the appeal decision").fill(APPEAL_REASONS)
    page.get_by_role("button", name="Record the appeal's outcome").click()
    # Varied without saying to what: refused, with the choices kept.
    expect(page.get_by_role("alert")).to_contain_text("Choose the outcome the decision is varied to.")
    expect(page.get_by_label("Decision varied")).to_be_checked()
    expect(page.get_by_label("Reasons for the appeal decision")).to_have_value(APPEAL_REASONS)
    assert_accessible(page)
    page.get_by_label("Varied to").select_option(label="First written warning")
    page.get_by_role("button", name="Record the appeal's outcome").click()
    expect(status(page)).to_have_text(f"Appeal outcome recorded on {reference}.")
    first_expiry = decided_on + relativedelta(months=12)
    expect(page.locator("main .record-meta")).to_contain_text("in force: First written warning")
    expect(page.locator("main .record-meta")).to_contain_text(f"Live warning: expires on {day(first_expiry)}")
    expect(page.get_by_text("Every step of the procedure has been recorded.")).to_be_visible()
    timeline = page.locator(".timeline")
    for step in [
        f"Opened from the disciplinary referral on {case_reference}: gross misconduct",
        "Investigation by Sian Davies completed on",
        f"Written invitation sent on {day(sent_on)}",
        "the employee was accompanied by Pat Jones, UNISON",
        f"Outcome decided on {day(decided_on)}: Final written warning, expiring on {day(final_expiry)}",
        GROUNDS,
        f"Decision varied. In force: First written warning, expiring on {day(first_expiry)}",
    ]:
        expect(timeline).to_contain_text(step)
    assert_accessible(page)
    record_path = f"/discipline/{reference}/"
    log_out()

    # 7. The governance head reads the record, with the case's evidence a link away, but changes nothing.
    log_in("governance")
    page.goto(record_path)
    expect(h1(page)).to_have_text(f"Disciplinary record {reference}")
    expect(
        page.get_by_role("region", name="Investigation").get_by_role("link", name=case_reference)
    ).to_be_visible()
    expect(page.locator("main form")).to_have_count(0)
    assert_accessible(page)
    page.goto("/")
    log_out()

    # 8. The employee never sees it.
    log_in("staff")
    response = page.goto(record_path)
    assert response.status == 404
    assert_accessible(page)
