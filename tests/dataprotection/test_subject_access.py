"""Subject access requests (UK GDPR article 15): recorded with their due date one calendar month on, a
reminder a week before and an escalation once overdue; the archive, from the command line and from the
request's page, holds what is kept about the person with other people's names redacted, and is audited."""

import csv
import datetime
import io
import json
import zipfile

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from audit.models import AuditEntry
from audit.services import audit_record_many
from cases.evidence import evidence_add
from cases.services import case_message_reporter
from dataprotection.models import SubjectAccessRequest
from discipline.models import DisciplinaryRecord, Severity
from notifications.models import Kind, Notification
from policies.models import Comment
from reminders.sweep import sweep_timers
from tests.dataprotection.conftest import at, png

pytestmark = pytest.mark.django_db


def record(client, person, received_on):
    return client.post(
        reverse("dataprotection:request_new"),
        {"person": person.username, "requested_by": "Themselves, by e-mail", "received_on": received_on},
    )


@pytest.mark.parametrize(
    ("received", "due"),
    [
        ("2026-01-15", datetime.date(2026, 2, 15)),
        ("2026-01-31", datetime.date(2026, 2, 28)),  # no 31 February: the month's last day
        ("2028-01-31", datetime.date(2028, 2, 29)),
        ("2026-12-31", datetime.date(2027, 1, 31)),
    ],
)
def test_a_request_is_due_one_calendar_month_after_it_was_received(client, governance, staff, received, due):
    with time_machine.travel(at(2029, 1, 1), tick=False):
        client.force_login(governance)
        response = record(client, staff, received)

    request = SubjectAccessRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "dataprotection:request", args=[request.pk]
    )
    assert (request.person, request.due_on, request.recorded_by) == (staff, due, governance)
    assert AuditEntry.objects.filter(actor=governance, details__subject_access_request=request.pk).exists()


def test_a_request_received_in_the_future_is_refused_with_a_message(client, infosec, staff):
    with time_machine.travel(at(2026, 3, 1), tick=False):
        client.force_login(infosec)
        response = record(client, staff, "2026-03-02")

    assert response.status_code == 400
    assert "The date received cannot be in the future." in response.content.decode()
    assert not SubjectAccessRequest.objects.exists()


