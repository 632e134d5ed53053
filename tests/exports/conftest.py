"""Disciplinary records for the export tests, written straight to the database: these tests are about what
the lists and downloads show, not about the steps that made a record (tests/discipline covers those).

`make_record(employee, ...)` opens a record about `employee`; `decided=Outcome.X` takes it to an outcome
decided at a hearing, with a warning's expiry where the outcome is a warning.
"""

import datetime
import itertools

import pytest
from django.utils import timezone

from discipline.models import WARNINGS, DisciplinaryRecord, RecordClause, Severity, Step


def clauses_of(policy):
    """The clauses of the current version of `policy`, by number."""
    return {clause.number: clause for clause in policy.current_version().clauses()}


@pytest.fixture
def clauses(policy):
    """The clauses of the current Social Media Policy, by number."""
    return clauses_of(policy)


@pytest.fixture
def make_record(hr, clauses):
    return record_maker(hr, clauses)


def record_maker(hr, clauses):
    """make_record(employee, ...), for records opened by `hr` under `clauses` (by number)."""
    references = itertools.count(1)

    def _make(employee, *, clause_numbers=("5.2",), decided=None, expires_on=None, **fields):
        opened_on = fields.pop("opened_on", timezone.localdate() - datetime.timedelta(days=30))
        values = {
            "reference": f"DR-2026-{next(references):04d}",
            "employee": employee,
            "employee_team": employee.team,
            "employment_type": employee.employment_type,
            "allegation": "Posted a photograph of a service user's home on Facebook.",
            "severity": Severity.MISCONDUCT,
            "opened_by": hr,
            "opened_on": opened_on,
        }
        if decided is not None:
            decided_on = opened_on + datetime.timedelta(days=20)
            values.update(
                step=Step.DECIDED,
                hearing_held_on=decided_on,
                outcome=decided,
                outcome_reasons="The posting identified a service user.",
                decided_on=decided_on,
                outcome_in_force=decided,
            )
            if decided in WARNINGS:
                values["warning_expires_on"] = expires_on or decided_on + datetime.timedelta(days=365)
        values.update(fields)
        record = DisciplinaryRecord.objects.create(**values)
        RecordClause.objects.bulk_create(
            RecordClause(record=record, clause=clauses[number], number=number, text=clauses[number].text)
            for number in clause_numbers
        )
        return record

    return _make
