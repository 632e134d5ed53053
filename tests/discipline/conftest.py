"""Disciplinary records for tests, made through discipline.services as HR would make them.

`make_record(step=Step.DECIDED, outcome=Outcome.FINAL_WRITTEN_WARNING)` gives a record that has been
through every step up to and including `step`; `referral` (the fixture) gives a disciplinary referral to
open one from.
"""

import datetime

import pytest
from django.utils import timezone

from cases import actions
from cases.models import Stage
from discipline import services
from discipline.models import AppealOutcome, Outcome, Severity, Step
from tests.factories import case_moved_to

# The services that take a record through each step, and the record fields each one fills, named as on
# the model: {service keyword: record field}.
STEP_SERVICES = {
    Step.INVESTIGATED: (
        services.record_investigation,
        {
            "investigator": "investigator",
            "summary": "investigation_summary",
            "completed_on": "investigation_completed_on",
        },
    ),
    Step.INVITED: (
        services.record_invitation,
        {
            "sent_on": "invitation_sent_on",
            "hearing_arranged_for": "hearing_arranged_for",
            "hearing_time": "hearing_time",
            "hearing_place": "hearing_place",
            "told_of_right_to_be_accompanied": "told_of_right_to_be_accompanied",
            "invited_companion": "invited_companion",
            "notes": "invitation_notes",
        },
    ),
    Step.HEARD: (
        services.record_hearing,
        {
            "held_on": "hearing_held_on",
            "heard_by": "heard_by",
            "companion": "companion",
            "attendees": "hearing_attendees",
            "notes": "hearing_notes",
        },
    ),
    Step.DECIDED: (
        services.record_outcome,
        {
            "outcome": "outcome",
            "reasons": "outcome_reasons",
            "decided_on": "decided_on",
            "warning_expires_on": "warning_expires_on",
        },
    ),
    Step.APPEAL_LODGED: (
        services.record_appeal,
        {"lodged_on": "appeal_lodged_on", "grounds": "appeal_grounds"},
    ),
    Step.APPEAL_DECIDED: (
        services.record_appeal_outcome,
        {
            "heard_on": "appeal_heard_on",
            "heard_by": "appeal_heard_by",
            "appeal_outcome": "appeal_outcome",
            "reasons": "appeal_reasons",
            "new_outcome": "new_outcome",
            "new_warning_expires_on": "new_warning_expires_on",
        },
    ),
}
OPEN_FIELDS = {"employee", "allegation", "severity", "clauses", "opened_on", "case"}

# Days after the record opened on which each step happens by default (capped at today).
OFFSETS = {
    "investigation_completed_on": 10,
    "invitation_sent_on": 20,
    "hearing_arranged_for": 30,
    "hearing_held_on": 30,
    "decided_on": 40,
    "appeal_lodged_on": 45,
    "appeal_heard_on": 50,
}


@pytest.fixture
def clause_5_2(policy):
    return policy.current_version().clauses().get(number="5.2")


def referral_made(case, governance):
    """A disciplinary referral of the subject of `case` (a concern about a colleague) for misconduct under the
    case's clauses, once the case is under review."""
    case = case_moved_to(case, Stage.UNDER_REVIEW, governance=governance)
    return actions.disciplinary_referral_record(
        case=case,
        by=governance,
        person=case.subject_person,
        allegation="Posted a photo of a service user on Facebook.",
        clauses_breached=list(case.clauses.all()),
        severity=Severity.MISCONDUCT,
    )


@pytest.fixture
def referral(case_about_colleague, governance):
    """A disciplinary referral of staff2 (the subject of `case_about_colleague`) for misconduct under 5.2."""
    return referral_made(case_about_colleague, governance)


@pytest.fixture
def make_record(hr, other_staff, supervisor, head_of_service, governance, clause_5_2):
    return record_maker(
        hr=hr,
        other_staff=other_staff,
        supervisor=supervisor,
        head_of_service=head_of_service,
        governance=governance,
        clause_5_2=clause_5_2,
    )


