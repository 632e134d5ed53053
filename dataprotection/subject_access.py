"""The subject access archive (UK GDPR article 15): everything focuspolicy holds about one person, as JSON
and CSV, with the files they uploaded, other people's names and identifying details redacted, and a README
that says what each file is.

Written straight into a zip file row by row (querysets read with iterator()), so that memory stays bounded
however much there is: each table goes once through the database, into its JSON entry in the zip and into a
temporary CSV file beside it, which is then copied in.
"""

import csv
import datetime
import io
import json
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from audit.models import AuditEntry
from business_use.models import BusinessUseEvent, BusinessUseRequest
from business_use.selectors import with_account_names
from cases.models import Case, CaseEvent, ConcernDraft, DisciplinaryReferral, Evidence
from discipline.models import DisciplinaryRecord, RecordEvent
from notifications.models import Notification
from people.models import User
from policies.models import Acknowledgement, ClauseReacknowledgement, Comment

REDACTED = "[redacted]"
CHUNK = 2000


class Redactor:
    """Takes the names, usernames and e-mail addresses of the other people in the records out of free text.

    The people are those the exported records point to (handlers, reporters, actors, approvers, HR): the
    ones whose names are likely to appear. Single names shorter than three letters are left alone.
    """

    def __init__(self, people):
        words = set()
        for person in people:
            full = f"{person.first_name} {person.last_name}".strip()
            for word in (full, person.first_name, person.last_name, person.username, person.email):
                if word and len(word.strip()) >= 3:
                    words.add(word.strip())
        # Longest first, so that a full name goes as one, before its parts.
        alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
        self.pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE) if words else None

    def __call__(self, text):
        if not text or self.pattern is None:
            return text or ""
        return self.pattern.sub(REDACTED, text)


@dataclass
class Table:
    name: str
    about: str
    rows: object  # an iterable of dicts, each with the same keys


def _each(queryset):
    """The queryset's rows in id order, read from the database in chunks."""
    return queryset.order_by("pk").iterator(chunk_size=CHUNK)


