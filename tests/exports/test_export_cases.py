"""The governance head's case export: the cases of the all-cases page for the same filters and sort, as CSV
and Excel, neutralised and audited."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from cases.models import Platform, Stage, SubjectKind
from tests.exports.read_back import by_reference, csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db

HEADER = [
    "Reference",
    "Raised",
    "Stage",
    "Outcome",
    "Platform",
    "About",
    "Reporter's team",
    "Handler",
    "Clauses",
    "Links",
    "Description",
]
CRAFTED = ['=HYPERLINK("https://evil.example","Click me")', "+1", "-2", "@SUM(A1:A9)"]


@pytest.fixture
def public_case(raise_case, policy, other_staff, move_to):
    """A concern about a member of the public on another platform, with two clauses, closed."""
    version = policy.current_version()
    case = raise_case(
        other_staff,
        platform=Platform.OTHER,
        platform_other="Mastodon",
        links="https://mastodon.example/@a/1\n\nhttps://mastodon.example/@a/2\n",
        description="A toot naming a carer.",
        clauses=[version.clauses().get(number="5.2"), version.clauses().get(number="2.4")],
    )
    return move_to(case, Stage.CLOSED)


def download(client, user, format, **params):
    client.force_login(user)
    return client.get(reverse(f"cases:export_{format}"), params)


def test_the_csv_holds_every_column_of_each_case(
    client, governance, case_about_colleague, public_case, other_staff, supervisor
):
    response = download(client, governance, "csv")
    assert response["Content-Disposition"] == f'attachment; filename="cases-{timezone.localdate()}.csv"'
    rows = csv_rows(response)
    assert rows[0] == HEADER
    colleague = by_reference(rows)[case_about_colleague.reference]
    assert colleague["Raised"].startswith(case_about_colleague.created_at.strftime("%Y-%m-%d "))
    assert colleague["Stage"] == "Submitted"
    assert colleague["Outcome"] == ""
    assert colleague["Platform"] == "Facebook"
    # The governance head sees who a concern is about on the case page, and so in the export.
    assert colleague["About"] == str(other_staff)
    assert colleague["Reporter's team"] == "Community Support"
    assert colleague["Handler"] == str(supervisor)
    assert colleague["Clauses"] == "5.2"
    assert colleague["Description"] == "A post naming a service user and describing their care."
    public = by_reference(rows)[public_case.reference]
    assert public["Stage"] == "Closed"
    assert public["Outcome"] == "No breach found"
    assert public["Platform"] == "Mastodon"
    assert public["About"] == "A member of the public: A Facebook account called 'Concerned Neighbour'"
    assert public["Reporter's team"] == "Supported Living"
    assert public["Clauses"] == "2.4, 5.2"
    assert public["Links"] == "https://mastodon.example/@a/1\nhttps://mastodon.example/@a/2"


def test_the_excel_file_holds_the_same(client, governance, case_about_colleague, public_case):
    rows = xlsx_rows(download(client, governance, "xlsx"))
    assert rows[0] == HEADER
    public = by_reference(rows)[public_case.reference]
    assert public["Platform"] == "Mastodon"
    assert public["Clauses"] == "2.4, 5.2"
    # Excel has no time zones: the local time the concern was raised.
    raised = timezone.localtime(public_case.created_at).replace(tzinfo=None, microsecond=0)
    assert abs((public["Raised"] - raised).total_seconds()) < 1


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_descriptions_that_start_like_a_formula_are_neutralised(
    client, governance, raise_case, staff, format
):
    cases = [raise_case(staff, description=text) for text in CRAFTED]
    response = download(client, governance, format)
    rows = by_reference((csv_rows if format == "csv" else xlsx_rows)(response))
    for case, text in zip(cases, CRAFTED, strict=True):
        assert rows[case.reference]["Description"] == "'" + text


def test_the_export_follows_the_filters_and_sort_of_the_all_cases_page(
    client, governance, case_about_colleague, public_case, raise_case, staff
):
    third = raise_case(staff)
    rows = csv_rows(download(client, governance, "csv", stage=Stage.SUBMITTED, sort="reference"))
    assert [row[0] for row in rows[1:]] == [case_about_colleague.reference, third.reference]
    rows = csv_rows(download(client, governance, "csv", sort="-reference"))
    assert [row[0] for row in rows[1:]] == [
        third.reference,
        public_case.reference,
        case_about_colleague.reference,
    ]
    rows = csv_rows(download(client, governance, "csv", sort="stage"))
    in_workflow_order = [case_about_colleague.reference, third.reference, public_case.reference]
    assert [row[0] for row in rows[1:]] == in_workflow_order
    rows = csv_rows(download(client, governance, "csv", subject_kind=SubjectKind.COLLEAGUE))
    assert [row[0] for row in rows[1:]] == [case_about_colleague.reference]


def test_a_case_export_is_audited_with_its_filters_and_rows(client, governance, case_about_colleague, team):
    response = download(client, governance, "csv", stage=Stage.SUBMITTED, team=team.pk, age="30")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.actor == governance
    assert entry.case is None
    assert entry.what == "exported cases as CSV (0 rows)"
    assert entry.details == {
        "format": "csv",
        "filters": {"stage": "submitted", "team": "Community Support", "age": "30", "sort": "-raised"},
        "rows": 0,
    }
    assert len(csv_rows(response)) == 1

    b"".join(download(client, governance, "xlsx").streaming_content)
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).first()
    assert entry.what == "exported cases as Excel (1 row)"
    assert entry.details == {"format": "xlsx", "filters": {"sort": "-raised"}, "rows": 1}


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_a_case_export_with_a_filter_that_does_not_fit_exports_nothing(
    client, governance, case_about_colleague, format
):
    response = download(client, governance, format, stage="vanished")
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:all") + "?stage=vanished"
    page = client.get(response["Location"])
    assert "Nothing was exported: correct the filters below, then download again." in page.text
    assert "Select a valid choice" in page.text
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_the_all_cases_page_links_to_the_exports_with_its_filters(client, governance, case_about_colleague):
    client.force_login(governance)
    response = client.get(reverse("cases:all"), {"stage": Stage.SUBMITTED, "sort": "reference", "page": "1"})
    assert f'href="{reverse("cases:export_csv")}?stage=submitted&amp;sort=reference"' in response.text
    assert f'href="{reverse("cases:export_xlsx")}?stage=submitted&amp;sort=reference"' in response.text


def test_queries_do_not_grow_with_the_number_of_cases(
    client, governance, raise_case, staff, other_staff, django_assert_max_num_queries
):
    for number in range(12):
        raise_case(staff if number % 2 else other_staff)
    client.force_login(governance)
    with django_assert_max_num_queries(8):
        rows = csv_rows(client.get(reverse("cases:export_csv")))
    assert len(rows) == 13


@override_settings(EXPORT_EXCEL_MAX_ROWS=1)
def test_an_excel_export_past_the_row_limit_is_refused_before_it_starts(
    client, governance, case_about_colleague, public_case
):
    client.force_login(governance)
    response = client.get(reverse("cases:export_xlsx"), {"sort": "reference"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:all") + "?sort=reference"  # Back to the same list.
    text = client.get(reverse("cases:export_xlsx"), follow=True).text
    assert "an Excel download holds at most 1 rows" in text
    assert "Download CSV instead" in text
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()
    # Within the limit (one closed case), and as CSV however many: the download starts.
    assert download(client, governance, "xlsx", stage=Stage.CLOSED).status_code == 200
    assert len(csv_rows(download(client, governance, "csv"))) == 1 + 2
