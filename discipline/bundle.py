"""The ACAS bundle of a disciplinary record: everything a tribunal or an appeal panel would ask for, in one
PDF with an index, in the order of the procedure.

1 the allegation, 2 the clauses of the policy as they read when cited, with the version they come from,
3 the employee's acknowledgements of that policy, 4 the evidence on the case (names, sizes, dates and SHA-256
hashes, not the files), 5 the investigation, 6 the invitation and hearing, 7 the outcome, 8 the appeal.

The same bundle is the employee's copy when drawn through discipline.redaction.Redactor: every value that
names someone else goes through `people.person()` or `people.text()` here, and nowhere else.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from cases.models import Evidence
from core.text import day, size_text
from policies.in_force import cited_in_force
from policies.models import Acknowledgement, PolicyVersion
from policies.selectors import ClauseAsCited

from .models import RecordClause, RecordEvent, Step
from .redaction import Redactor, Unredacted

NONE_RECORDED = "None recorded."

# The role labels of the employee's copy.
REPORTER = "the reporter"
CASE_HANDLER = "the case handler"
INVESTIGATOR = "the investigating manager"
HEARING_MANAGER = "the manager who heard the case"
APPEAL_MANAGER = "the manager who heard the appeal"
HR = "a member of HR"
GOVERNANCE = "the Head of Business and Governance"

# Where each step's timeline entries are shown.
STEP_SECTION = {
    Step.OPENED: "allegation",
    Step.INVESTIGATED: "investigation",
    Step.INVITED: "hearing",
    Step.HEARD: "hearing",
    Step.DECIDED: "outcome",
    Step.APPEAL_LODGED: "appeal",
    Step.APPEAL_DECIDED: "appeal",
}


@dataclass
class Section:
    anchor: str
    number: int
    title: str
    facts: list = field(default_factory=list)  # (term, value)
    texts: list = field(default_factory=list)  # (heading, free text)
    rows: list = field(default_factory=list)  # the section's table, drawn by its own template part
    events: list = field(default_factory=list)  # (when, step, who, text)
    note: str = ""  # e.g. "None recorded." where the step has not happened

    @property
    def heading(self):
        return f"{self.number}. {self.title}"


def _day(value):
    return day(value) if value else "—"


def _people(record, by, evidence, events, companions):
    """The Redactor for the employee's copy: each person by their part, the first part given winning."""
    case = record.case
    roles = [
        (case.reporter if case else None, REPORTER),
        (case.handler if case else None, CASE_HANDLER),
        (record.investigator, INVESTIGATOR),
        (record.heard_by, HEARING_MANAGER),
        (record.appeal_heard_by, APPEAL_MANAGER),
        (record.opened_by, HR),
        *[(event.actor, HR) for event in events],
        (by, HR if by.has_perm("discipline.manage_disciplinary_records") else GOVERNANCE),
        *[(item.uploaded_by, "a member of staff") for item in evidence],
    ]
    texts = [
        record.allegation,
        record.investigation_summary,
        record.hearing_place,
        record.invitation_notes,
        record.hearing_attendees,
        record.hearing_notes,
        record.outcome_reasons,
        record.appeal_grounds,
        record.appeal_reasons,
        *(event.text for event in events),
        *(item.original_name for item in evidence),
        *((case.description, case.subject_description, case.links) if case else ()),
    ]
    return Redactor(employee=record.employee, roles=roles, companions=companions, texts=texts)


def _allegation(record, people, events):
    section = Section("allegation", 1, "The allegation")
    section.facts = [
        ("Employee", people.person(record.employee)),
        ("Misconduct or gross misconduct", record.get_severity_display()),
        ("Opened", f"{_day(record.opened_on)} by {people.person(record.opened_by)}"),
    ]
    section.texts = [("The allegation", people.text(record.allegation))]
    case = record.case
    if case is None:
        section.facts.append(("Came from", "Opened directly by HR: no case is linked."))
    else:
        section.facts += [
            ("Case", case.reference),
            ("Raised by", people.person(case.reporter, "An anonymous reporter")),
            ("Concern raised", _day(case.created_at)),
            ("When it was seen", _day(case.seen_at)),
            ("Platform", case.platform_name()),
            ("Links", people.text("\n".join(case.link_list())) or "None given"),
        ]
        if case.subject_description:
            section.facts.append(("Who or what it is about", people.text(case.subject_description)))
        section.texts.append(("What was seen", people.text(case.description) or NONE_RECORDED))
    section.events = events["allegation"]
    return section