def record_maker(*, hr, other_staff, supervisor, head_of_service, governance, clause_5_2):
    """make_record(step=Step.OPENED, *, outcome=..., appeal_outcome=..., referral=None, by=hr, start=None,
    **fields): a record taken through every step up to `step` by the services.

    - The record is about `other_staff` (staff2), opened by `hr` directly, for misconduct under 5.2; or,
      with `referral=<DisciplinaryReferral>`, opened from that referral (and so opened today).
    - `start` is the date it opened (default 60 days ago); each later step is dated a few days after the
      one before (investigation +10, invitation +20, hearing +30, outcome +40, appeal +45, appeal heard
      +50), never after today. A record with `start` three years back has an expired warning.
    - `outcome` (default a first written warning) and `appeal_outcome` (default upheld) are used when the
      record reaches those steps.
    - `**fields` override anything the services are given, named as the record's fields: employee,
      allegation, severity, clauses, opened_on, case, investigator, investigation_summary,
      investigation_completed_on, invitation_sent_on, hearing_arranged_for, hearing_time, hearing_place,
      told_of_right_to_be_accompanied, invited_companion, invitation_notes, hearing_held_on, heard_by,
      companion, hearing_attendees, hearing_notes, outcome_reasons, decided_on, warning_expires_on,
      appeal_lodged_on, appeal_grounds, appeal_heard_on, appeal_heard_by, appeal_reasons, and for a
      varied appeal new_outcome and new_warning_expires_on. An unknown name is a TypeError.
    """

    def _make(
        step=Step.OPENED,
        *,
        outcome=Outcome.FIRST_WRITTEN_WARNING,
        appeal_outcome=AppealOutcome.UPHELD,
        referral=None,
        by=None,
        start=None,
        **fields,
    ):
        by = by or hr
        today = timezone.localdate()
        known = OPEN_FIELDS | {field for _, names in STEP_SERVICES.values() for field in names.values()}
        unknown = set(fields) - known
        if unknown:
            raise TypeError(f"make_record does not know {', '.join(sorted(unknown))}")
        if referral is not None:
            record = services.record_open_from_referral(referral=referral, by=by)
            start = record.opened_on
        else:
            start = fields.get("opened_on") or start or today - datetime.timedelta(days=60)
            opening = {
                "employee": other_staff,
                "allegation": "Posted a photo of a service user on Facebook.",
                "severity": Severity.MISCONDUCT,
                "clauses": [clause_5_2],
                "opened_on": start,
            }
            opening.update({key: value for key, value in fields.items() if key in OPEN_FIELDS})
            record = services.record_open(by=by, **opening)

        values = {field: min(start + datetime.timedelta(days=days), today) for field, days in OFFSETS.items()}
        values.update(
            investigator=supervisor,
            investigation_summary="The post was public for a day; screenshots are on the case.",
            hearing_time=datetime.time(10, 30),
            hearing_place="Meeting room 2, Head Office",
            told_of_right_to_be_accompanied=True,
            invited_companion="",
            invitation_notes="",
            heard_by=head_of_service,
            companion="",
            hearing_attendees="The employee, the manager hearing it and an HR officer taking notes.",
            hearing_notes="The employee accepted the post was a mistake.",
            outcome=outcome,
            outcome_reasons="A breach of 5.2 the employee accepted.",
            warning_expires_on=None,
            appeal_grounds="The sanction is too severe.",
            appeal_heard_by=governance,
            appeal_outcome=appeal_outcome,
            appeal_reasons="Considered afresh by someone not involved before.",
            new_outcome="",
            new_warning_expires_on=None,
        )
        values.update(fields)
        order = list(Step)
        for each in order[1 : order.index(Step(step)) + 1]:
            service, names = STEP_SERVICES[each]
            record = service(record=record, by=by, **{kwarg: values[field] for kwarg, field in names.items()})
        record.refresh_from_db()
        return record

    return _make
