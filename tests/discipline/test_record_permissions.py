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


@pytest.fixture
def people(hr, governance, other_supervisor, supervisor, head_of_service, staff, outsider, administrator):
    return {
        "hr": hr,
        "governance": governance,
        "supervisor": supervisor,
        "head_of_service": head_of_service,
        "staff": staff,
        "outsider": outsider,
        "administrator": administrator,
    }


def pages(record):
    """(name, method, url, data, who may use it) for every page of one record."""
    today = timezone.localdate().isoformat()
    invitation = {"sent_on": today, "hearing_arranged_for": today}
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


@pytest.mark.parametrize("which", ["about staff2", "about an HR officer"])
@pytest.mark.parametrize("page", ["detail", "step form", "record a step"])
@pytest.mark.parametrize("role", ROLES)
def test_record_pages_by_role(client, record_about, people, which, page, role):
    record = record_about(which)
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


@pytest.mark.parametrize("page", ["open", "open from referral"])
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("role", ROLES)
def test_opening_records_by_role(client, referral, people, policy, role, page, method):
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