def _clauses(record):
    """The clauses recorded, as the version of the policy in force on the day the posting was made or the
    incident happened read them (policies.in_force, as the case page shows them); as recorded, with the
    version they were recorded from, where there is no case, no such day or no version then."""
    section = Section("clauses", 2, "The clauses of the policy in force")
    cited = list(
        RecordClause.objects.filter(record=record)
        .select_related("clause__section__version__policy")
        .order_by("clause__section__number", "clause__position", "pk")
    )
    case = record.case
    in_force = None
    if cited and case is not None and case.incident_on is not None:
        in_force = cited_in_force(
            policy_version_id=case.policy_version_id,
            on=case.incident_on,
            cited=[ClauseAsCited(clause.number, clause.text) for clause in cited],
        )
    for clause, as_in_force in zip(cited, in_force.clauses if in_force else [None] * len(cited), strict=True):
        if in_force is not None and in_force.version is not None and as_in_force.existed:
            version, text = in_force.version, as_in_force.text
            from_day = version.in_force_from
        else:
            version, text = clause.clause.section.version, clause.text
            from_day = version.effective_date or (
                version.approved_at and timezone.localdate(version.approved_at)
            )
        source = f"{clause.clause.section.version.policy.title}, version {version.number}"
        section.rows.append((clause.number, text, source, _day(from_day)))
    section.note = "" if section.rows else "No clauses were recorded."
    return section


def _acknowledgements(record):
    """Each version of the cited policies (drafts apart), with when the employee acknowledged it, if they
    did: a version in force that was never acknowledged shows too."""
    section = Section("acknowledgements", 3, "The employee's acknowledgements of the policy")
    policies = RecordClause.objects.filter(record=record).values("clause__section__version__policy")
    versions = (
        PolicyVersion.objects.filter(policy__in=policies)
        .exclude(status=PolicyVersion.Status.DRAFT)
        .select_related("policy")
        .defer("source_text")  # The whole document: the bundle cites clauses.
        .order_by("policy__title", "number")
    )
    when = dict(
        Acknowledgement.objects.filter(user=record.employee_id, version__policy__in=policies).values_list(
            "version_id", "acknowledged_at"
        )
    )
    for version in versions:
        section.rows.append(
            (
                f"{version.policy.title}, version {version.number}",
                version.get_status_display(),
                _day(version.effective_date),
                _day(when[version.pk]) if version.pk in when else "Not acknowledged",
            )
        )
    section.note = "" if section.rows else NONE_RECORDED
    return section


def _size(size):
    """E.g. "1.5 KB (1,536 bytes)": the exact size, which a copy of the file must match, as well."""
    exact = f"{size:,} bytes"
    return exact if size < 1024 else f"{size_text(size)} ({exact})"


def _evidence(record, people, evidence):
    section = Section("evidence", 4, "The evidence")
    for item in evidence:
        section.rows.append(
            (
                people.text(item.original_name),
                _size(item.size),
                _day(item.uploaded_at),
                people.person(item.uploaded_by, "the reporter (anonymously)"),
                item.sha256,
            )
        )
    if record.case is None:
        section.note = "No case is linked to this record: no evidence is held on a case."
    elif record.case.anonymised_at:
        section.note = "The case was anonymised under the retention schedule: its files are gone."
    else:
        section.note = "" if section.rows else NONE_RECORDED
    return section


def _investigation(record, people, events):
    section = Section("investigation", 5, "The investigation", events=events["investigation"])
    if record.investigation_completed_on or record.investigator:
        section.facts = [
            ("Investigating manager", people.person(record.investigator)),
            ("Completed on", _day(record.investigation_completed_on)),
        ]
        section.texts = [("Summary", people.text(record.investigation_summary) or NONE_RECORDED)]
    else:
        section.note = NONE_RECORDED
    return section


