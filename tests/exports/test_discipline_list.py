"""The list of disciplinary records: what each row shows, who is offered which links, and its pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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
    rows = dict((record.reference, status) for record, status in response.context["records"])
    assert rows == {warned.reference: "live", expired.reference: "expired", still_open.reference: ""}
    assert ">Live</span>" in text and ">Expired</span>" in text


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


def _references(response):
    return [record.reference for record, _ in response.context["records"]]


def test_the_list_comes_in_keyset_pages_of_fifty_each_record_once_newest_first(
    client, hr, make_record, staff
):
    records = [make_record(staff, opened_on=TODAY - datetime.timedelta(days=n % 7)) for n in range(111)]
    expected = [r.reference for r in sorted(records, key=lambda r: (r.opened_on, r.pk), reverse=True)]
    client.force_login(hr)
    seen, cursor, pages = [], None, 0
    while True:
        response = client.get(LIST, {"cursor": cursor} if cursor else {})
        assert response.status_code == 200
        seen += _references(response)
        pages += 1
        page = response.context["page"]
        if not page.has_next:
            break
        assert 'rel="next"' in response.text
        cursor = page.next_cursor
    assert pages == 3
    assert seen == expected
    # And back: the previous page of the last is the second.
    back = client.get(LIST, {"cursor": page.previous_cursor})
    assert _references(back) == expected[50:100]


@pytest.mark.parametrize(
    "params", [{"cursor": "not-a-cursor"}, {"cursor": "eyJ4Ijox"}, {"page": "999999"}, {"page": "zzz"}]
)
def test_a_bad_cursor_or_page_number_gives_the_first_page(client, hr, make_record, staff, params):
    records = [make_record(staff) for _ in range(51)]
    client.force_login(hr)
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert _references(response)[0] == max(records, key=lambda r: (r.opened_on, r.pk)).reference
    assert len(response.context["records"]) == 50


def test_a_page_costs_the_same_queries_for_one_record_as_for_fifty(
    client, hr, make_record, staff, other_staff, django_assert_num_queries
):
    """Nothing is read per row: a page of fifty costs what a page of one does."""
    make_record(staff, decided=Outcome.FIRST_WRITTEN_WARNING, expires_on=TODAY)
    client.force_login(hr)
    client.get(LIST)  # Sessions and caches warmed.
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(LIST).context["records"]) == 1
    for n in range(55):
        make_record(other_staff if n % 2 else staff, decided=Outcome.FINAL_WRITTEN_WARNING, expires_on=TODAY)
    with django_assert_num_queries(len(one)):
        assert len(client.get(LIST).context["records"]) == 50


def test_an_empty_list_says_so(client, hr):
    client.force_login(hr)
    assert "No records to show." in client.get(LIST).text
