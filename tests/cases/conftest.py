"""Fixtures of the playbook tests (tests/cases/test_playbook_*.py)."""

import pytest
import time_machine

from cases.models import ActionKind, PlaybookStep, SubjectKind


@pytest.fixture
def step(policy):
    """step(number, **fields): a step of the clause's playbook."""

    def make(number="2.5", **fields):
        fields = {
            "action": ActionKind.REMOVAL_REQUEST,
            "requirement": PlaybookStep.Requirement.REQUIRED,
            "label": "Send a removal request",
            "working_days": 2,
            "starts_from": PlaybookStep.Start.CITED,
            **fields,
        }
        return PlaybookStep.objects.create(policy=policy, clause_number=number, **fields)

    return make


@pytest.fixture
def raise_citing(raise_case, staff, other_staff, policy):
    """raise_citing(when, *numbers): `staff` reports `staff2`, citing these clauses, at that moment."""

    def make(when, *numbers):
        version = policy.current_version()
        clauses = [version.clauses().get(number=number) for number in numbers]
        with time_machine.travel(when, tick=False):
            return raise_case(
                staff,
                subject_kind=SubjectKind.COLLEAGUE,
                subject_person=other_staff,
                subject_description="",
                clauses=clauses,
            )

    return make
