"""Each ACAS step's form through HTTP: the fields the step needs, clear errors that keep what was typed, the
warning's expiry by the one rule, and the employee's other live warnings beside the outcome form."""

import datetime
import re

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from core.text import day
from discipline.models import AppealOutcome, Outcome, Step, WarningPeriods

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def step_url(record, step):
    return reverse("discipline:step", args=[record.reference, step])


def ten_days_in(make_record, step):
    return make_record(step, start=TODAY() - datetime.timedelta(days=10))


def invitation(**changes):
    data = {
        "sent_on": TODAY().isoformat(),
        "hearing_arranged_for": (TODAY() + datetime.timedelta(days=7)).isoformat(),
        "hearing_time": "14:30",
        "hearing_place": "Meeting room 3, 12 High Street",
        "told_of_right_to_be_accompanied": "on",
        "invited_companion": "Pat Jones, UNISON",
        "notes": "Sent with the screenshots.",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- Invitation -------------------------------------------------------------------------------------------


def test_the_invitation_records_date_time_place_and_the_right_to_be_accompanied(client, hr, make_record):
    record = ten_days_in(make_record, Step.INVESTIGATED)
    client.force_login(hr)
    page = client.get(step_url(record, Step.INVITED)).text
    assert "Time of the hearing" in page and "Place of the hearing" in page
    assert "right to be accompanied" in page

    response = client.post(step_url(record, Step.INVITED), invitation())

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.step == Step.INVITED
    assert record.hearing_time == datetime.time(14, 30)
    assert record.hearing_place == "Meeting room 3, 12 High Street"
    assert record.told_of_right_to_be_accompanied is True
    assert record.invited_companion == "Pat Jones, UNISON"
    event = record.events.latest("pk")
    assert "14:30, Meeting room 3, 12 High Street" in event.text
    assert "told of the right to be accompanied" in event.text
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.CHANGE).latest("pk")
    assert entry.details == {"record": record.reference} and "invitation" in entry.what
    detail = client.get(record.get_absolute_url()).text
    assert "Meeting room 3, 12 High Street" in detail and "Pat Jones, UNISON" in detail


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"hearing_place": ""}, "Place of the hearing: This field is required."),
        ({"hearing_time": "half past"}, "Time of the hearing: Enter a valid time."),
        (
            {"told_of_right_to_be_accompanied": None},
            "The invitation must tell the employee of their right to be accompanied.",
        ),
    ],
)
def test_an_invitation_with_a_problem_is_refused_and_keeps_what_was_typed(
    client, hr, make_record, changes, error
):
    record = ten_days_in(make_record, Step.INVESTIGATED)
    client.force_login(hr)
    response = client.post(step_url(record, Step.INVITED), invitation(**changes))
    assert response.status_code == 400
    assert error in response.text
    assert 'value="Pat Jones, UNISON"' in response.text
    assert "Sent with the screenshots." in response.text
    record.refresh_from_db()
    assert record.step == Step.INVESTIGATED and record.hearing_place == ""


# --- Hearing ----------------------------------------------------------------------------------------------


def test_the_hearing_records_who_attended_and_its_notes(client, hr, head_of_service, make_record):
    record = ten_days_in(make_record, Step.INVITED)
    client.force_login(hr)
    data = {
        "held_on": TODAY().isoformat(),
        "heard_by": head_of_service.pk,
        "companion": "Pat Jones, UNISON",
        "attendees": "The employee; Pat Jones (companion); the Head of Service; an HR note-taker.",
        "notes": "The employee said the post was meant as a joke.",
    }
    response = client.post(step_url(record, Step.HEARD), data)
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.hearing_attendees == data["attendees"]
    assert record.hearing_notes == data["notes"]
    assert data["attendees"] in client.get(record.get_absolute_url()).text


def test_a_hearing_without_attendees_or_notes_names_both(client, hr, head_of_service, make_record):
    record = ten_days_in(make_record, Step.INVITED)
    client.force_login(hr)
    data = {"held_on": TODAY().isoformat(), "heard_by": head_of_service.pk, "companion": "Pat Jones"}
    response = client.post(step_url(record, Step.HEARD), data)
    assert response.status_code == 400
    assert '<a href="#id_attendees">Who attended: This field is required.</a>' in response.text
    assert '<a href="#id_notes">Notes of the hearing: This field is required.</a>' in response.text
    assert 'value="Pat Jones"' in response.text
    record.refresh_from_db()
    assert record.step == Step.INVITED


# --- Outcome and the warning's expiry ---------------------------------------------------------------------


def outcome(outcome, **changes):
    return {"outcome": outcome, "reasons": "A clear breach.", "decided_on": TODAY().isoformat(), **changes}


