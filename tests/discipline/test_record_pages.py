"""The disciplinary record pages through HTTP: opening a record, reading it, recording its steps."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from discipline.models import DisciplinaryRecord, Outcome, Step
from tests.keyset import assert_walks_in_pages

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def step_url(record, step):
    return reverse("discipline:step", args=[record.reference, step])


# --- Opening from a referral ------------------------------------------------------------------------------


def test_hr_confirm_then_open_a_record_from_a_referral(client, hr, referral):
    client.force_login(hr)
    url = reverse("discipline:open_from_referral", args=[referral.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert f"Open a disciplinary record for {referral.person}" in page.text
    assert referral.allegation in page.text
    assert referral.clauses_breached.get().text.splitlines()[0][:60] in page.text
    assert not DisciplinaryRecord.objects.exists()

    response = client.post(url)
    record = DisciplinaryRecord.objects.get()
    assert response.status_code == 302 and response.url == record.get_absolute_url()
    assert record.referral == referral


def test_a_referral_with_a_record_leads_to_it(client, hr, referral, make_record):
    record = make_record(referral=referral)
    client.force_login(hr)
    url = reverse("discipline:open_from_referral", args=[referral.pk])
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302 and response.url == record.get_absolute_url()
    assert DisciplinaryRecord.objects.count() == 1


def test_the_referral_page_offers_to_open_a_record_then_links_to_it(
    client, hr, governance, referral, make_record
):
    client.force_login(hr)
    referral_url = reverse("cases:referral", args=[referral.pk])
    open_url = reverse("discipline:open_from_referral", args=[referral.pk])
    assert open_url in client.get(referral_url).text
    record = make_record(referral=referral)
    page = client.get(referral_url).text
    assert open_url not in page and record.get_absolute_url() in page
    client.force_login(governance)
    page = client.get(referral_url).text
    assert open_url not in page and record.get_absolute_url() in page


def test_opening_a_referral_about_yourself_is_a_404(client, hr, referral):
    referral.person = hr
    referral.save()
    client.force_login(hr)
    assert client.get(reverse("discipline:open_from_referral", args=[referral.pk])).status_code == 404
    assert client.post(reverse("discipline:open_from_referral", args=[referral.pk])).status_code == 404
    assert not DisciplinaryRecord.objects.exists()


def test_a_refused_opening_shows_why_on_the_page(client, hr, referral):
    referral.person.groups.clear()  # Active, but not (or no longer) in the Staff role.
    client.force_login(hr)
    response = client.post(reverse("discipline:open_from_referral", args=[referral.pk]))
    assert response.status_code == 400
    assert f"{referral.person} is not, and has not been, a member of staff." in response.text
    assert "Nothing has been recorded." in response.text
    assert not DisciplinaryRecord.objects.exists()


# --- Opening directly -----------------------------------------------------------------------------------


def test_hr_open_a_record_directly(client, hr, staff, policy):
    clause = policy.current_version().clauses().get(number="6.4")
    client.force_login(hr)
    page = client.get(reverse("discipline:open"))
    assert page.status_code == 200
    assert 'name="clauses"' in page.text and "6.4" in page.text
    assert f'<option value="{hr.pk}"' not in page.text  # nobody opens a record about themselves
    response = client.post(
        reverse("discipline:open"),
        {
            "employee": staff.pk,
            "allegation": "Joined a professional forum as focus without approval.",
            "severity": "misconduct",
            "clauses": [clause.pk],
            "opened_on": TODAY().isoformat(),
        },
    )
    record = DisciplinaryRecord.objects.get()
    assert response.status_code == 302 and response.url == record.get_absolute_url()
    assert (record.employee, record.clauses.get().number, record.case) == (staff, "6.4", None)


def test_a_direct_record_with_problems_keeps_what_was_typed(client, hr, staff, policy):
    clause = policy.current_version().clauses().get(number="6.4")
    client.force_login(hr)
    tomorrow = TODAY() + datetime.timedelta(days=1)
    response = client.post(
        reverse("discipline:open"),
        {
            "employee": staff.pk,
            "allegation": "Joined a forum <as focus>.",
            "clauses": [clause.pk],
            "opened_on": tomorrow.isoformat(),
        },
    )
    assert response.status_code == 400
    text = response.text
    assert "There is a problem" in text
    assert "Misconduct or gross misconduct: This field is required." in text
    assert "Joined a forum &lt;as focus&gt;." in text
    assert f'<option value="{staff.pk}" selected>' in text
    assert f'value="{clause.pk}" id="id_clauses_' in text and "checked" in text
    assert not DisciplinaryRecord.objects.exists()

    response = client.post(
        reverse("discipline:open"),
        {
            "employee": staff.pk,
            "allegation": "Joined a forum.",
            "severity": "misconduct",
            "clauses": [clause.pk],
            "opened_on": tomorrow.isoformat(),
        },
    )
    assert response.status_code == 400
    assert "The date the record was opened cannot be in the future." in response.text
    assert f'value="{tomorrow.isoformat()}"' in response.text


# --- Reading a record ------------------------------------------------------------------------------------


def test_the_record_page_shows_every_step_the_clauses_and_the_timeline(client, hr, make_record, referral):
    record = make_record(
        Step.APPEAL_DECIDED, referral=referral, companion="Pat Jones, UNISON", appeal_outcome="overturned"
    )
    client.force_login(hr)
    page = client.get(record.get_absolute_url())
    assert page.status_code == 200
    text = page.text
    assert f"Disciplinary record {record.reference}" in text
    for shown in (
        str(record.employee),
        record.allegation,
        record.clauses.get().text.splitlines()[0][:60],
        record.investigation_summary,
        "Pat Jones, UNISON",
        record.outcome_reasons,
        record.appeal_grounds,
        record.appeal_reasons,
        "First written warning",
        "Decision overturned",
        "Every step of the procedure has been recorded.",
    ):
        assert shown in text, shown
    assert text.count('<li>\n      <p class="meta"><time') == len(Step)
    # HR do not see cases: the evidence is named, not linked.
    assert record.case.get_absolute_url() not in text
    assert f"{record.case.reference} (ask the Head of Business and Governance for it)" in text


def test_the_governance_head_follows_the_evidence_to_the_case_but_gets_no_form(
    client, governance, make_record, referral
):
    record = make_record(Step.INVESTIGATED, referral=referral)
    client.force_login(governance)
    text = client.get(record.get_absolute_url()).text
    assert f'href="{record.case.get_absolute_url()}"' in text
    assert '<form method="post" action="' + step_url(record, Step.INVITED) not in text
    assert "Record the invitation to a hearing" not in text
    assert client.get(record.case.get_absolute_url()).status_code == 200


def test_hr_see_the_form_for_the_next_step_only(client, hr, make_record):
    record = make_record(Step.INVESTIGATED)
    client.force_login(hr)
    text = client.get(record.get_absolute_url()).text
    assert f'action="{step_url(record, Step.INVITED)}"' in text
    for other in (Step.INVESTIGATED, Step.HEARD, Step.DECIDED, Step.APPEAL_LODGED, Step.APPEAL_DECIDED):
        assert f'action="{step_url(record, other)}"' not in text


@pytest.mark.parametrize(
    "start, status",
    [(60, "Live warning: expires on"), (3 * 365, "Expired warning: expired on")],
)
def test_the_page_says_whether_a_warning_is_live_or_expired(client, hr, make_record, start, status):
    record = make_record(Step.DECIDED, start=TODAY() - datetime.timedelta(days=start))
    client.force_login(hr)
    text = client.get(record.get_absolute_url()).text
    assert status in text
    assert record.warning_expires_on.strftime("%-d %B %Y") in text


def test_reading_a_record_is_audited(client, governance, make_record, referral):
    record = make_record(Step.HEARD, referral=referral)
    client.force_login(governance)
    client.get(record.get_absolute_url(), REMOTE_ADDR="10.9.8.7")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW)
    assert (entry.actor, entry.case, entry.details, entry.ip_address) == (
        governance,
        record.case,
        {"record": record.reference},
        "10.9.8.7",
    )
    assert entry.what == f"viewed disciplinary record {record.reference}"


def test_an_unknown_record_is_a_404(client, hr):
    client.force_login(hr)
    assert client.get(reverse("discipline:detail", args=["DR-2026-9999"])).status_code == 404


# --- Recording the steps ---------------------------------------------------------------------------------


def test_hr_record_each_step_through_the_pages(
    client, hr, supervisor, head_of_service, governance, make_record
):
    record = make_record(Step.OPENED, start=TODAY() - datetime.timedelta(days=10))
    client.force_login(hr)
    today = TODAY().isoformat()
    steps = [
        (
            Step.INVESTIGATED,
            {"investigator": supervisor.pk, "summary": "Found the post.", "completed_on": today},
        ),
        (
            Step.INVITED,
            {
                "sent_on": today,
                "hearing_arranged_for": today,
                "hearing_time": "14:30",
                "hearing_place": "Meeting room 1",
                "told_of_right_to_be_accompanied": "on",
                "notes": "",
            },
        ),
        (
            Step.HEARD,
            {
                "held_on": today,
                "heard_by": head_of_service.pk,
                "companion": "Pat, UNISON",
                "attendees": "The employee, Pat and the manager.",
                "notes": "Heard.",
            },
        ),
        (
            Step.DECIDED,
            {"outcome": Outcome.FINAL_WRITTEN_WARNING, "reasons": "Serious.", "decided_on": today},
        ),
        (Step.APPEAL_LODGED, {"lodged_on": today, "grounds": "Too severe."}),
        (
            Step.APPEAL_DECIDED,
            {
                "heard_on": today,
                "heard_by": governance.pk,
                "appeal_outcome": "varied",
                "reasons": "Mitigation.",
                "new_outcome": Outcome.FIRST_WRITTEN_WARNING,
            },
        ),
    ]
    for step, data in steps:
        response = client.post(step_url(record, step), data)
        assert response.status_code == 302, (step, response.text[:2000])
        assert response.url == record.get_absolute_url()
        record.refresh_from_db()
        assert record.step == step
    assert (record.outcome, record.outcome_in_force) == (
        Outcome.FINAL_WRITTEN_WARNING,
        Outcome.FIRST_WRITTEN_WARNING,
    )
    assert "Appeal outcome recorded on" in client.get(record.get_absolute_url()).text


def test_a_step_page_shows_the_form_on_its_own(client, hr, make_record):
    record = make_record(Step.HEARD)
    client.force_login(hr)
    page = client.get(step_url(record, Step.DECIDED))
    assert page.status_code == 200
    assert "<h1>Record the outcome</h1>" in page.text
    assert "12 months for a first written warning, 24 months for a final written warning" in page.text


def test_a_step_that_is_not_next_is_explained_not_offered(client, hr, make_record):
    record = make_record(Step.INVITED)
    client.force_login(hr)
    page = client.get(step_url(record, Step.DECIDED))
    assert page.status_code == 200
    assert "The outcome cannot be recorded before the hearing" in page.text
    assert 'name="reasons"' not in page.text
    response = client.post(
        step_url(record, Step.DECIDED),
        {"outcome": "no_action", "reasons": "Kept.", "decided_on": TODAY().isoformat()},
    )
    assert response.status_code == 400
    assert "The outcome cannot be recorded before the hearing" in response.text
    assert "Kept." in response.text
    record.refresh_from_db()
    assert record.step == Step.INVITED


def test_a_step_with_problems_keeps_what_was_typed(client, hr, make_record, head_of_service):
    record = make_record(Step.INVITED, start=TODAY() - datetime.timedelta(days=5))
    client.force_login(hr)
    response = client.post(
        step_url(record, Step.HEARD),
        {
            "held_on": (record.invitation_sent_on - datetime.timedelta(days=1)).isoformat(),
            "heard_by": head_of_service.pk,
            "companion": "Pat, UNISON",
            "attendees": "The employee and Pat.",
            "notes": "The employee accepted the post was theirs.",
        },
    )
    assert response.status_code == 400
    assert "The hearing cannot be before the written invitation was sent" in response.text
    assert 'value="Pat, UNISON"' in response.text
    assert "The employee accepted the post was theirs." in response.text
    record.refresh_from_db()
    assert record.step == Step.INVITED


def test_a_step_form_with_a_missing_field_names_it(client, hr, make_record):
    record = make_record(Step.OPENED)
    client.force_login(hr)
    response = client.post(step_url(record, Step.INVESTIGATED), {"summary": "Found it."})
    assert response.status_code == 400
    assert '<a href="#id_investigator">Investigator: This field is required.</a>' in response.text
    assert "Found it." in response.text


def test_an_unknown_step_is_a_404(client, hr, make_record):
    record = make_record(Step.OPENED)
    client.force_login(hr)
    assert client.get(step_url(record, "opened")).status_code == 404
    assert client.post(step_url(record, "sacked")).status_code == 404


def test_the_employee_is_not_offered_as_investigator(client, hr, make_record, other_staff):
    record = make_record(Step.OPENED)
    client.force_login(hr)
    text = client.get(step_url(record, Step.INVESTIGATED)).text
    assert f'<option value="{other_staff.pk}"' not in text


@pytest.mark.parametrize("step", [Step.OPENED, Step.APPEAL_DECIDED])
def test_the_record_page_costs_a_fixed_number_of_queries(
    client, hr, make_record, referral, step, django_assert_max_num_queries
):
    record = make_record(step, referral=referral)
    client.force_login(hr)
    # Session, user, permissions (2), the record, the audit entry, whether HR may open the case (guardian:
    # 4), navigation (3), its clauses, the next step's people, its events: however many events it has.
    with django_assert_max_num_queries(16):
        assert client.get(record.get_absolute_url()).status_code == 200


def test_hr_records_come_in_keyset_pages_each_record_once_both_ways(client, hr, make_record, monkeypatch):
    """HR's list in pages of four, newest opened first (ties by the record's id), by its Next links and back
    by its Previous links: the pages after the first are read by compiled queries too."""
    from discipline.views import lists

    monkeypatch.setattr(lists, "PER_PAGE", 4)
    today = timezone.localdate()
    for days in (90, 60, 60, 60, 30, 30, 10, 10, 5):  # ties: the same day opened
        make_record(start=today - datetime.timedelta(days=days))
    expected = list(DisciplinaryRecord.objects.order_by("-opened_on", "-pk").values_list("pk", flat=True))
    client.force_login(hr)
    assert_walks_in_pages(client, reverse("discipline:list"), expected, pages=3)
