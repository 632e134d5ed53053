"""The list of disciplinary records: what each row shows, who is offered which links, and its pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from discipline.models import Outcome

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LIST = reverse("discipline:list")


@pytest.fixture
def warned(make_record, staff):
    return make_record(
        staff,
        opened_on=datetime.date(2026, 3, 2),
        decided=Outcome.FINAL_WRITTEN_WARNING,
        expires_on=TODAY + datetime.timedelta(days=10),
    )


def test_each_row_shows_the_record_at_a_glance(client, hr, staff, warned, make_record, other_staff):
    expired = make_record(
        other_staff, decided=Outcome.FIRST_WRITTEN_WARNING, expires_on=TODAY - datetime.timedelta(days=1)
    )
    still_open = make_record(other_staff)
    client.force_login(hr)
    response = client.get(LIST)
    assert response.status_code == 200
    text = response.text
    assert f'<a href="{reverse("discipline:detail", args=[warned.reference])}">{warned.reference}</a>' in text
    assert str(staff) in text
    assert "Community Support" in text
    assert "Misconduct" in text
    assert "Outcome decided" in text
    assert "Final written warning" in text
    assert '<time datetime="2026-03-02">2 Mar 2026</time>' in text
    # Whether a warning is live is worked out from today, and said in words.
    rows = dict((record.reference, status) for record, status in response.context["rows"])
    assert rows == {warned.reference: "live", expired.reference: "expired", still_open.reference: ""}
    assert ">Live</span>" in text and ">Expired</span>" in text
    assert "3 records." in text


def test_hr_may_open_a_record_and_download_the_list_with_its_filters(client, hr, warned, team):
    client.force_login(hr)
    text = client.get(LIST, {"team": team.pk, "warning": "live", "page": "1"}).text
    assert f'href="{reverse("discipline:open")}"' in text
    query = f"?team={team.pk}&amp;warning=live"
    assert f'<a href="{reverse("discipline:export_csv")}{query}">Download CSV</a>' in text
    assert f'<a href="{reverse("discipline:export_xlsx")}{query}">Download Excel</a>' in text


def test_the_governance_head_reads_the_list_but_neither_opens_records_nor_downloads_it(
    client, governance, warned
):
    client.force_login(governance)
    text = client.get(LIST).text
    assert warned.reference in text
    assert reverse("discipline:open") not in text
    assert "Download CSV" not in text
    assert "Download Excel" not in text


def test_the_list_comes_in_pages_of_fifty(client, hr, make_record, staff, django_assert_max_num_queries):
    for _ in range(51):
        make_record(staff)
    client.force_login(hr)
    # The page's own queries (count, records, their clauses, clauses and teams for the filters) and the
    # navigation's, however many records.
    with django_assert_max_num_queries(12):
        first = client.get(LIST)
    assert len(first.context["rows"]) == 50
    assert "51 records, page 1 of 2." in first.text
    assert len(client.get(LIST, {"page": 2}).context["rows"]) == 1


def test_an_empty_list_says_so(client, hr):
    client.force_login(hr)
    assert "No records to show." in client.get(LIST).text