@pytest.mark.parametrize(
    "given, months_field",
    [
        (Outcome.FIRST_WRITTEN_WARNING, "first_written_warning_months"),
        (Outcome.FINAL_WRITTEN_WARNING, "final_written_warning_months"),
    ],
)
def test_a_warning_expires_after_the_period_for_its_level_unless_a_date_is_set(
    client, hr, make_record, given, months_field
):
    periods = WarningPeriods.current()
    periods.first_written_warning_months, periods.final_written_warning_months = 5, 9
    periods.save()
    client.force_login(hr)

    record = ten_days_in(make_record, Step.HEARD)
    expected = TODAY() + relativedelta(months=getattr(periods, months_field))
    assert day(expected) in client.get(step_url(record, Step.DECIDED)).text
    assert client.post(step_url(record, Step.DECIDED), outcome(given)).status_code == 302
    record.refresh_from_db()
    assert record.warning_expires_on == expected

    record = ten_days_in(make_record, Step.HEARD)
    chosen = TODAY() + datetime.timedelta(days=100)
    response = client.post(
        step_url(record, Step.DECIDED), outcome(given, warning_expires_on=chosen.isoformat())
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.warning_expires_on == chosen


def test_an_expiry_date_for_an_outcome_that_is_not_a_warning_is_refused(client, hr, make_record):
    record = ten_days_in(make_record, Step.HEARD)
    client.force_login(hr)
    data = outcome(Outcome.NO_ACTION, warning_expires_on=(TODAY() + datetime.timedelta(days=30)).isoformat())
    response = client.post(step_url(record, Step.DECIDED), data)
    assert response.status_code == 400
    assert "Only a first or final written warning has an expiry date." in response.text
    assert "A clear breach." in response.text
    record.refresh_from_db()
    assert record.step == Step.HEARD and record.outcome == ""


def test_an_outcome_without_reasons_is_refused(client, hr, make_record):
    record = ten_days_in(make_record, Step.HEARD)
    client.force_login(hr)
    response = client.post(step_url(record, Step.DECIDED), outcome(Outcome.NO_ACTION, reasons=""))
    assert response.status_code == 400
    assert "Reasons for the outcome: This field is required." in response.text


# --- Appeal -----------------------------------------------------------------------------------------------


def test_an_appeal_needs_its_grounds_then_records_them(client, hr, make_record):
    record = make_record(Step.DECIDED, start=TODAY() - datetime.timedelta(days=50))
    client.force_login(hr)
    url = step_url(record, Step.APPEAL_LODGED)
    response = client.post(url, {"lodged_on": TODAY().isoformat(), "grounds": ""})
    assert response.status_code == 400
    assert "Grounds of the appeal: This field is required." in response.text
    response = client.post(url, {"lodged_on": TODAY().isoformat(), "grounds": "Too severe."})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.step, record.appeal_grounds) == (Step.APPEAL_LODGED, "Too severe.")


def test_the_appeal_outcome_needs_reasons_and_keeps_the_choice(client, hr, governance, make_record):
    record = make_record(Step.APPEAL_LODGED, start=TODAY() - datetime.timedelta(days=60))
    client.force_login(hr)
    url = step_url(record, Step.APPEAL_DECIDED)
    data = {"heard_on": TODAY().isoformat(), "heard_by": governance.pk, "appeal_outcome": "overturned"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Reasons for the appeal decision: This field is required." in response.text
    chosen = r'<input type="radio" name="appeal_outcome" value="overturned"[^>]* checked'
    assert re.search(chosen, response.text)
    response = client.post(url, {**data, "reasons": "New evidence."})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.appeal_outcome, record.outcome_in_force) == (AppealOutcome.OVERTURNED, Outcome.NO_ACTION)


# --- Prior live warnings beside the outcome ---------------------------------------------------------------


def test_the_outcome_form_shows_the_employees_other_live_warnings_only(client, hr, make_record, staff):
    live = make_record(Step.DECIDED, outcome=Outcome.FINAL_WRITTEN_WARNING)
    expired = make_record(Step.DECIDED, start=TODAY() - relativedelta(years=4))
    no_warning = make_record(Step.DECIDED, outcome=Outcome.INFORMAL_ACTION)
    someone_else = make_record(Step.DECIDED, employee=staff)
    record = ten_days_in(make_record, Step.HEARD)
    client.force_login(hr)

    for url in (step_url(record, Step.DECIDED), record.get_absolute_url()):
        page = client.get(url).text
        assert "Live warnings from other records" in page
        assert live.reference in page
        assert f"live until {live.warning_expires_on:%-d %B %Y}" in page
        for other in (expired, no_warning, someone_else):
            assert other.reference not in page


def test_the_outcome_form_says_when_there_are_no_other_live_warnings(client, hr, make_record):
    record = ten_days_in(make_record, Step.HEARD)
    client.force_login(hr)
    page = client.get(step_url(record, Step.DECIDED)).text
    assert f"{record.employee} has no live warnings on other records." in page
    # Only before an outcome: other steps do not show them.
    assert "Live warnings from other records" not in client.get(step_url(record, Step.APPEAL_LODGED)).text


def test_the_live_warnings_cost_one_query_however_many_there_are(client, hr, make_record):
    record = ten_days_in(make_record, Step.HEARD)
    client.force_login(hr)
    url = step_url(record, Step.DECIDED)
    client.get(url)
    with CaptureQueriesContext(connection) as none:
        client.get(url)
    make_record(Step.DECIDED)
    make_record(Step.DECIDED, outcome=Outcome.FINAL_WRITTEN_WARNING)
    with CaptureQueriesContext(connection) as two:
        page = client.get(url).text
    assert page.count("live until") == 2
    assert len(two) == len(none)
