"""Who may read and change disciplinary records: every role × every page × records about different people.

Only HR and the Head of Business and Governance see records; only HR change them; nobody sees a record
about themselves, even in HR. Everyone else gets a 404, never a 403 that would confirm the record exists.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from discipline.models import DisciplinaryRecord, Step
from tests.discipline.conftest import record_maker, referral_made
from tests.factories import base_people, concern_about_colleague, make_hr, make_policy

pytestmark = pytest.mark.django_db

ROLES = [
    "hr",
    "governance",
    "employee",
    "supervisor",
    "head_of_service",
    "staff",
    "outsider",
    "administrator",
]
READERS = {"hr", "governance"}
KEEPERS = {"hr"}


@pytest.fixture
def hr_officer(other_hr):
    """A second HR officer: the employee of one of the records."""
    return other_hr


@pytest.fixture
def record_about(make_record, request):
    """record_about(which): an investigated record from a referral about staff2, or one opened directly
    about an HR officer. Only the one asked for is made."""

    def _record(which):
        if which == "about staff2":
            return make_record(Step.INVESTIGATED, referral=request.getfixturevalue("referral"))
        start = timezone.localdate() - datetime.timedelta(days=5)
        return make_record(Step.INVESTIGATED, employee=request.getfixturevalue("hr_officer"), start=start)

    return _record


def person(role, record, people):
    if role == "employee":
        return record.employee
    if role == "supervisor":
        return record.employee.line_manager or people["supervisor"]
    return people[role]


def pages(record):
    """(name, method, url, data, who may use it) for every page of one record."""
    today = timezone.localdate().isoformat()
    invitation = {
        "sent_on": today,
        "hearing_arranged_for": today,
        "hearing_time": "10:00",
        "hearing_place": "Meeting room 1",
        "told_of_right_to_be_accompanied": "on",
    }
    return {
        "detail": ("get", record.get_absolute_url(), None, READERS),
        "step form": (
            "get",
            reverse("discipline:step", args=[record.reference, Step.INVITED]),
            None,
            KEEPERS,
        ),
        "record a step": (
            "post",
            reverse("discipline:step", args=[record.reference, Step.INVITED]),
            invitation,
            KEEPERS,
        ),
    }


def world_made(*, with_records):
    """The base set of people by role, the policy and the referral about staff2; `with_records`, the two
    records of record_about as well (by name, their primary keys)."""
    everyone = base_people()
    hr_officer = make_hr(username="hr2")
    governance = everyone["governance"]
    policy = make_policy(governance)
    case = concern_about_colleague(policy, everyone["staff"], everyone["other_staff"])
    referral = referral_made(case, governance)
    people = {role: everyone[role] for role in ROLES if role in everyone}
    if not with_records:
        return {"people": people, "policy": policy, "referral": referral}
    make_record = record_maker(
        hr=everyone["hr"],
        other_staff=everyone["other_staff"],
        supervisor=everyone["supervisor"],
        head_of_service=everyone["head_of_service"],
        governance=governance,
        clause_5_2=policy.current_version().clauses().get(number="5.2"),
    )
    start = timezone.localdate() - datetime.timedelta(days=5)
    records = {
        "about staff2": make_record(Step.INVESTIGATED, referral=referral),
        "about an HR officer": make_record(Step.INVESTIGATED, employee=hr_officer, start=start),
    }
    return {"people": people, "records": {which: record.pk for which, record in records.items()}}


@pytest.fixture(scope="class")
def records_world(build_once):
    yield from build_once(lambda: world_made(with_records=True))


@pytest.fixture(scope="class")
def opening_world(build_once):
    yield from build_once(lambda: world_made(with_records=False))


class TestRecordPages:
    """Every role × every page × both records, built once for the class (what a test changes is undone)."""

    @pytest.mark.parametrize("which", ["about staff2", "about an HR officer"])
    @pytest.mark.parametrize("page", ["detail", "step form", "record a step"])
    @pytest.mark.parametrize("role", ROLES)
    def test_record_pages_by_role(self, client, records_world, which, page, role):
        people = records_world["people"]
        record = DisciplinaryRecord.objects.get(pk=records_world["records"][which])
        method, url, data, allowed = pages(record)[page]
        user = person(role, record, people)
        client.force_login(user)
        views_before = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).count()
        response = getattr(client, method)(url, data)
        record.refresh_from_db()
        # The employee never sees their own record, whatever their role.
        if role in allowed and user != record.employee:
            assert response.status_code in (200, 302), (role, page, response.status_code)
            if method == "post":
                assert record.step == Step.INVITED
            else:
                entry = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).latest("pk")
                assert (entry.actor, entry.details) == (user, {"record": record.reference})
        else:
            assert response.status_code == 404, (role, page, response.status_code)
            assert record.reference not in response.text
            assert record.step == Step.INVESTIGATED
            assert AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).count() == views_before


class TestOpeningRecords:
    """Every role × both ways of opening × GET and POST, over one referral built once for the class."""

    @pytest.mark.parametrize("page", ["open", "open from referral"])
    @pytest.mark.parametrize("method", ["get", "post"])
    @pytest.mark.parametrize("role", ROLES)
    def test_opening_records_by_role(self, client, opening_world, role, page, method):
        referral, people, policy = (opening_world[part] for part in ("referral", "people", "policy"))
        user = referral.person if role == "employee" else people[role]
        if page == "open":
            url = reverse("discipline:open")
            clause = policy.current_version().clauses().get(number="5.2")
            data = {
                "employee": referral.person.pk,
                "allegation": "A post.",
                "severity": "misconduct",
                "clauses": [clause.pk],
                "opened_on": timezone.localdate().isoformat(),
            }
        else:
            url, data = reverse("discipline:open_from_referral", args=[referral.pk]), {}
        client.force_login(user)
        response = getattr(client, method)(url, data if method == "post" else None)
        if role in KEEPERS:
            assert response.status_code == (302 if method == "post" else 200), (role, page, method)
            assert DisciplinaryRecord.objects.count() == (1 if method == "post" else 0)
        else:
            assert response.status_code == 404, (role, page, method, response.status_code)
            assert not DisciplinaryRecord.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        lambda record: record.get_absolute_url(),
        lambda record: reverse("discipline:step", args=[record.reference, Step.INVITED]),
        lambda record: reverse("discipline:open"),
        lambda record: reverse("discipline:open_from_referral", args=[record.referral_id]),
    ],
)
def test_anonymous_visitors_are_sent_to_log_in(client, record_about, url):
    response = client.get(url(record_about("about staff2")))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_someone_who_leaves_hr_loses_the_records(client, record_about, hr):
    record = record_about("about staff2")
    client.force_login(hr)
    assert client.get(record.get_absolute_url()).status_code == 200
    hr.groups.clear()
    hr = type(hr).objects.get(pk=hr.pk)  # permissions are cached on the instance
    client.force_login(hr)
    assert client.get(record.get_absolute_url()).status_code == 404
