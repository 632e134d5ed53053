"""Demo disciplinary records for seed_demo: one from the demo referral and a few opened directly, at
different ACAS steps, with a live warning and one that has expired. All made through the services.

Safe to run twice: nothing is made if any record exists.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from cases.models import DisciplinaryReferral
from policies.models import Policy

from . import services
from .models import AppealOutcome, DisciplinaryRecord, Outcome, Severity, Step

# The date field each step records, to date the demo timeline as if the steps had happened then.
# Where and when the demo hearings are held, and who attended them.
HEARING_AT = {
    "hearing_time": datetime.time(10, 0),
    "hearing_place": "Meeting room 2, Head Office",
    "told_of_right_to_be_accompanied": True,
}
ATTENDEES = "The employee, the manager hearing the case, an HR officer taking notes, any companion."

STEP_DATES = {
    Step.OPENED: "opened_on",
    Step.INVESTIGATED: "investigation_completed_on",
    Step.INVITED: "invitation_sent_on",
    Step.HEARD: "hearing_held_on",
    Step.DECIDED: "decided_on",
    Step.APPEAL_LODGED: "appeal_lodged_on",
    Step.APPEAL_DECIDED: "appeal_heard_on",
}


def _date_events(record):
    record.refresh_from_db()
    for event in record.events.all():
        on = getattr(record, STEP_DATES[event.step])
        event.at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(10, 0)))
        event.save(update_fields=["at"])


def create_demo_records(*, people):
    if DisciplinaryRecord.objects.exists():
        return 0
    hr = people["hr"]
    today = timezone.localdate()
    version = Policy.objects.get(slug="social-media-policy").current_version()
    clause = {c.number: c for c in version.clauses()}

    def ago(days):
        return today - datetime.timedelta(days=days)

    # 1. From the demo referral (clause 2.5): investigated and invited to a hearing next week.
    referral = DisciplinaryReferral.objects.filter(disciplinary_record__isnull=True).order_by("pk").first()
    if referral is not None and referral.person_id != hr.pk:
        record = services.record_open_from_referral(referral=referral, by=hr)
        services.record_investigation(
            record=record,
            by=hr,
            investigator=people["supervisor2"],
            summary="The posting stayed up after the removal deadline; screenshots on the case confirm it.",
            completed_on=today,
        )
        services.record_invitation(
            record=record,
            by=hr,
            sent_on=today,
            hearing_arranged_for=today + datetime.timedelta(days=7),
            **HEARING_AT,
            notes="Sent with the screenshots and the removal request.",
        )

    # 2. A first written warning, still live, under appeal.
    record = services.record_open(
        by=hr,
        employee=people["staff2"],
        allegation="Posted an unkind comment about a colleague's accent on Twitter.",
        severity=Severity.MISCONDUCT,
        clauses=[clause["5.3"]],
        opened_on=ago(45),
    )
    services.record_investigation(
        record=record,
        by=hr,
        investigator=people["supervisor"],
        summary="The tweet was public for two days; the colleague was upset and named in it.",
        completed_on=ago(35),
    )
    services.record_invitation(
        record=record, by=hr, sent_on=ago(30), hearing_arranged_for=ago(25), **HEARING_AT
    )
    services.record_hearing(
        record=record,
        by=hr,
        held_on=ago(25),
        heard_by=people["headofservice"],
        companion="Sian Davies",
        attendees=ATTENDEES,
        notes="The employee accepted the tweet was unkind and apologised.",
    )
    services.record_outcome(
        record=record,
        by=hr,
        outcome=Outcome.FIRST_WRITTEN_WARNING,
        reasons="Accepted the tweet was unkind and apologised; a first offence.",
        decided_on=ago(20),
    )
    services.record_appeal(
        record=record, by=hr, lodged_on=ago(15), grounds="The sanction is too severe for a first offence."
    )
    _date_events(record)

    # 3. A final written warning from over two years ago, upheld on appeal, now expired.
    decided = today - relativedelta(months=24, days=20)
    record = services.record_open(
        by=hr,
        employee=people["supervisor2"],
        allegation="Recommended an agency on LinkedIn as a focus supervisor, without approval.",
        severity=Severity.MISCONDUCT,
        clauses=[clause["6.5"]],
        opened_on=decided - datetime.timedelta(days=30),
    )
    services.record_investigation(
        record=record,
        by=hr,
        investigator=people["supervisor"],
        summary="The recommendation named focus and was seen by commissioners.",
        completed_on=decided - datetime.timedelta(days=20),
    )
    services.record_invitation(
        record=record,
        by=hr,
        sent_on=decided - datetime.timedelta(days=15),
        hearing_arranged_for=decided - datetime.timedelta(days=7),
        **HEARING_AT,
    )
    services.record_hearing(
        record=record,
        by=hr,
        held_on=decided - datetime.timedelta(days=7),
        heard_by=people["headofservice"],
        companion="UNISON representative",
        attendees=ATTENDEES,
        notes="The employee said they had not been told of clause 6.5.",
    )
    services.record_outcome(
        record=record,
        by=hr,
        outcome=Outcome.FINAL_WRITTEN_WARNING,
        reasons="A second breach of 6.5 after an informal reminder.",
        decided_on=decided,
    )
    services.record_appeal(
        record=record, by=hr, lodged_on=decided + datetime.timedelta(days=5), grounds="Was not told of 6.5."
    )
    services.record_appeal_outcome(
        record=record,
        by=hr,
        heard_on=decided + datetime.timedelta(days=15),
        heard_by=people["governance"],
        appeal_outcome=AppealOutcome.UPHELD,
        reasons="The informal reminder had covered clause 6.5.",
    )
    _date_events(record)

    # 4. Gross misconduct: heard, waiting for the outcome.
    record = services.record_open(
        by=hr,
        employee=people["comms"],
        allegation="Shared a photo of a service user on the focus Facebook page without consent.",
        severity=Severity.GROSS_MISCONDUCT,
        clauses=[clause["5.2"]],
        opened_on=ago(20),
    )
    services.record_investigation(
        record=record,
        by=hr,
        investigator=people["infosec"],
        summary="The photo was up for an hour; no consent form is on file.",
        completed_on=ago(14),
    )
    services.record_invitation(
        record=record, by=hr, sent_on=ago(10), hearing_arranged_for=ago(3), **HEARING_AT
    )
    services.record_hearing(
        record=record,
        by=hr,
        held_on=ago(3),
        heard_by=people["governance"],
        attendees=ATTENDEES,
        notes="Adjourned for a decision.",
    )
    _date_events(record)
    return DisciplinaryRecord.objects.count()
