"""People, cases and disciplinary records the API tests share.

The world: `staff` reports `staff2` for posting a service user's details (a possible personal data
breach, so the Head of Information & Security is granted it); `staff2` reports a member of the public
(handled by supervisor2); `staff` reports the Head of Business and Governance (who must never see it).
HR keep two records: one about `staff2`, one about the HR officer themselves.
"""

import datetime

import pytest
from django.utils import timezone

from cases.models import Platform, Stage, SubjectKind
from discipline.models import DisciplinaryRecord, Outcome, RecordClause, Severity, Step
from people.roles import Role
from tests.factories import UserFactory

ROLES = [
    "reporter",
    "subject",
    "handler",
    "other_supervisor",
    "head_of_service",
    "governance",
    "infosec",
    "infosec_without_grant",
    "hr",
    "administrator",
    "outsider",
]


@pytest.fixture
def infosec(db):
    return UserFactory(username="infosec", roles=[Role.INFOSEC], first_name="Iris", last_name="Sec")


@pytest.fixture
def cases(raise_case, move_to, staff, other_staff, supervisor, other_supervisor, governance, infosec):
    """The three cases of the world, by name."""
    breach = raise_case(
        staff,
        subject_kind=SubjectKind.COLLEAGUE,
        subject_person=other_staff,
        subject_description="",
        identifies_service_user_or_carer=True,
        discloses_personal_data=True,
    )
    public = move_to(
        raise_case(other_staff, platform=Platform.TWITTER, links="https://x.example/1\nhttps://x.example/2"),
        Stage.CLOSED,
    )
    about_governance = raise_case(
        staff, subject_kind=SubjectKind.COLLEAGUE, subject_person=governance, subject_description=""
    )
    return {"breach": breach, "public": public, "about_governance": about_governance}


@pytest.fixture
def people(
    cases,
    staff,
    other_staff,
    supervisor,
    other_supervisor,
    head_of_service,
    governance,
    infosec,
    hr,
    administrator,
    outsider,
):
    """Everyone, by their part. The second Head of Information & Security took up the role after the breach
    was flagged, so holds no grant on it."""
    return {
        "reporter": staff,
        "subject": other_staff,
        "handler": supervisor,
        "other_supervisor": other_supervisor,
        "head_of_service": head_of_service,
        "governance": governance,
        "infosec": infosec,
        "infosec_without_grant": UserFactory(username="infosec2", roles=[Role.INFOSEC]),
        "hr": hr,
        "administrator": administrator,
        "outsider": outsider,
    }


@pytest.fixture
def make_record(policy, hr):
    """make_record(employee, **fields): a disciplinary record kept by HR, alleging a breach of 5.2."""
    numbers = iter(range(1, 10_000))

    def _make(employee, clauses=("5.2",), **fields):
        opened_on = fields.pop("opened_on", timezone.localdate())
        record = DisciplinaryRecord.objects.create(
            reference=fields.pop("reference", f"DR-{opened_on.year}-{next(numbers):04d}"),
            employee=employee,
            employee_team=employee.team,
            employment_type=employee.employment_type,
            allegation="Posted a photograph of a service user on Facebook.",
            severity=Severity.MISCONDUCT,
            opened_by=hr,
            opened_on=opened_on,
            **fields,
        )
        version = policy.current_version()
        for number in clauses:
            clause = version.clauses().get(number=number)
            RecordClause.objects.create(record=record, clause=clause, number=number, text=clause.text)
        return record

    return _make


def warning(decided_on, expires_on, outcome=Outcome.FIRST_WRITTEN_WARNING):
    """The fields of a record decided with a written warning."""
    return {
        "step": Step.DECIDED,
        "hearing_held_on": decided_on,
        "outcome": outcome,
        "outcome_reasons": "The posting identified a service user.",
        "decided_on": decided_on,
        "outcome_in_force": outcome,
        "warning_expires_on": expires_on,
    }


@pytest.fixture
def records(make_record, other_staff, hr, cases):
    today = timezone.localdate()
    return {
        "about_staff2": make_record(
            other_staff,
            case=cases["breach"],
            **warning(today - datetime.timedelta(days=30), today + datetime.timedelta(days=300)),
        ),
        "about_hr": make_record(hr),
    }