def notified(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_a_week_before_the_due_date_a_reminder_then_an_escalation_the_day_after(
    client, governance, infosec, staff
):
    with time_machine.travel(at(2026, 3, 2), tick=False):
        client.force_login(infosec)
        record(client, staff, "2026-03-02")  # due 2 April

    sweep_timers(now=at(2026, 3, 26, 8))
    assert notified(Kind.ACTION_DUE) == []
    sweep_timers(now=at(2026, 3, 26, 9))
    assert notified(Kind.ACTION_DUE) == ["governance", "infosec"]

    sweep_timers(now=at(2026, 4, 2, 23))
    assert notified(Kind.ESCALATION) == []
    sweep_timers(now=at(2026, 4, 3, 0))
    assert notified(Kind.ESCALATION) == ["governance", "infosec"]
    assert AuditEntry.objects.filter(what__startswith="escalated subject access request").count() == 1


def test_an_answered_request_is_neither_reminded_nor_escalated(client, governance, infosec, staff, policy):
    with time_machine.travel(at(2026, 3, 2), tick=False):
        client.force_login(infosec)
        record(client, staff, "2026-03-02")
        client.post(reverse("dataprotection:request_archive", args=[SubjectAccessRequest.objects.get().pk]))

    sweep_timers(now=at(2026, 5, 1))

    assert notified(Kind.ACTION_DUE) == notified(Kind.ESCALATION) == []


# --- The archive ----------------------------------------------------------------------------------------


@pytest.fixture
def held_about_staff(raise_case, staff, other_staff, supervisor, media, policy):
    """What is kept about `staff`: a concern they raised about staff2 with a screenshot, a message to them
    from their supervisor that names staff2, and a comment on a clause."""
    case = raise_case(
        staff,
        subject_kind="colleague",
        subject_person=other_staff,
        subject_description="",
        description=f"{other_staff.get_full_name()} posted a photograph of a service user.",
    )
    evidence_add(case=case, by=staff, files=[png()], record_event=False)
    case_message_reporter(
        case=case,
        by=supervisor,
        text=f"Thank you. I ({supervisor.get_full_name()}) will speak to {other_staff.first_name} today.",
    )
    version = policy.current_version()
    Comment.objects.create(
        policy=policy,
        version=version,
        clause=version.clauses().get(number="5.2"),
        author=staff,
        body="Unclear.",
    )
    return case


def read_archive(path_or_bytes):
    archive = zipfile.ZipFile(
        path_or_bytes if not isinstance(path_or_bytes, bytes) else io.BytesIO(path_or_bytes)
    )
    return {name: archive.read(name) for name in archive.namelist()}


def table(files, name):
    rows = json.loads(files[f"{name}.json"])
    assert list(csv.DictReader(io.StringIO(files[f"{name}.csv"].decode()))) == [
        {key: str(value) for key, value in row.items()} for row in rows
    ]
    return rows


def test_the_command_writes_the_archive_with_others_redacted(
    held_about_staff, staff, other_staff, supervisor, tmp_path
):
    out = tmp_path / "staff.zip"

    call_command("export_subject_data", staff.username, "--out", str(out), stdout=io.StringIO())

    files = read_archive(out)
    readme = files["README.txt"].decode()
    for name in [
        "you",
        "cases_you_raised",
        "cases_about_you",
        "draft_concerns",
        "case_messages",
        "hr_records",
        "hr_referrals",
        "hr_record_steps",
        "acknowledgements",
        "clause_reacknowledgements",
        "clause_comments",
        "business_use_requests",
        "notifications",
        "audit_entries",
    ]:
        assert f"{name}.json" in files and f"{name}.csv" in files
        assert f"{name}.json, {name}.csv" in readme
    assert table(files, "you")[0]["username"] == staff.username
    [raised] = table(files, "cases_you_raised")
    assert raised["reference"] == held_about_staff.reference
    assert raised["clauses"] == "5.2"
    assert other_staff.get_full_name() not in raised["what_was_seen"]
    assert raised["what_was_seen"].startswith("[redacted] posted a photograph")
    [message] = [row for row in table(files, "case_messages") if "Thank you" in row["text"]]
    assert message["text"] == "Thank you. I ([redacted]) will speak to [redacted] today."
    assert table(files, "clause_comments")[0]["comment"] == "Unclear."
    assert table(files, "cases_about_you") == []
    # Their own evidence, byte for byte.
    evidence = held_about_staff.evidence.get()
    [stored] = [name for name in files if name.startswith(f"evidence/{held_about_staff.reference}/")]
    with evidence.file.open("rb") as original:
        assert files[stored] == original.read()
    # No other person's name anywhere in the archive.
    everything = b"".join(files.values()).decode("utf-8", "replace")
    for name in [other_staff.get_full_name(), supervisor.get_full_name(), other_staff.username]:
        assert name not in everything
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.details["person"] == staff.username
    assert entry.details["rows"]["cases_you_raised"] == 1


def test_the_subject_of_a_concern_sees_it_without_who_raised_it(
    held_about_staff, staff, other_staff, tmp_path
):
    out = tmp_path / "staff2.zip"

    call_command("export_subject_data", other_staff.username, "--out", str(out), stdout=io.StringIO())

    files = read_archive(out)
    [about] = table(files, "cases_about_you")
    assert about["reference"] == held_about_staff.reference
    assert about["about"].startswith("A colleague")
    everything = b"".join(files.values()).decode("utf-8", "replace")
    assert staff.get_full_name() not in everything and f"{staff.username}@" not in everything
    assert not [name for name in files if name.startswith("evidence/")]


def test_the_command_refuses_an_unknown_person_or_an_existing_file(staff, tmp_path):
    with pytest.raises(CommandError, match="There is nobody with the username 'nobody'"):
        call_command("export_subject_data", "nobody", "--out", str(tmp_path / "x.zip"))
    existing = tmp_path / "there.zip"
    existing.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="exists already"):
        call_command("export_subject_data", staff.username, "--out", str(existing))
    assert existing.read_bytes() == b"keep me"
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_the_page_downloads_the_archive_and_answers_the_request(client, held_about_staff, infosec, staff):
    client.force_login(infosec)
    record(client, staff, "2026-11-20")
    request = SubjectAccessRequest.objects.get()

    response = client.post(reverse("dataprotection:request_archive", args=[request.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f'filename="subject-access-{staff.username}-' in response["Content-Disposition"]
    files = read_archive(b"".join(response.streaming_content))
    assert table(files, "cases_you_raised")[0]["reference"] == held_about_staff.reference
    request.refresh_from_db()
    assert request.answered_at is not None
    assert AuditEntry.objects.filter(
        actor=infosec, action=AuditEntry.Action.EXPORT, details__subject_access_request=request.pk
    ).exists()
    assert not request.is_overdue(datetime.date(2030, 1, 1))


def test_hr_records_are_in_the_archive_with_hr_staff_redacted(staff, hr, tmp_path):
    DisciplinaryRecord.objects.create(
        reference="DR-2026-0007",
        employee=staff,
        allegation="Posted about a service user.",
        severity=Severity.MISCONDUCT,
        opened_by=hr,
        investigator=hr,
        investigation_summary=f"Interviewed by {hr.get_full_name()} ({hr.email}).",
        companion="Pat Union, UNISON",
        invited_companion="Pat Union, UNISON",
        hearing_attendees=f"The employee and {hr.get_full_name()}.",
    )
    out = tmp_path / "staff.zip"

    call_command("export_subject_data", staff.username, "--out", str(out), stdout=io.StringIO())

    [row] = table(read_archive(out), "hr_records")
    assert row["reference"] == "DR-2026-0007"
    assert row["allegation"] == "Posted about a service user."
    assert row["investigation_summary"] == "Interviewed by [redacted] ([redacted])."
    assert row["companion"] == row["invited_companion"] == "[redacted]"
    assert row["hearing_attendees"] == "The employee and [redacted]."


def test_a_long_audit_trail_is_written_whole_across_the_chunks_it_is_read_in(staff, tmp_path):
    audit_record_many(
        {"actor": staff, "action": AuditEntry.Action.VIEW, "what": f"viewed the policy ({n})"}
        for n in range(4500)
    )
    out = tmp_path / "staff.zip"

    call_command("export_subject_data", staff.username, "--out", str(out), stdout=io.StringIO())

    rows = table(read_archive(out), "audit_entries")
    assert [row["what"] for row in rows] == [f"viewed the policy ({n})" for n in range(4500)]
    assert {row["by"] for row in rows} == {"you"}


def test_a_draft_concern_is_in_the_archive_with_others_redacted(staff, other_staff, tmp_path):
    from cases.models import ConcernDraft

    ConcernDraft.objects.create(
        reporter=staff,
        data={
            "platform": ["tiktok"],
            "description": [f"{other_staff.get_full_name()} filmed the day centre."],
            "subject_person": [str(other_staff.pk)],
        },
    )
    out = tmp_path / "staff.zip"
    call_command("export_subject_data", staff.username, "--out", str(out), stdout=io.StringIO())
    [draft] = table(read_archive(out), "draft_concerns")
    assert (draft["platform"], draft["what_was_seen"]) == ("tiktok", "[redacted] filmed the day centre.")
    assert other_staff.get_full_name() not in str(draft) and str(other_staff.pk) not in draft.values()


def test_the_changed_clauses_they_re_acknowledged_are_in_the_archive(
    client, policy, governance, staff, tmp_path
):
    from tests.policies.history import second_version

    client.force_login(staff)
    client.post(reverse("policies:acknowledge", args=[policy.slug]))
    second_version(policy, governance)
    client.post(reverse("policies:acknowledge_changes", args=[policy.slug]))
    out = tmp_path / "staff.zip"

    call_command("export_subject_data", staff.username, "--out", str(out), stdout=io.StringIO())

    files = read_archive(out)
    [row] = table(files, "clause_reacknowledgements")
    assert (row["policy"], row["version"], row["clause"]) == ("Social Media Policy", 2, "5.3")
    assert [r["version"] for r in table(files, "acknowledgements")] == [1, 2]
