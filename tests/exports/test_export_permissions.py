"""Who may read the record list and download exports: every role × every list, export and summary.

HR and the Head of Business and Governance read records; only HR export them; the governance head
exports cases. Nobody reads or exports a record about themselves. Everyone else gets a 404, and no audit
entry, never a 403 that would confirm the page exists.
"""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from tests.exports.conftest import clauses_of, record_maker
from tests.exports.read_back import csv_rows, xlsx_rows
from tests.factories import base_people, concern_about_colleague, make_hr, make_policy

pytestmark = pytest.mark.django_db

ROLES = [
    "hr",
    "governance",
    "supervisor",
    "head_of_service",
    "staff",
    "outsider",
    "administrator",
    "hr_about_themselves",
]

# Endpoint: who may use it. "own_pdf" is the summary of the record about the HR officer themselves.
ALLOWED = {
    "list": {"hr", "governance", "hr_about_themselves"},
    "export_csv": {"hr", "hr_about_themselves"},
    "export_xlsx": {"hr", "hr_about_themselves"},
    "pdf": {"hr", "governance", "hr_about_themselves"},
    "own_pdf": {"hr", "governance"},
    "cases_csv": {"governance"},
    "cases_xlsx": {"governance"},
}


@pytest.fixture
def hr_about_themselves(other_hr):
    """An HR officer who is themselves the subject of a disciplinary record."""
    return other_hr


@pytest.fixture
def records(make_record, other_staff, hr_about_themselves):
    return {
        "other": make_record(other_staff, allegation="Shared a service user's photograph."),
        "own": make_record(hr_about_themselves, allegation="Posted about a colleague."),
    }


@pytest.fixture
def people(request):
    return {role: request.getfixturevalue(role) for role in ROLES}


def url(endpoint, records):
    return {
        "list": reverse("discipline:list"),
        "export_csv": reverse("discipline:export_csv"),
        "export_xlsx": reverse("discipline:export_xlsx"),
        "pdf": reverse("discipline:pdf", args=[records["other"].reference]),
        "own_pdf": reverse("discipline:pdf", args=[records["own"].reference]),
        "cases_csv": reverse("cases:export_csv"),
        "cases_xlsx": reverse("cases:export_xlsx"),
    }[endpoint]


def matrix_world_made():
    """The people by role, their two records, and staff's concern about staff2, as the fixtures make them."""
    everyone = {**base_people(), "hr_about_themselves": make_hr(username="hr2")}
    people = {role: everyone[role] for role in ROLES}
    policy = make_policy(everyone["governance"])
    make_record = record_maker(everyone["hr"], clauses_of(policy))
    records = {
        "other": make_record(everyone["other_staff"], allegation="Shared a service user's photograph."),
        "own": make_record(everyone["hr_about_themselves"], allegation="Posted about a colleague."),
    }
    concern_about_colleague(policy, everyone["staff"], everyone["other_staff"])
    return people, records


@pytest.fixture(scope="class")
def matrix_world(build_once):
    yield from build_once(matrix_world_made)


class TestEveryRoleAndEndpoint:
    """Every role × every list, export and summary, over people and records built once for the class."""

    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("endpoint", list(ALLOWED))
    def test_who_may_use_each_list_and_export(self, client, matrix_world, role, endpoint):
        people, records = matrix_world
        client.force_login(people[role])
        response = client.get(url(endpoint, records))
        exports = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, actor=people[role])
        if role not in ALLOWED[endpoint]:
            assert response.status_code == 404
            assert not exports.exists()
            return
        assert response.status_code == 200
        if endpoint == "list":
            assert not exports.exists()  # Reading the list is not an export.
        else:
            assert exports.count() == 1


@pytest.mark.parametrize("role", ["hr", "governance", "hr_about_themselves"])
def test_nobody_sees_a_record_about_themselves_in_the_list(client, people, records, role):
    client.force_login(people[role])
    text = client.get(reverse("discipline:list")).text
    assert records["other"].reference in text
    assert (records["own"].reference in text) is (role != "hr_about_themselves")


@pytest.mark.parametrize("format", ["csv", "xlsx"])
@pytest.mark.parametrize("role", ["hr", "hr_about_themselves"])
def test_nobody_exports_a_record_about_themselves(client, people, records, format, role):
    client.force_login(people[role])
    response = client.get(reverse(f"discipline:export_{format}"))
    rows = (csv_rows if format == "csv" else xlsx_rows)(response)
    references = {row[0] for row in rows[1:]}
    expected = {records["other"].reference}
    if role == "hr":
        expected.add(records["own"].reference)
    assert references == expected


def test_a_person_who_is_not_logged_in_is_sent_to_log_in(client, records):
    for name in ("discipline:list", "discipline:export_csv", "discipline:export_xlsx", "cases:export_csv"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("login") in response["Location"]
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_a_record_that_does_not_exist_has_no_summary(client, hr):
    client.force_login(hr)
    assert client.get(reverse("discipline:pdf", args=["DR-2026-9999"])).status_code == 404


def test_exports_refuse_anything_but_reading(client, hr, governance, records):
    client.force_login(hr)
    assert client.post(reverse("discipline:export_csv")).status_code == 405
    client.force_login(governance)
    assert client.post(reverse("cases:export_csv")).status_code == 405
