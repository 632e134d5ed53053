"""manage.py apply_retention: each kind of record kept to the day before its period ends and anonymised
(or deleted) on the day it ends; what is under a legal hold is skipped; --dry-run changes nothing; the
reports count anonymised cases as before."""

import datetime
import re
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit import chain
from audit.models import AuditEntry
from audit.services import audit_record
from business_use.models import Kind, State
from cases.models import Case, CaseEvent, Evidence, Outcome, Stage
from dataprotection.models import LegalHold, RecordKind, RetentionRule
from dataprotection.services import legal_hold_lift, legal_hold_place
from dataprotection.tasks import apply_retention
from discipline.models import DisciplinaryRecord, Severity
from people.models import ANONYMISED_USERNAME, User
from reports import selectors
from reports.selectors import Period
from tests.business_use.conftest import request_made
from tests.dataprotection.conftest import at

pytestmark = pytest.mark.django_db

CLOSED_ON = at(2026, 3, 10, 14)
# The day each kind of case is due: a year after closing at triage, six years after closing after review.
DUE = {Stage.CLOSED_AT_TRIAGE: datetime.date(2027, 3, 10), Stage.CLOSED: datetime.date(2032, 3, 10)}


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """run(day, *args): the command at 02:30 on that day, as beat runs it; {label: count} from its output.
    What waits for the commit (deleting files) runs too."""

    def _run(day, *args):
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(2, 30)))
        out = StringIO()
        with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
            call_command("apply_retention", *args, stdout=out)
        return dict(line.split(": ", 1) for line in out.getvalue().splitlines() if ": " in line)

    return _run


def is_anonymised(case):
    case.refresh_from_db()
    return case.anonymised_at is not None


@pytest.mark.parametrize("stage", [Stage.CLOSED_AT_TRIAGE, Stage.CLOSED])
def test_a_closed_case_is_kept_until_the_day_before_it_is_due_and_anonymised_on_the_day(
    run, closed_case, media, stage
):
    case = closed_case(stage, CLOSED_ON)
    evidence = case.evidence.get()
    stored = media / evidence.file.name
    assert stored.exists()

    run(DUE[stage] - datetime.timedelta(days=1))
    assert not is_anonymised(case)
    assert case.description and stored.exists()

    counts = run(DUE[stage])

    assert is_anonymised(case)
    kind = (
        "concerns closed at triage anonymised"
        if stage == Stage.CLOSED_AT_TRIAGE
        else "closed cases anonymised"
    )
    assert counts[kind] == "1"
    assert counts["evidence files deleted"] == "1"
    # Identities, free text and files gone.
    assert case.reporter.username == ANONYMISED_USERNAME
    assert not case.reporter.is_active
    assert (case.handler, case.description, case.links, case.subject_description, case.routing_note) == (
        None,
        "",
        "",
        "",
        "",
    )
    assert not Evidence.objects.filter(case=case).exists()
    assert not stored.exists()
    assert not CaseEvent.objects.filter(case=case).exclude(text="").exists()
    assert not CaseEvent.objects.filter(case=case, actor__isnull=False).exists()
    # What the reports count stays.
    assert case.stage == stage and case.outcome
    assert case.platform == "facebook"
    assert list(case.clauses.values_list("number", flat=True)) == ["5.2"]
    assert case.created_at < case.stage_changed_at == CLOSED_ON


def test_a_concern_about_a_colleague_no_longer_names_them(run, closed_case, other_staff):
    case = closed_case(
        Stage.CLOSED_AT_TRIAGE, CLOSED_ON, subject_kind="colleague", subject_person=other_staff
    )

    run(DUE[Stage.CLOSED_AT_TRIAGE])

    case.refresh_from_db()
    assert case.subject_kind == "colleague" and case.subject_person is None


def test_open_cases_are_never_due(run, raise_case, staff):
    with time_machine.travel(CLOSED_ON, tick=False):
        case = raise_case(staff)

    run(datetime.date(2040, 1, 1))

    assert not is_anonymised(case)


def test_a_month_end_closing_is_due_on_the_last_day_of_the_shorter_month(run, closed_case):
    case = closed_case(Stage.CLOSED_AT_TRIAGE, at(2027, 1, 31, 9))
    RetentionRule.objects.filter(kind=RecordKind.CONCERN_CLOSED_AT_TRIAGE).update(months=1)

    run(datetime.date(2027, 2, 27))
    assert not is_anonymised(case)
    run(datetime.date(2027, 2, 28))
    assert is_anonymised(case)


def test_the_schedule_is_read_from_its_rows(run, closed_case):
    case = closed_case(Stage.CLOSED_AT_TRIAGE, CLOSED_ON)
    RetentionRule.objects.filter(kind=RecordKind.CONCERN_CLOSED_AT_TRIAGE).update(months=24)

    run(DUE[Stage.CLOSED_AT_TRIAGE])
    assert not is_anonymised(case)
    run(datetime.date(2028, 3, 10))
    assert is_anonymised(case)


