"""A concern's whole journey in a real browser: raise → triage → refer → removal request → disciplinary
referral → close, then what HR, the reporter and the person it is about can (and cannot) see.

axe-core checks every page on the way, error states included.
"""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from django.utils.dateformat import format as date_format
from PIL import Image
from playwright.sync_api import expect

from cases.workflow import STAGE_FOR_REPORTER, Stage
from tests.browser.pages import h1, nav, status

pytestmark = pytest.mark.browser

REFERENCE = re.compile(r"SMP-\d{4}-\d{4}")
CLAUSE_5_2 = re.compile(r"^5\.2 ")
CLAUSE_5_2_TEXT = "Staff must be aware of their association with focus"
SUBJECT = "Jordan Lee"
REFER = "Refer to the Head of Business and Governance"
NOTE = "Checked with Sian Davies: Jordan is on the Supported Living rota this week."
MESSAGE = "Thank you, Alex. I have started looking at this and will pass it on today."
REFER_REASON = "A service user is identifiable in the post: this needs the governance review."
ADVICE = "The post breaches confidentiality; ask for it to be removed within a week."
CLOSE_REASON = "Referred to HR after the post was not removed by the deadline."


def move_form(page, label):
    """The form of one workflow step on the case page, found by its heading."""
    return page.locator("form").filter(has=page.get_by_role("heading", name=label, exact=True))


def day(value):
    return date_format(value, "j F Y")


def prefilled_date(page, label, started):
    """The date a form field was pre-filled with: today, which may be the day after the test started."""
    value = date.fromisoformat(page.get_by_label(label).input_value())
    assert value in (started, started + timedelta(days=1)), value
    return value


def open_case_from_list(page, reference):
    page.get_by_role("row").filter(has_text=reference).get_by_role("link", name=reference).click()
    expect(h1(page)).to_have_text(re.compile(rf"(Case|Your concern) {reference}$"))


