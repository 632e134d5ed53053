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
from tests.factories import (
    UserFactory,
    base_people,
    case_moved_to,
    case_raised,
    make_draft_v2,
    make_policy,
)

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


def cases_made(policy, staff, other_staff, governance):
    """The three cases of the world, by name (the Head of Information & Security must exist already)."""
    breach = case_raised(
        policy,
        staff,
        subject_kind=SubjectKind.COLLEAGUE,
        subject_person=other_staff,
        subject_description="",
        identifies_service_user_or_carer=True,
        discloses_personal_data=True,
    )
    public = case_moved_to(
        case_raised(
            policy, other_staff, platform=Platform.TWITTER, links="https://x.example/1\nhttps://x.example/2"
        ),
        Stage.CLOSED,
        governance=governance,
    )
    about_governance = case_raised(
        policy, staff, subject_kind=SubjectKind.COLLEAGUE, subject_person=governance, subject_description=""
    )
    return {"breach": breach, "public": public, "about_governance": about_governance}


def people_by_part(everyone):
    """Everyone, by their part, from the base set of people (by fixture name), once the cases are raised.
    The second Head of Information & Security took up the role after the breach was flagged, so holds no
    grant on it."""
    return {
        "reporter": everyone["staff"],
        "subject": everyone["other_staff"],
        "handler": everyone["supervisor"],
        "other_supervisor": everyone["other_supervisor"],
        "head_of_service": everyone["head_of_service"],
        "governance": everyone["governance"],
        "infosec": everyone["infosec"],
        "infosec_without_grant": UserFactory(username="infosec2", roles=[Role.INFOSEC]),
        "hr": everyone["hr"],
        "administrator": everyone["administrator"],
        "outsider": everyone["outsider"],
    }


def record_maker(policy, hr):
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


def records_made(make_record, other_staff, hr, cases):
    today = timezone.localdate()
    return {
        "about_staff2": make_record(
            other_staff,
            case=cases["breach"],
            **warning(today - datetime.timedelta(days=30), today + datetime.timedelta(days=300)),
        ),
        "about_hr": make_record(hr),
    }


@pytest.fixture
def cases(policy, staff, other_staff, supervisor, other_supervisor, governance, infosec):
    return cases_made(policy, staff, other_staff, governance)


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
    everyone = {
        "staff": staff,
        "other_staff": other_staff,
        "supervisor": supervisor,
        "other_supervisor": other_supervisor,
        "head_of_service": head_of_service,
        "governance": governance,
        "infosec": infosec,
        "hr": hr,
        "administrator": administrator,
        "outsider": outsider,
    }
    return people_by_part(everyone)


@pytest.fixture
def make_record(policy, hr):
    return record_maker(policy, hr)


@pytest.fixture
def records(make_record, other_staff, hr, cases):
    return records_made(make_record, other_staff, hr, cases)


def world_made():
    """The whole world, as the fixtures above make it, by part: people, cases, records, and the draft."""
    everyone = base_people()
    policy = make_policy(everyone["governance"])
    cases = cases_made(policy, everyone["staff"], everyone["other_staff"], everyone["governance"])
    people = people_by_part(everyone)
    hr = everyone["hr"]
    records = records_made(record_maker(policy, hr), everyone["other_staff"], hr, cases)
    return {"people": people, "cases": cases, "records": records, "draft_v2": make_draft_v2()}


@pytest.fixture(scope="module")
def world_built_once(build_once):
    """The world, built once for the module that asks for it (see build_once)."""
    yield from build_once(world_made)


@pytest.fixture
def world(world_built_once):
    """The world built once for the module, read again for each test: a change one test makes to an object
    in memory does not reach the next."""

    def fresh(obj):
        return type(obj).objects.get(pk=obj.pk)

    return {
        part: {name: fresh(obj) for name, obj in made.items()} if isinstance(made, dict) else fresh(made)
        for part, made in world_built_once.items()
    }


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