def test_a_legal_hold_on_the_case_keeps_it_until_lifted(run, closed_case, governance):
    case = closed_case(Stage.CLOSED, CLOSED_ON)
    hold = legal_hold_place(by=governance, case=case, reason="Employment tribunal claim ET/1234.")

    counts = run(DUE[Stage.CLOSED] + datetime.timedelta(days=30))
    assert counts["closed cases anonymised"] == "0"
    assert not is_anonymised(case)
    assert case.evidence.exists()

    legal_hold_lift(hold=hold, by=governance, reason="The claim was withdrawn.")
    run(DUE[Stage.CLOSED] + datetime.timedelta(days=31))
    assert is_anonymised(case)


def test_a_legal_hold_on_a_person_keeps_what_they_raised_and_what_is_about_them(
    run, closed_case, governance, staff, other_staff
):
    raised = closed_case(Stage.CLOSED_AT_TRIAGE, CLOSED_ON)
    about_other = closed_case(
        Stage.CLOSED_AT_TRIAGE, CLOSED_ON, subject_kind="colleague", subject_person=other_staff
    )
    LegalHold.objects.create(person=other_staff, reason="Police investigation.", placed_by=governance)

    run(DUE[Stage.CLOSED_AT_TRIAGE])
    assert is_anonymised(raised)
    assert not is_anonymised(about_other)

    legal_hold_place(by=governance, person=staff, reason="Grievance.")
    LegalHold.objects.filter(person=other_staff).update(
        lifted_at=at(2027, 3, 11), lifted_by=governance, lift_reason="Closed."
    )
    run(DUE[Stage.CLOSED_AT_TRIAGE] + datetime.timedelta(days=1))
    assert not is_anonymised(about_other)  # staff raised it, and staff is now held


def test_a_dry_run_lists_what_is_due_and_changes_nothing(run, closed_case):
    case = closed_case(Stage.CLOSED_AT_TRIAGE, CLOSED_ON)
    entries = AuditEntry.objects.count()

    counts = run(DUE[Stage.CLOSED_AT_TRIAGE], "--dry-run")

    assert counts["concerns closed at triage anonymised"] == f"1 ({case.reference})"
    assert counts["evidence files deleted"] == "1"
    assert not is_anonymised(case)
    assert case.evidence.count() == 1
    assert AuditEntry.objects.count() == entries
    assert not User.objects.filter(username=ANONYMISED_USERNAME).exists()


def test_one_audit_entry_gives_the_counts_and_nothing_of_the_content(run, closed_case):
    case = closed_case(Stage.CLOSED_AT_TRIAGE, CLOSED_ON)

    run(DUE[Stage.CLOSED_AT_TRIAGE])

    entry = AuditEntry.objects.filter(what="applied the retention schedule").get()
    assert entry.actor is None and entry.case is None
    assert entry.details["retention"]["concerns closed at triage anonymised"] == 1
    assert entry.details["retention"]["evidence files deleted"] == 1
    assert case.reference not in str(entry.details)


def test_a_second_run_finds_nothing_more_to_do(run, closed_case):
    closed_case(Stage.CLOSED_AT_TRIAGE, CLOSED_ON)
    run(DUE[Stage.CLOSED_AT_TRIAGE])

    counts = run(DUE[Stage.CLOSED_AT_TRIAGE] + datetime.timedelta(days=1))

    assert set(counts.values()) == {"0"}


def test_the_reports_count_anonymised_cases_as_before(run, closed_case, governance):
    closed_case(Stage.CLOSED_AT_TRIAGE, CLOSED_ON)
    closed_case(Stage.CLOSED, CLOSED_ON, platform="twitter")
    period = Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    reports = [
        selectors.cases_by_month,
        selectors.cases_by_stage,
        selectors.cases_by_platform,
        selectors.cases_by_outcome,
        selectors.cases_by_team,
        selectors.cases_by_clause,
    ]
    before = [report(user=governance, period=period) for report in reports]
    assert sum(row.value for row in before[1]) == 2

    run(DUE[Stage.CLOSED])

    assert Case.objects.filter(anonymised_at__isnull=False).count() == 2
    assert [report(user=governance, period=period) for report in reports] == before


@pytest.fixture
def record(hr, other_staff, policy):
    """A disciplinary record about other_staff, who left on 31 January 2027."""
    record = DisciplinaryRecord.objects.create(
        reference="DR-2026-0001",
        employee=other_staff,
        allegation="Posted a photograph of a service user's home.",
        severity=Severity.MISCONDUCT,
        opened_by=hr,
        opened_on=datetime.date(2026, 6, 1),
        investigator=hr,
        investigation_summary="Admitted at interview.",
        invited_companion="Pat Union, UNISON",
        hearing_attendees="The employee, Pat Union and the Head of Service.",
    )
    other_staff.left_on = datetime.date(2027, 1, 31)
    other_staff.save(update_fields=["left_on"])
    return record


def test_a_disciplinary_record_is_kept_six_years_after_the_employee_leaves(run, record):
    run(datetime.date(2033, 1, 30))
    record.refresh_from_db()
    assert record.allegation

    counts = run(datetime.date(2033, 1, 31))

    record.refresh_from_db()
    assert counts["disciplinary records anonymised"] == "1"
    assert record.employee.username == ANONYMISED_USERNAME
    assert (record.allegation, record.investigator, record.investigation_summary) == ("", None, "")
    assert (record.invited_companion, record.hearing_attendees) == ("", "")
    assert (record.opened_on, record.severity) == (datetime.date(2026, 6, 1), Severity.MISCONDUCT)