def _when(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def _others(person):
    """The people the person's records point to, other than the person: whose names are redacted."""
    cases = Q(reporter=person) | Q(subject_person=person)
    case_ids = Case.objects.filter(cases).values("pk")
    ids = set()
    for values in (
        Case.objects.filter(cases).values_list("reporter", "handler", "subject_person"),
        CaseEvent.objects.filter(case__in=case_ids).values_list("actor"),
        DisciplinaryReferral.objects.filter(person=person).values_list("recorded_by"),
        DisciplinaryRecord.objects.filter(employee=person).values_list(
            "opened_by", "investigator", "heard_by", "appeal_heard_by"
        ),
        RecordEvent.objects.filter(record__employee=person).values_list("actor"),
        BusinessUseRequest.objects.filter(requester=person).values_list("approver"),
        BusinessUseEvent.objects.filter(request__requester=person).values_list("actor"),
        Comment.objects.filter(author=person).values_list("addressed_by"),
    ):
        for row in values.distinct():
            ids.update(pk for pk in row if pk)
    # The colleague a draft concern names (a form value as typed: only a plausible id is looked up).
    for data in ConcernDraft.objects.filter(reporter=person).values_list("data", flat=True):
        chosen = [str(pk) for pk in data.get("subject_person") or []]
        ids.update(int(pk) for pk in chosen if pk.isdigit() and len(pk) < 12)
    ids.discard(person.pk)
    others = User.objects.filter(pk__in=ids)
    # Their line manager and the Heads of Service of their team are named in their own record.
    return list(others) + list(User.objects.filter(Q(pk=person.line_manager_id)).exclude(pk=person.pk))


def _tables(person, redact):
    """Each table of the archive, its rows read lazily."""

    def profile():
        yield {
            "username": person.username,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "job_title": person.job_title,
            "employment_type": person.get_employment_type_display(),
            "team": str(person.team or ""),
            "has_a_line_manager": "yes" if person.line_manager_id else "no",
            "professional_body": person.get_professional_body_display(),
            "registration_number": person.registration_number,
            "joined": _when(person.date_joined),
            "left_on": _when(person.left_on),
            "last_login": _when(person.last_login),
        }

    def cases(filter_, *, raised):
        for case in _each(Case.objects.filter(**filter_).prefetch_related("clauses")):
            clauses = [clause.number for clause in case.clauses.all()]
            yield {
                "reference": case.reference,
                "raised": _when(case.created_at),
                "stage": case.get_stage_display(),
                "outcome": case.get_outcome_display(),
                "platform": case.platform_name(),
                "seen": _when(case.seen_at),
                "posted_or_happened": _when(case.incident_on),
                "about": case.get_subject_kind_display(),
                # In a case they raised, who it is about is someone else's detail; in a case about them, who
                # raised it is.
                "subject_description": REDACTED if raised and case.subject_description else "",
                "links": redact(case.links) if raised else case.links,
                "what_was_seen": redact(case.description),
                "clauses": " ".join(clauses),
                "anonymised": _when(case.anonymised_at),
            }

    def drafts():
        # Kept at most 7 days (cases.drafts); who a draft was about is someone else's detail.
        for draft in _each(ConcernDraft.objects.filter(reporter=person)):
            typed = {name: (values or [""])[0] for name, values in draft.data.items()}
            yield {
                "saved": _when(draft.saved_at),
                "kept_until": _when(draft.expires_at()),
                "platform": typed.get("platform", ""),
                "what_was_seen": redact(typed.get("description", "")),
                "files": ", ".join(draft.kept_files.values_list("original_name", flat=True)),
            }

    def events():
        mine = Q(actor=person)
        to_them = Q(case__reporter=person, visible_to_reporter=True)
        for event in _each(CaseEvent.objects.filter(mine | to_them).select_related("case")):
            yield {
                "case": event.case.reference,
                "at": _when(event.at),
                "kind": event.get_kind_display(),
                "by_you": "yes" if event.actor_id == person.pk else "no",
                "text": redact(event.text),
            }

    def records():
        for record in _each(DisciplinaryRecord.objects.filter(employee=person)):
            yield {
                "reference": record.reference,
                "opened_on": _when(record.opened_on),
                "severity": record.get_severity_display(),
                "step": record.get_step_display(),
                "allegation": redact(record.allegation),
                "clauses": " ".join(record.clauses.values_list("number", flat=True)),
                "investigation_summary": redact(record.investigation_summary),
                "investigation_completed_on": _when(record.investigation_completed_on),
                "invitation_sent_on": _when(record.invitation_sent_on),
                "hearing_arranged_for": _when(record.hearing_arranged_for),
                "hearing_held_on": _when(record.hearing_held_on),
                "hearing_place": record.hearing_place,
                "invited_companion": REDACTED if record.invited_companion else "",
                "companion": REDACTED if record.companion else "",
                "hearing_attendees": redact(record.hearing_attendees),
                "hearing_notes": redact(record.hearing_notes),
                "outcome": record.get_outcome_display(),
                "outcome_reasons": redact(record.outcome_reasons),
                "decided_on": _when(record.decided_on),
                "appeal_lodged_on": _when(record.appeal_lodged_on),
                "appeal_grounds": redact(record.appeal_grounds),
                "appeal_heard_on": _when(record.appeal_heard_on),
                "appeal_outcome": record.get_appeal_outcome_display(),
                "appeal_reasons": redact(record.appeal_reasons),
                "outcome_in_force": record.get_outcome_in_force_display(),
                "warning_expires_on": _when(record.warning_expires_on),
            }

    def referrals():
        queryset = DisciplinaryReferral.objects.filter(person=person).select_related("case")
        for referral in _each(queryset.prefetch_related("clauses_breached")):
            yield {
                "case": referral.case.reference,
                "referred_at": _when(referral.recorded_at),
                "severity": referral.get_severity_display(),
                "allegation": redact(referral.allegation),
                "clauses": " ".join(clause.number for clause in referral.clauses_breached.all()),
            }

    def record_events():
        for event in _each(RecordEvent.objects.filter(record__employee=person).select_related("record")):
            yield {
                "record": event.record.reference,
                "at": _when(event.at),
                "step": event.get_step_display(),
                "text": redact(event.text),
            }

    def acknowledgements():
        queryset = Acknowledgement.objects.filter(user=person).select_related("version__policy")
        for acknowledgement in _each(queryset):
            yield {
                "policy": acknowledgement.version.policy.title,
                "version": acknowledgement.version.number,
                "acknowledged_at": _when(acknowledgement.acknowledged_at),
            }

    def reacknowledgements():
        queryset = ClauseReacknowledgement.objects.filter(user=person).select_related(
            "clause__section__version__policy"
        )
        for reacknowledgement in _each(queryset):
            version = reacknowledgement.clause.section.version
            yield {
                "policy": version.policy.title,
                "version": version.number,
                "clause": reacknowledgement.clause.number,
                "acknowledged_at": _when(reacknowledgement.acknowledged_at),
            }

    def comments():
        queryset = Comment.objects.filter(author=person).select_related("version__policy", "clause")
        for comment in _each(queryset):
            yield {
                "policy": comment.version.policy.title,
                "version": comment.version.number,
                "clause": comment.clause.number if comment.clause_id else "",
                "comment": redact(comment.body),
                "written_at": _when(comment.created_at),
                "addressed_at": _when(comment.addressed_at),
            }

    def business_use():
        for request in _each(with_account_names(BusinessUseRequest.objects.filter(requester=person))):
            yield {
                "reference": request.reference,
                "kind": request.get_kind_display(),
                "state": request.get_state_display(),
                "made": _when(request.created_at),
                "account": request.account_name(),
                "site": request.site,
                "purpose": request.get_purpose_display(),
                "from": _when(request.from_date),
                "to": _when(request.to_date),
                "for_whom": redact(request.recommended_for),
                "content": redact(request.content),
                "links": request.links,
                "decision": redact(request.decision_text),
                "published_at": _when(request.published_at),
                "published_where": request.published_where,
                "published_link": request.published_link,
            }

    def notifications():
        for notification in _each(Notification.objects.filter(recipient=person)):
            yield {
                "title": notification.title,
                "kind": notification.get_kind_display(),
                "link": notification.link,
                "at": _when(notification.created_at),
                "read_at": _when(notification.read_at),
            }

    def audit_entries():
        # What they did, and what was done with the records about them (by someone whose name is redacted).
        own_records = list(
            DisciplinaryRecord.objects.filter(employee=person).values_list("reference", flat=True)
        )
        about = (
            Q(actor=person)
            | Q(case__reporter=person)
            | Q(case__subject_person=person)
            | Q(details__record__in=own_records)
        )
        for entry in _each(AuditEntry.objects.filter(about).select_related("case")):
            by_them = entry.actor_id == person.pk
            yield {
                "at": _when(entry.at),
                "by": "you" if by_them else (REDACTED if entry.actor_id else "the system"),
                "action": entry.get_action_display(),
                "case": entry.case.reference if entry.case_id else "",
                "what": redact(entry.what),
                "from_address": (entry.ip_address or "") if by_them else "",
            }

    return [
        Table("you", "Your staff record: name, contact, job, team, when you joined and left.", profile()),
        Table(
            "cases_you_raised",
            "Concerns you raised (clause 9), with what you reported; who they were about is redacted.",
            cases({"reporter": person}, raised=True),
        ),
        Table(
            "cases_about_you",
            "Concerns raised about you; who raised them and who handled them are redacted.",
            cases({"subject_person": person}, raised=False),
        ),
        Table("draft_concerns", "Concerns you started and saved as drafts, not yet raised.", drafts()),
        Table(
            "case_messages",
            "Messages sent to you about concerns you raised, and entries you wrote on case timelines.",
            events(),
        ),
        Table(
            "hr_records",
            "Disciplinary records about you (ACAS steps, outcome and appeal); HR staff's names are redacted.",
            records(),
        ),
        Table("hr_referrals", "Referrals of you to HR from a case (clauses 2.4, 2.5, 5.2).", referrals()),
        Table("hr_record_steps", "Each step of those records, with its notes.", record_events()),
        Table("acknowledgements", "Policy versions you acknowledged reading, and when.", acknowledgements()),
        Table(
            "clause_reacknowledgements",
            "Changed clauses you confirmed reading, to acknowledge a new version, and when.",
            reacknowledgements(),
        ),
        Table("clause_comments", "Comments you wrote on clauses of the policies.", comments()),
        Table(
            "business_use_requests",
            "Your requests to use social media for focus business (section 6); the approver is not named.",
            business_use(),
        ),
        Table("notifications", "Notifications the app sent you.", notifications()),
        Table(
            "audit_entries",
            "The audit log's entries of what you did, and of what was done with records about you (by whom: "
            "redacted).",
            audit_entries(),
        ),
    ]


def _write_table(archive, table):
    """The table as name.json (a list of objects) and name.csv, read once. Returns its row count."""
    count = 0
    with tempfile.TemporaryFile("w+", newline="", encoding="utf-8") as csv_file:
        writer = None
        with archive.open(f"{table.name}.json", "w", force_zip64=True) as raw:
            out = io.TextIOWrapper(raw, encoding="utf-8")
            out.write("[")
            for row in table.rows:
                if writer is None:
                    writer = csv.DictWriter(csv_file, fieldnames=list(row))
                    writer.writeheader()
                writer.writerow(row)
                out.write(("," if count else "") + "\n  " + json.dumps(row, ensure_ascii=False))
                count += 1
            out.write("\n]\n")
            out.flush()
            out.detach()
        csv_file.seek(0)
        with archive.open(f"{table.name}.csv", "w", force_zip64=True) as raw:
            out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            shutil.copyfileobj(csv_file, out)
            out.flush()
            out.detach()
    return count


def _write_files(archive, person):
    """The evidence files the person uploaded, under evidence/<case>/, byte for byte. Returns how many."""
    count = 0
    for evidence in _each(Evidence.objects.filter(uploaded_by=person).select_related("case")):
        # The name they gave, without any path; the id keeps two files of the same name apart.
        name = re.sub(r"[^\w.\- ]", "_", evidence.original_name.replace("\\", "/").rsplit("/", 1)[-1])[:100]
        with (
            evidence.file.open("rb") as source,
            archive.open(
                f"evidence/{evidence.case.reference}/{evidence.pk}-{name}", "w", force_zip64=True
            ) as target,
        ):
            shutil.copyfileobj(source, target, 1024 * 1024)
        evidence.file.close()
        count += 1
    return count


README = """Your data held by focuspolicy
=============================

This archive answers a subject access request (UK GDPR article 15) for {name} ({username}), produced on
{produced}. It holds everything focuspolicy keeps about you. Each table comes twice, with the same rows: as
a .json file (a list of records) and as a .csv file (opens in a spreadsheet). Dates and times are UK time.

Other people's names and identifying details are redacted: where a record names or points to someone else
(who raised a concern about you, who handled or decided something, HR staff, approvers), it shows
"{redacted}" instead, and their names are taken out of the free text too.

The files
---------
{files}
evidence/  The files you uploaded as evidence with concerns, as you uploaded them, in a folder per case.

How many rows each table holds:
{counts}
"""


def subject_access_archive(*, person, out):
    """Write the archive about `person` to `out` (a path or a binary file open for writing). Returns
    {table name: rows, "evidence files": n}."""
    redact = Redactor(_others(person))
    tables = _tables(person, redact)
    counts = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for table in tables:
            counts[table.name] = _write_table(archive, table)
        counts["evidence files"] = _write_files(archive, person)
        files = "\n".join(f"{table.name}.json, {table.name}.csv  {table.about}" for table in tables)
        archive.writestr(
            "README.txt",
            README.format(
                name=person.get_full_name() or person.username,
                username=person.username,
                produced=timezone.localtime().strftime("%d %B %Y, %H:%M"),
                redacted=REDACTED,
                files=files,
                counts="\n".join(f"  {name}: {count}" for name, count in counts.items()),
            ),
        )
    return counts
