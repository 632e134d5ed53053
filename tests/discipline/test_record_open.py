"""Opening a disciplinary record: from a referral on a case, or directly by HR (discipline.services)."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from cases.models import CaseClause
from core.errors import DomainError
from discipline import services
from discipline.models import DisciplinaryRecord, RecordEvent, Severity, Step
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_record_opened_from_a_referral_takes_its_employee_allegation_severity_clauses_and_case(
    referral, hr, other_staff
):
    record = services.record_open_from_referral(referral=referral, by=hr)
    year = timezone.localdate().year
    assert record.reference == f"DR-{year}-0001"
    assert (record.employee, record.allegation, record.severity) == (
        other_staff,
        referral.allegation,
        Severity.MISCONDUCT,
    )
    assert (record.referral, record.case, record.step, record.opened_by) == (
        referral,
        referral.case,
        Step.OPENED,
        hr,
    )
    assert (record.employee_team, record.employment_type) == (other_staff.team, "employee")
    case_clause = referral.clauses_breached.get()
    clause = record.clauses.get()
    assert (clause.clause, clause.number, clause.text) == (case_clause.clause, "5.2", case_clause.text)


def test_the_clauses_keep_the_text_as_it_was_when_the_concern_was_raised(referral, hr):
    CaseClause.objects.filter(pk=referral.clauses_breached.get().pk).update(text="The text as it was then.")
    record = services.record_open_from_referral(referral=referral, by=hr)
    assert record.clauses.get().text == "The text as it was then."


def test_a_referral_opens_one_record_only(referral, hr):
    first = services.record_open_from_referral(referral=referral, by=hr)
    with pytest.raises(DomainError, match=f"{first.reference} is already open for this referral"):
        services.record_open_from_referral(referral=referral, by=hr)
    assert DisciplinaryRecord.objects.count() == 1


def test_opening_writes_the_first_event_and_an_audit_entry(referral, hr):
    record = services.record_open_from_referral(referral=referral, by=hr)
    event = RecordEvent.objects.get(record=record)
    assert (event.step, event.actor) == (Step.OPENED, hr)
    assert f"the disciplinary referral on {referral.case.reference}" in event.text
    assert "misconduct (clause 5.2)" in event.text
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CHANGE, details__record=record.reference)
    assert (entry.actor, entry.case) == (hr, referral.case)
    assert entry.what == f"opened disciplinary record {record.reference} about {record.employee}"


def test_the_governance_head_cannot_open_records(referral, governance):
    with pytest.raises(DomainError, match="Only HR"):
        services.record_open_from_referral(referral=referral, by=governance)
    assert not DisciplinaryRecord.objects.exists()


def test_hr_cannot_open_a_record_about_themselves(referral, hr):
    referral.person = hr
    referral.save()
    with pytest.raises(DomainError, match="about yourself"):
        services.record_open_from_referral(referral=referral, by=hr)


def test_an_hr_officer_who_has_left_cannot_open_records(referral, hr):
    hr.is_active = False
    hr.save()
    with pytest.raises(DomainError, match="Only HR"):
        services.record_open_from_referral(referral=referral, by=hr)


def test_a_direct_record_keeps_the_clause_text_as_it_reads_now(hr, staff, policy):
    clause = policy.current_version().clauses().get(number="6.4")
    record = services.record_open(
        by=hr,
        employee=staff,
        allegation="  Joined a forum as focus.  ",
        severity="gross_misconduct",
        clauses=[clause],
    )
    snapshot = record.clauses.get()
    assert (snapshot.number, record.allegation, record.case, record.referral) == (
        "6.4",
        "Joined a forum as focus.",
        None,
        None,
    )
    assert snapshot.text.startswith(clause.text)
    assert record.employee_team == staff.team
    assert "Opened from HR: gross misconduct (clause 6.4)" in record.events.get().text


def test_references_count_up_within_the_year_of_opening(hr, staff, other_staff, clause_5_2):
    year = timezone.localdate().year
    opened = [
        services.record_open(
            by=hr, employee=person, allegation="A post.", severity="misconduct", clauses=[clause_5_2]
        )
        for person in (staff, other_staff)
    ]
    earlier = services.record_open(
        by=hr,
        employee=staff,
        allegation="An old post.",
        severity="misconduct",
        clauses=[clause_5_2],
        opened_on=datetime.date(year - 1, 6, 1),
    )
    assert [r.reference for r in opened] == [f"DR-{year}-0001", f"DR-{year}-0002"]
    assert earlier.reference == f"DR-{year - 1}-0001"


def test_employment_type_is_kept_as_it_was_when_opened(hr, staff, clause_5_2):
    staff.employment_type = "agency"
    staff.save()
    record = services.record_open(
        by=hr, employee=staff, allegation="A post.", severity="misconduct", clauses=[clause_5_2]
    )
    staff.employment_type = "employee"
    staff.save()
    record.refresh_from_db()
    assert (record.employment_type, record.employment_type_label()) == ("agency", "Agency staff")


@pytest.mark.parametrize(
    "change, message",
    [
        ({"allegation": "  "}, "Describe the allegation"),
        ({"severity": "serious"}, "misconduct or gross misconduct"),
        ({"clauses": []}, "at least one clause"),
        ({"opened_on": "tomorrow"}, "cannot be in the future"),
        ({"employee": "hr"}, "about yourself"),
        ({"employee": "not staff"}, "is not, and has not been, a member of staff"),
    ],
)
def test_a_direct_record_needs_what_acas_needs(hr, staff, clause_5_2, change, message):
    fields = {"employee": staff, "allegation": "A post.", "severity": "misconduct", "clauses": [clause_5_2]}
    fields.update(change)
    if change.get("opened_on") == "tomorrow":
        fields["opened_on"] = timezone.localdate() + datetime.timedelta(days=1)
    if change.get("employee") == "hr":
        fields["employee"] = hr
    if change.get("employee") == "not staff":
        fields["employee"] = UserFactory(username="visitor")
        fields["employee"].groups.clear()
    with pytest.raises(DomainError, match=message):
        services.record_open(by=hr, **fields)
    assert not DisciplinaryRecord.objects.exists()


def test_a_direct_record_uses_clauses_of_the_current_policy_only(hr, staff, draft_v2):
    clause = draft_v2.clauses().get(number="5.2")
    with pytest.raises(DomainError, match="current version"):
        services.record_open(
            by=hr, employee=staff, allegation="A post.", severity="misconduct", clauses=[clause]
        )


def test_an_hr_officer_may_be_the_employee_of_a_record_another_opens(hr, other_hr, clause_5_2):
    record = services.record_open(
        by=other_hr, employee=hr, allegation="A post.", severity="misconduct", clauses=[clause_5_2]
    )
    assert record.employee == hr