def test_a_disciplinary_record_under_a_hold_on_the_employee_is_kept(run, record, governance, other_staff):
    legal_hold_place(by=governance, person=other_staff, reason="Tribunal.")

    run(datetime.date(2034, 1, 1))

    record.refresh_from_db()
    assert record.employee == other_staff


def test_a_business_use_request_is_kept_two_years_after_its_decision(run, actors):
    with time_machine.travel(at(2026, 5, 1, 10), tick=False):
        request = request_made(actors, Kind.RECOMMENDATION, State.MADE)

    run(datetime.date(2028, 4, 30))
    request.refresh_from_db()
    assert request.recommended_for

    counts = run(datetime.date(2028, 5, 1))

    request.refresh_from_db()
    assert counts["business use requests anonymised"] == "1"
    assert request.requester.username == ANONYMISED_USERNAME
    assert (request.recommended_for, request.content, request.decision_text) == ("", "", "")
    assert (request.kind, request.state, request.site) == (Kind.RECOMMENDATION, State.MADE, "LinkedIn")
    assert not request.events.exclude(text="").exists()


def test_an_open_business_use_request_is_never_due(run, actors):
    with time_machine.travel(at(2026, 5, 1, 10), tick=False):
        request = request_made(actors, Kind.RECOMMENDATION)

    run(datetime.date(2040, 1, 1))

    request.refresh_from_db()
    assert request.requester == actors["requester"]


def test_audit_entries_go_seven_years_on_as_a_prefix_of_the_log(run, staff):
    with time_machine.travel(at(2026, 1, 5), tick=False):
        oldest = audit_record(actor=staff, action=AuditEntry.Action.VIEW, what="viewed the policy")
    with time_machine.travel(at(2026, 1, 6), tick=False):
        newer = audit_record(actor=staff, action=AuditEntry.Action.VIEW, what="viewed the policy again")
    assert AuditEntry.objects.count() == 2

    run(datetime.date(2033, 1, 4))
    assert AuditEntry.objects.filter(pk=oldest.pk).exists()

    counts = run(datetime.date(2033, 1, 5))

    assert not AuditEntry.objects.filter(pk=oldest.pk).exists()
    assert AuditEntry.objects.filter(pk=newer.pk).exists()
    assert counts["audit entries deleted"] == "1"
    # Whatever remains is one stretch of the log: nothing older than the first entry kept.
    first = AuditEntry.objects.order_by("pk").first()
    assert first.pk == newer.pk
    assert chain.verify().whole  # verify_audit checks the chain from the first entry kept.


def test_an_old_audit_entry_about_a_held_case_stops_the_deletion_there(run, closed_case, staff, governance):
    case = closed_case(Stage.CLOSED, at(2026, 1, 2))
    first = AuditEntry.objects.order_by("pk").first()
    with time_machine.travel(at(2026, 1, 3), tick=False):
        about = audit_record(actor=governance, action=AuditEntry.Action.VIEW, case=case, what="viewed")
        after = audit_record(actor=staff, action=AuditEntry.Action.VIEW, what="viewed the policy")
    legal_hold_place(by=governance, case=case, reason="Litigation.")

    run(datetime.date(2034, 1, 1))

    remaining = set(AuditEntry.objects.values_list("pk", flat=True))
    assert about.pk in remaining and after.pk in remaining
    held_case_entries = AuditEntry.objects.filter(case=case).order_by("pk")
    first_kept = held_case_entries.first().pk
    assert first.pk == first_kept or first.pk not in remaining
    assert not AuditEntry.objects.filter(pk__lt=first_kept).exists()


def test_beat_runs_it_as_a_task(closed_case, django_capture_on_commit_callbacks):
    case = closed_case(Stage.CLOSED_AT_TRIAGE, CLOSED_ON)

    with (
        time_machine.travel(at(2027, 3, 10, 2), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert apply_retention.delay().get() == 2  # the case and its evidence file

    assert is_anonymised(case)


def test_outcome_stays_for_a_case_closed_after_review(run, closed_case):
    case = closed_case(Stage.CLOSED, CLOSED_ON)
    run(DUE[Stage.CLOSED])
    case.refresh_from_db()
    assert case.outcome == Outcome.NO_BREACH


def test_the_anonymised_account_is_never_offered_as_a_member_of_staff(run, closed_case, client, hr, staff):
    closed_case(Stage.CLOSED_AT_TRIAGE, CLOSED_ON)
    run(DUE[Stage.CLOSED_AT_TRIAGE])
    nobody = User.objects.get(username=ANONYMISED_USERNAME)
    client.force_login(hr)

    page = client.get(reverse("discipline:open")).content.decode()

    employees = re.search(r'<select name="employee".*?</select>', page, re.DOTALL).group(0)
    assert f'value="{staff.pk}"' in employees
    assert f'value="{nobody.pk}"' not in employees
