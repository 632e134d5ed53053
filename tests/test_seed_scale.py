"""manage.py seed_scale: generated teams, staff and cases on PostgreSQL, only on a database of its own."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Max
from django.urls import reverse

from audit.models import AuditEntry
from cases.models import (
    Case,
    CaseClause,
    CaseEvent,
    CaseUserObjectPermission,
    DisciplinaryReferral,
    Evidence,
    ReferenceCounter,
    Stage,
)
from discipline.models import AppealOutcome, DisciplinaryRecord, Outcome, RecordClause, Step
from notifications.models import Delivery, Notification
from people.models import Team, User
from reminders.calendar import working_days_taken

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="seed_scale needs PostgreSQL, as in CI"),
    pytest.mark.django_db,
]


def seed(cases=300, staff=60):
    out = StringIO()
    call_command("seed_scale", cases=cases, staff=staff, seed=0.5, stdout=out)
    return out.getvalue()


def test_it_fills_the_database_with_a_realistic_spread():
    output = seed()

    assert "cases: 300 rows" in output
    assert "Generated 2 teams, 60 staff and 300 cases" in output
    assert User.objects.count() == 60
    assert not User.objects.exclude(username__startswith="gen-").exists()
    assert Team.objects.filter(head_of_service__isnull=False).count() == 2
    assert set(Case.objects.values_list("stage", flat=True)) == set(Stage.values)
    closed = Case.objects.filter(stage__in=[Stage.CLOSED, Stage.CLOSED_AT_TRIAGE]).count()
    assert closed > 200
    assert Case.objects.values("reference").distinct().count() == 300
    assert not Case.objects.filter(handler__isnull=True).exists()
    # A deadline on every case waiting for triage or a decision (the lists sort by it), none on the others.
    waiting = [Stage.SUBMITTED, Stage.IN_TRIAGE, Stage.REFERRED, Stage.UNDER_REVIEW]
    assert not Case.objects.filter(stage__in=waiting, due_on__isnull=True).exists()
    assert not Case.objects.exclude(stage__in=waiting).filter(due_on__isnull=False).exists()
    assert not Case.objects.filter(due_on__lte=F("created_at__date")).exists()
    # The working days to triage of every case moved out of triage, as the moves would have stored them;
    # none decided (the generated referrals are still waiting).
    triage = [Stage.SUBMITTED, Stage.IN_TRIAGE]
    assert not Case.objects.filter(stage__in=triage, triage_working_days__isnull=False).exists()
    for case in Case.objects.exclude(stage__in=triage):
        assert case.triage_working_days == working_days_taken(case.created_at, case.stage_changed_at)
    assert not Case.objects.filter(decision_working_days__isnull=False).exists()
    # The day it was posted or happened: the local day it was seen, as the raise form defaults it.
    assert not Case.objects.exclude(incident_on=F("seen_at__date")).exists()
    clauses = Case.objects.annotate(n=Count("clauses")).aggregate(low=Max("n"))
    assert clauses["low"] <= 3
    assert not Case.objects.annotate(n=Count("clauses")).filter(n=0).exists()
    assert CaseClause.objects.exclude(text="").count() == CaseClause.objects.count()
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.RAISED).count() == 300
    # One case in five has an evidence row, one in three a notification to its handler, each an audit view.
    assert Evidence.objects.count() == 60
    assert Notification.objects.count() == 100
    assert not Notification.objects.exclude(recipient__in=Case.objects.values("handler")).exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).count() == 300
    # Chained as written: the generated audit trail verifies.
    verified = StringIO()
    call_command("verify_audit", stdout=verified)
    assert verified.getvalue().startswith("Audit chain whole: 300 entries")
    # HR records about the colleague in about 2% of cases, citing the case's clauses.
    records = DisciplinaryRecord.objects.all()
    assert 1 <= records.count() <= 15
    assert all(record.employee_id == record.case.subject_person_id for record in records)
    assert RecordClause.objects.count() == CaseClause.objects.filter(case__in=records.values("case")).count()


def test_reference_counters_end_at_the_last_number_of_each_year():
    seed()

    for counter in ReferenceCounter.objects.filter(prefix="SMP"):
        numbers = [
            int(reference.rsplit("-", 1)[1])
            for reference in Case.objects.filter(reference__startswith=f"SMP-{counter.year}-").values_list(
                "reference", flat=True
            )
        ]
        assert counter.last_number == max(numbers) == len(numbers)
    assert sum(ReferenceCounter.objects.filter(prefix="SMP").values_list("last_number", flat=True)) == 300
    for counter in ReferenceCounter.objects.filter(prefix="DR"):
        assert counter.last_number == DisciplinaryRecord.objects.filter(opened_on__year=counter.year).count()


def test_hr_opens_a_generated_disciplinary_record(client):
    seed()
    record = DisciplinaryRecord.objects.first()

    client.force_login(record.opened_by)
    assert client.get(record.get_absolute_url()).status_code == 200


def test_the_reporter_follows_and_the_handler_handles_each_case(client):
    seed()
    case = Case.objects.filter(subject_person__isnull=False, evidence__isnull=False).first()
    related = {case.reporter_id, case.handler_id, case.subject_person_id}
    outsider = (
        User.objects.filter(job_title="Support Worker")
        .exclude(pk__in=related)
        .exclude(pk__in=CaseUserObjectPermission.objects.filter(content_object=case).values("user"))
        .first()
    )

    client.force_login(case.handler)
    assert client.get(case.get_absolute_url()).status_code == 200
    client.force_login(case.reporter)
    assert client.get(case.get_absolute_url()).status_code == 200
    client.force_login(outsider)
    assert client.get(case.get_absolute_url()).status_code == 404
    assert CaseUserObjectPermission.objects.count() == 600


def test_a_second_run_refuses_and_writes_nothing():
    seed()

    with pytest.raises(CommandError, match="already holds generated data"):
        seed()
    assert Case.objects.count() == 300


def test_it_refuses_a_database_with_people_it_did_not_generate():
    User.objects.create(username="real.person")

    with pytest.raises(CommandError, match="did not generate"):
        seed()
    assert User.objects.count() == 1
    assert not Team.objects.exists()
    assert not Case.objects.exists()


def test_a_handler_opens_their_generated_notification(client):
    seed()
    notification = Notification.objects.first()

    client.force_login(notification.recipient)
    assert notification.title.encode() in client.get(reverse("notifications:list")).content
    assert client.get(notification.link).status_code == 200


def test_each_record_comes_from_a_referral_to_hr_citing_the_case_clauses():
    seed(cases=600)

    records = DisciplinaryRecord.objects.select_related("referral")
    assert records.exists()
    for record in records:
        assert record.referral.case_id == record.case_id
        assert record.referral.person_id == record.employee_id
        assert record.referral.severity == record.severity
    referred = Case.objects.filter(outcome="disciplinary_referral", subject_person__isnull=False)
    assert referred.exists()
    assert set(referred.values_list("pk", flat=True)) <= set(
        DisciplinaryReferral.objects.values_list("case", flat=True)
    )
    referral = DisciplinaryReferral.objects.first()
    assert set(referral.clauses_breached.values_list("pk", flat=True)) == set(
        CaseClause.objects.filter(case=referral.case_id).values_list("pk", flat=True)
    )


def test_some_decided_records_are_appealed():
    seed(cases=3000, staff=100)

    appealed = DisciplinaryRecord.objects.filter(appeal_lodged_on__isnull=False)
    assert appealed.filter(step=Step.APPEAL_LODGED, appeal_outcome="").exists()
    heard = appealed.filter(step=Step.APPEAL_DECIDED)
    assert heard.filter(appeal_outcome=AppealOutcome.UPHELD).exists()
    overturned = heard.filter(appeal_outcome=AppealOutcome.OVERTURNED)
    assert overturned.exists()
    assert not overturned.exclude(outcome_in_force=Outcome.NO_ACTION, warning_expires_on=None).exists()
    assert not appealed.filter(appeal_lodged_on__lt=F("decided_on")).exists()


def test_each_notification_was_delivered_in_the_app():
    seed()

    assert Delivery.objects.count() == Notification.objects.count() == 100
    assert not Delivery.objects.exclude(channel=Delivery.Channel.IN_APP, status=Delivery.Status.SENT).exists()


def test_a_few_cases_have_a_long_timeline_that_their_handler_opens(client):
    seed()
    longest = Case.objects.annotate(n=Count("events")).order_by("-n").first()

    assert longest.n >= 200
    assert Case.objects.annotate(n=Count("events")).filter(n__gte=200).count() == 5
    client.force_login(longest.handler)
    response = client.get(longest.get_absolute_url())
    assert response.status_code == 200
    assert b"Generated follow-up number 250." in response.content


def catalogue(sql, tables):
    """Rows of the system catalogue about `tables` (the SQL names them as %s)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, [[model._meta.db_table for model in tables]])
        return cursor.fetchall()


FOREIGN_KEYS = (
    "SELECT conname, pg_get_constraintdef(oid), convalidated FROM pg_constraint "
    "WHERE contype = 'f' AND conrelid IN (SELECT oid FROM pg_class WHERE relname = ANY(%s)) ORDER BY 1"
)
# Each index by its columns and whether it is partial (PostgreSQL words a condition anew).
INDEXES = (
    "SELECT indexrelid::regclass::text, indkey::text, indpred IS NOT NULL, indisvalid "
    "FROM pg_index WHERE indrelid IN (SELECT oid FROM pg_class WHERE relname = ANY(%s)) ORDER BY 1"
)


@pytest.mark.parametrize(
    ("sql", "tables", "at_least"),
    [
        (FOREIGN_KEYS, [Case, CaseClause, DisciplinaryRecord], 10),
        (INDEXES, [Case, CaseClause, AuditEntry], 30),
    ],
    ids=["foreign keys", "indexes"],
)
def test_the_foreign_keys_and_indexes_it_drops_while_filling_are_back_and_checked(sql, tables, at_least):
    before = catalogue(sql, tables)
    seed()

    assert catalogue(sql, tables) == before
    assert len(before) >= at_least
    assert all(checked for *_constraint_or_index, checked in before)
