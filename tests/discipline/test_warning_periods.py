"""HR's page for the warning periods: how long first and final written warnings stay live by default."""

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from discipline.models import Outcome, Step, WarningPeriods

pytestmark = pytest.mark.django_db

URL = reverse("discipline:warning_periods")


@pytest.mark.parametrize(
    "who, status",
    [
        ("hr", 200),
        ("governance", 404),
        ("supervisor", 404),
        ("head_of_service", 404),
        ("staff", 404),
        ("outsider", 404),
        ("administrator", 404),
    ],
)
def test_only_hr_may_open_the_page(client, request, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == status
    assert client.post(
        URL, {"first_written_warning_months": 6, "final_written_warning_months": 18}
    ).status_code in (302 if status == 200 else 404,)


def test_hr_changes_the_periods_and_new_warnings_use_them(client, hr):
    client.force_login(hr)
    response = client.post(
        URL, {"first_written_warning_months": 6, "final_written_warning_months": 18}, follow=True
    )

    assert "The warning periods have been saved" in response.text
    periods = WarningPeriods.current()
    assert (periods.first_written_warning_months, periods.final_written_warning_months) == (6, 18)
    decided = datetime.date(2026, 1, 31)
    assert periods.default_expiry(Outcome.FIRST_WRITTEN_WARNING, decided) == datetime.date(2026, 7, 31)
    assert periods.default_expiry(Outcome.FINAL_WRITTEN_WARNING, decided) == datetime.date(2027, 7, 31)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CHANGE, actor=hr)
    assert "from 12 and 24 months to 6 and 18 months" in entry.what


@pytest.mark.parametrize(
    "first, final, message",
    [
        ("", "24", "This field is required."),
        ("0", "24", "greater than or equal to 1"),
        ("12", "500", "less than or equal to 120"),
        ("twelve", "24", "Enter a whole number."),
        ("12", "6", "A final written warning cannot be shorter than a first one."),
    ],
)
def test_bad_periods_are_refused_with_a_message_and_keep_what_was_typed(client, hr, first, final, message):
    client.force_login(hr)
    response = client.post(
        URL, {"first_written_warning_months": first, "final_written_warning_months": final}
    )

    assert response.status_code == 200
    assert message in response.text
    assert f'value="{final}"' in response.text
    periods = WarningPeriods.current()
    assert (periods.first_written_warning_months, periods.final_written_warning_months) == (12, 24)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.CHANGE).exists()


@pytest.mark.parametrize("who, shown", [("hr", True), ("governance", False)])
def test_the_records_list_links_to_the_page_for_hr_only(client, request, who, shown):
    client.force_login(request.getfixturevalue(who))
    assert (URL in client.get(reverse("discipline:list")).text) is shown


def test_a_warning_with_no_expiry_on_record_is_shown_not_live_and_breaks_no_page(client, hr, make_record):
    """The services always set an expiry; one cleared by hand (the admin) must not break HR's pages."""
    record = make_record(Step.DECIDED)
    type(record).objects.filter(pk=record.pk).update(warning_expires_on=None)
    client.force_login(hr)

    for url in (reverse("discipline:list"), record.get_absolute_url(), reverse("home")):
        assert client.get(url).status_code == 200, url
    assert "no expiry on record" in client.get(reverse("discipline:list")).text
    record.refresh_from_db()
    assert record.warning_status() == "expired"
    assert not type(record).objects.live_warnings().filter(pk=record.pk).exists()