def test_concern_from_raising_to_disciplinary_referral(
    demo, page, live_server, tmp_path, log_in, log_out, assert_accessible
):
    started = timezone.localdate()
    screenshot = tmp_path / "facebook-post.png"
    Image.new("RGB", (40, 20), (200, 30, 30)).save(screenshot)
    link = "https://www.facebook.com/groups/example/posts/123456"
    seen = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    what = "A photo of a service user at the day centre, with their first name, posted by a colleague."

    # 1. The reporter raises the concern: first without saying what was seen, then properly.
    log_in("staff")
    nav(page, "Raise a concern")
    expect(h1(page)).to_have_text("Raise a concern about social media")
    assert_accessible(page)

    page.get_by_label("A colleague (a member of focus staff)").check()
    page.get_by_label("Which colleague is it about?").select_option(label=SUBJECT)
    page.get_by_label("Where was it posted?").select_option(label="Facebook")
    page.get_by_label("Links to the posting").fill(link)
    page.get_by_label("When did you see it?").fill(seen)
    page.get_by_label("It identifies a service user or carer").check()
    page.get_by_label("Filter the clauses").fill("5.2")
    expect(page.get_by_label(CLAUSE_5_2)).to_be_visible()
    expect(page.get_by_label(re.compile(r"^6\.4 "))).to_be_hidden()
    page.get_by_label(CLAUSE_5_2).check()
    page.get_by_label("Evidence (screenshots, PDFs or text files)").set_input_files(screenshot)
    assert_accessible(page)
    page.get_by_role("button", name="Raise the concern").click()

    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary.get_by_role("link", name="What did you see?: This field is required.")).to_be_visible()
    expect(summary).to_contain_text("The files you chose are kept: you need not choose them again.")
    expect(page.get_by_text("kept: facebook-post.png")).to_be_visible()
    expect(page.get_by_label("A colleague (a member of focus staff)")).to_be_checked()
    expect(page.locator("#id_subject_person option:checked")).to_have_text(SUBJECT)
    expect(page.locator("#id_platform option:checked")).to_have_text("Facebook")
    expect(page.get_by_label("Links to the posting")).to_have_value(link)
    expect(page.get_by_label("When did you see it?")).to_have_value(seen)
    expect(page.get_by_label("It identifies a service user or carer")).to_be_checked()
    expect(page.get_by_label(CLAUSE_5_2)).to_be_checked()
    expect(page.get_by_label("What did you see?")).to_have_value("")
    assert_accessible(page)

    summary.get_by_role("link", name=re.compile("^What did you see")).click()
    expect(page.get_by_label("What did you see?")).to_be_focused()
    page.get_by_label("What did you see?").fill(what)
    page.get_by_role("button", name="Raise the concern").click()

    expect(status(page)).to_contain_text(re.compile(r"Your concern has been received as SMP-\d{4}-\d{4}\."))
    reference = REFERENCE.search(status(page).inner_text()).group()
    assert reference[4:8] in {str(started.year), str(timezone.localdate().year)}
    case_path = f"/cases/{reference}/"
    # The browser keeps the #id_description of the error link across the redirect.
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url + case_path)}(#.*)?$"))
    expect(h1(page)).to_have_text(f"Your concern {reference}")
    expect(page.locator(".panel .stage")).to_have_text(STAGE_FOR_REPORTER[Stage.SUBMITTED])
    expect(page.get_by_role("link", name="facebook-post.png")).to_be_visible()
    assert_accessible(page)

    nav(page, "My concerns")
    mine = page.get_by_role("row").filter(has_text=reference)
    expect(mine).to_contain_text("Submitted")
    assert_accessible(page)
    log_out()

    # 2. The supervisor triages it, notes, messages the reporter and refers it to governance.
    log_in("supervisor")
    nav(page, "Triage queue")
    expect(page.get_by_role("row").filter(has_text=reference)).to_contain_text("Facebook")
    assert_accessible(page)
    open_case_from_list(page, reference)
    expect(page.locator(".evidence-list")).to_contain_text("facebook-post.png")
    expect(page.locator(".evidence-list")).to_contain_text("PNG image")
    page.get_by_text("Clause 5.2", exact=True).click()
    expect(page.locator("details[open]")).to_contain_text(CLAUSE_5_2_TEXT)
    assert_accessible(page)

    page.get_by_role("button", name="Start triage").click()
    expect(status(page)).to_have_text(f"{reference} is now “In triage”.")
    page.get_by_label("Internal note").fill(NOTE)
    page.get_by_role("button", name="Add note").click()
    expect(status(page)).to_have_text("Note added.")
    page.get_by_label("Message to the reporter").fill(MESSAGE)
    page.get_by_role("button", name="Send message").click()
    expect(status(page)).to_have_text("Message sent to the reporter.")
    assert_accessible(page)

    # Referring without a reason is refused, and says why.
    move_form(page, REFER).get_by_role("button", name=REFER).click()
    expect(page.get_by_role("alert").filter(has_text="That was not done")).to_be_visible()
    # The summary at the top takes the focus and links to the field.
    expect(page.locator(".error-summary")).to_be_focused()
    expect(
        page.locator(".error-summary").get_by_role("link", name="Reason: This field is required.")
    ).to_be_visible()
    expect(move_form(page, REFER).locator(".error")).to_have_text("This field is required.")
    assert_accessible(page)
    move_form(page, REFER).get_by_label("Reason").fill(REFER_REASON)
    move_form(page, REFER).get_by_role("button", name=REFER).click()
    # A step that cannot be undone is checked first, on a page that says what will happen.
    expect(h1(page)).to_have_text(f"Check before you confirm: {REFER}")
    expect(page.locator("#confirm-what")).to_contain_text("This cannot be undone")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    expect(status(page)).to_have_text(
        f"{reference} is now “Referred to the Head of Business and Governance”."
    )
    assert_accessible(page)
    log_out()

    # 3. The Head of Business and Governance reviews, acts, refers to HR and closes the case.
    log_in("governance")
    nav(page, "Governance queue")
    expect(page.get_by_role("row").filter(has_text=reference)).to_contain_text(
        "Referred to the Head of Business and Governance"
    )
    assert_accessible(page)
    open_case_from_list(page, reference)
    page.get_by_role("button", name="Start the governance review").click()
    expect(status(page)).to_have_text(f"{reference} is now “Under governance review”.")
    assert_accessible(page)

    page.get_by_role("link", name="Record legal advice").click()
    expect(h1(page)).to_have_text("Record legal advice")
    # Dates are read from the pre-filled fields: the test may run across midnight.
    advised_on = prefilled_date(page, "Date of the advice", started)
    assert_accessible(page)
    page.get_by_label("Who gave the advice").fill("Humber Law LLP")
    page.get_by_label("Summary of the advice").fill(ADVICE)
    page.get_by_role("button", name="Record legal advice").click()
    expect(status(page)).to_have_text(f"Record legal advice: recorded on {reference}.")

    page.get_by_role("link", name="Request removal").click()
    expect(h1(page)).to_have_text("Request removal")
    expect(page.get_by_label("To whom was the request sent?")).to_have_value(SUBJECT)
    expect(page.locator("#id_staff_member option:checked")).to_have_text(SUBJECT)
    sent_on = prefilled_date(page, "Date the request was sent", started)
    assert_accessible(page)
    deadline = sent_on + timedelta(days=7)
    page.get_by_label("Deadline for removing the posting").fill(deadline.isoformat())
    page.get_by_role("button", name="Request removal").click()
    expect(status(page)).to_have_text(f"Request removal: recorded on {reference}.")
    expect(page.locator(".meta .stage")).to_have_text("Action in progress")
    expect(page.get_by_role("region", name="Actions taken")).to_contain_text(f"deadline {day(deadline)}")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile(rf"^Not complied with.*request to {SUBJECT}$")).click()
    expect(status(page)).to_contain_text("not complied with. Clause 2.5")
    assert_accessible(page)
    status(page).get_by_role("link", name=f"Refer {SUBJECT} to HR for not complying").click()

    expect(h1(page)).to_have_text("Refer to HR (disciplinary)")
    expect(page.locator("#id_person option:checked")).to_have_text(SUBJECT)
    expect(page.locator("#id_removal_request option:checked")).to_contain_text(f"to {SUBJECT}")
    allegation = f"Did not comply with the removal request of {day(sent_on)} (clause 2.5)."
    expect(page.get_by_label("The allegation")).to_have_value(allegation)
    assert_accessible(page)

    # Without a clause or a severity the referral is refused; what was pre-filled stays.
    page.get_by_role("button", name="Refer to HR (disciplinary)").click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary.get_by_role("link", name="Clauses breached: This field is required.")).to_be_visible()
    expect(
        summary.get_by_role("link", name="Misconduct or gross misconduct: This field is required.")
    ).to_be_visible()
    expect(page.locator("#id_person option:checked")).to_have_text(SUBJECT)
    expect(page.get_by_label("The allegation")).to_have_value(allegation)
    assert_accessible(page)
    page.get_by_label(CLAUSE_5_2).check()
    page.get_by_label("Gross misconduct").check()
    page.get_by_role("button", name="Refer to HR (disciplinary)").click()
    expect(page.locator("#confirm-what")).to_contain_text(
        f"{SUBJECT} will be referred to HR for gross misconduct"
    )
    page.get_by_role("button", name="Confirm").click()
    expect(status(page)).to_have_text(f"Refer to HR (disciplinary): recorded on {reference}.")
    expect(page.get_by_role("link", name=f"Refer {SUBJECT} to HR for not complying")).to_be_visible()
    assert_accessible(page)

    close = move_form(page, "Close with an outcome")
    close.get_by_label("Outcome").select_option(label="Disciplinary referral made")
    close.get_by_label("Reason").fill(CLOSE_REASON)
    close.get_by_role("button", name="Close with an outcome").click()
    expect(page.locator("#confirm-what")).to_contain_text(
        f"Case {reference} will be closed with the outcome “Disciplinary referral made”."
    )
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    expect(status(page)).to_have_text(f"{reference} is now “Closed”.")
    expect(page.locator("main > .meta")).to_contain_text("Closed · Disciplinary referral made")
    timeline = page.locator(".timeline")
    for step in [
        "Concern raised",
        "Routed",
        "now In triage",
        NOTE,
        MESSAGE,
        "now Referred to the Head of Business and Governance",
        REFER_REASON,
        "now Under governance review",
        f"Legal advice of {day(advised_on)} from Humber Law LLP",
        f"Removal request sent to {SUBJECT}",
        "now Action in progress",
        f"Removal request to {SUBJECT} of {day(sent_on)}: not complied with.",
        f"Referred {SUBJECT} to HR for gross misconduct (clause 5.2)",
        "now Closed",
        f"Outcome: Disciplinary referral made. {CLOSE_REASON}",
    ]:
        expect(timeline).to_contain_text(step)
    assert_accessible(page)

    nav(page, "All cases")
    expect(h1(page)).to_have_text("All cases")
    assert_accessible(page)
    page.get_by_label("Stage").select_option(label="Closed")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"[?&]stage=closed(&|$)"))
    closed = page.get_by_role("row").filter(has_text=reference)
    expect(closed).to_contain_text("Closed")
    expect(closed).to_contain_text("5.2")
    expect(closed).to_contain_text("Sam Patel")
    assert_accessible(page)

    nav(page, "Audit log")
    page.get_by_label("Case reference contains").fill(reference)
    page.get_by_role("button", name="Filter").click()
    entries = page.locator("tbody tr")
    expect(entries.filter(has_text=f"raised concern {reference}")).to_have_count(1)
    expect(entries.filter(has_text="Sam Patel").first).to_be_visible()
    expect(entries.filter(has_text=f"recorded a disciplinary referral of {SUBJECT}")).to_have_count(1)
    expect(entries.filter(has_text="from Action in progress to Closed")).to_have_count(1)
    for row in entries.all():
        expect(row.locator("td").nth(3)).to_have_text(reference)
    assert_accessible(page)
    log_out()

    # 4. HR see the referral, not the case.
    log_in("hr")
    nav(page, "Referrals to HR")
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Gross misconduct")
    expect(row).to_contain_text("5.2")
    assert_accessible(page)
    row.get_by_role("link", name=SUBJECT).click()
    expect(h1(page)).to_have_text(f"Disciplinary referral of {SUBJECT}")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(f"{SUBJECT}, Support Worker")
    expect(facts).to_contain_text("Gross misconduct")
    expect(facts.get_by_role("link", name=reference)).to_have_count(0)
    expect(page.get_by_role("heading", name="5.2", exact=True)).to_be_visible()
    expect(page.get_by_role("region", name="Clauses of the Social Media Policy breached")).to_contain_text(
        CLAUSE_5_2_TEXT
    )
    expect(page.get_by_role("region", name="Allegation")).to_contain_text(allegation)
    assert_accessible(page)
    response = page.goto(case_path)
    assert response.status == 404
    assert_accessible(page)
    page.goto("/")
    log_out()

    # 5. The reporter follows the outcome without the internal notes; the subject never learns of it.
    log_in("staff")
    nav(page, "My concerns")
    expect(page.get_by_role("row").filter(has_text=reference)).to_contain_text("Closed")
    open_case_from_list(page, reference)
    expect(page.locator(".panel .stage")).to_have_text(STAGE_FOR_REPORTER[Stage.CLOSED])
    progress = page.get_by_role("region", name="Progress and messages")
    expect(progress).to_contain_text(MESSAGE)
    expect(progress).to_contain_text("Now: Closed")
    for secret in (NOTE, REFER_REASON, ADVICE, CLOSE_REASON, "gross misconduct", "Sam Patel"):
        expect(page.locator("main")).not_to_contain_text(secret)
    assert_accessible(page)
    log_out()

    log_in("staff2")
    response = page.goto(case_path)
    assert response.status == 404
    assert_accessible(page)
    page.goto("/")
    nav(page, "My concerns")
    expect(h1(page)).to_have_text("My concerns")
    expect(page.locator("main")).not_to_contain_text(reference)
    assert_accessible(page)