def _companion(people, name):
    if not name:
        return "Not named"
    return "Named (see the full bundle)" if people.redacted else name


def _hearing(record, people, events):
    section = Section("hearing", 6, "The hearing", events=events["hearing"])
    if record.invitation_sent_on:
        time = f" at {record.hearing_time:%H:%M}" if record.hearing_time else ""
        section.facts += [
            ("Invitation sent in writing", _day(record.invitation_sent_on)),
            ("Hearing arranged for", f"{_day(record.hearing_arranged_for)}{time}"),
            ("Place", people.text(record.hearing_place) or "—"),
            (
                "Told of the right to be accompanied",
                "Yes" if record.told_of_right_to_be_accompanied else "No",
            ),
            ("Companion named", _companion(people, record.invited_companion)),
        ]
        if record.invitation_notes:
            section.texts.append(("Notes on the invitation", people.text(record.invitation_notes)))
    if record.hearing_held_on:
        section.facts += [
            ("Held on", _day(record.hearing_held_on)),
            ("Heard by", people.person(record.heard_by)),
            ("Accompanied by", _companion(people, record.companion)),
        ]
        section.texts += [
            ("Who attended", people.text(record.hearing_attendees) or NONE_RECORDED),
            ("Notes of the hearing", people.text(record.hearing_notes) or NONE_RECORDED),
        ]
    section.note = "" if section.facts else NONE_RECORDED
    return section


def _outcome(record, people, events):
    section = Section("outcome", 7, "The outcome", events=events["outcome"])
    if not record.outcome:
        section.note = NONE_RECORDED
        return section
    section.facts = [
        ("Outcome", record.get_outcome_display()),
        ("Decided on", _day(record.decided_on)),
        ("In force after any appeal", record.get_outcome_in_force_display() or "—"),
    ]
    if record.warning_expires_on:
        section.facts.append(("Warning expires", _day(record.warning_expires_on)))
    section.texts = [("Reasons", people.text(record.outcome_reasons) or NONE_RECORDED)]
    return section


def _appeal(record, people, events):
    section = Section("appeal", 8, "The appeal", events=events["appeal"])
    if not record.appeal_lodged_on:
        section.note = NONE_RECORDED
        return section
    section.facts = [("Lodged on", _day(record.appeal_lodged_on))]
    section.texts = [("Grounds", people.text(record.appeal_grounds) or NONE_RECORDED)]
    if record.appeal_outcome:
        section.facts += [
            ("Heard on", _day(record.appeal_heard_on)),
            ("Heard by", people.person(record.appeal_heard_by)),
            ("Outcome of the appeal", record.get_appeal_outcome_display()),
            ("Now in force", record.get_outcome_in_force_display() or "—"),
        ]
        section.texts.append(("Reasons for the appeal decision", people.text(record.appeal_reasons)))
    else:
        section.facts.append(("Outcome of the appeal", "Not yet decided"))
    return section


def bundle_contents(*, record, by, redacted, today=None):
    """What the bundle's template draws: the cover's facts and the eight sections, for the full copy or, with
    `redacted`, the employee's."""
    events = list(RecordEvent.objects.filter(record=record).select_related("actor"))
    evidence = (
        list(
            Evidence.objects.filter(case=record.case_id).select_related("uploaded_by").order_by("uploaded_at")
        )
        if record.case_id
        else []
    )
    companions = [record.invited_companion, record.companion]
    people = _people(record, by, evidence, events, companions) if redacted else Unredacted()
    by_section = {anchor: [] for anchor in STEP_SECTION.values()}
    for event in events:
        by_section[STEP_SECTION[event.step]].append(
            (_day(event.at), event.get_step_display(), people.person(event.actor), people.text(event.text))
        )
    return {
        "record": record,
        "redacted": redacted,
        "employee": people.person(record.employee),
        "produced_on": day(today or timezone.localdate()),
        "produced_by": people.person(by),
        "sections": [
            _allegation(record, people, by_section),
            _clauses(record),
            _acknowledgements(record),
            _evidence(record, people, evidence),
            _investigation(record, people, by_section),
            _hearing(record, people, by_section),
            _outcome(record, people, by_section),
            _appeal(record, people, by_section),
        ],
    }
