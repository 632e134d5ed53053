"""Demo cases for seed_demo: one in every stage, raised in both teams, so every role sees its own slice.

`staff` reports `staff2` (who must then see none of those), and `staff2` reports people in the first team.
"""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import DateTimeField, ExpressionWrapper, F
from django.db.models.functions import TruncDate
from django.utils import timezone
from PIL import Image, ImageDraw

from . import actions, playbooks, services, witnesses
from .models import ActionKind, Case, Outcome, Platform, PlaybookStep, RemovalRequest, Route, SubjectKind

# The demo playbooks (3.1): what the governance head expects of a case citing each clause, and by when.
DEMO_PLAYBOOKS = [
    ("2.5", ActionKind.REMOVAL_REQUEST, PlaybookStep.Requirement.REQUIRED, "Send a removal request", 2),
    ("2.3", ActionKind.POLICE_REFERRAL, PlaybookStep.Requirement.CONSIDER, "Consider a police referral", 1),
    (
        "2.4",
        ActionKind.DISCIPLINARY_REFERRAL,
        PlaybookStep.Requirement.CONSIDER,
        "Consider a disciplinary referral to HR",
        5,
    ),
]


def create_demo_playbooks(*, people, version):
    """The playbooks of clauses 2.3, 2.4 and 2.5, counted from the referral. Before the demo cases, whose
    referrals start their clocks."""
    if PlaybookStep.objects.exists():
        return 0
    for number, action, requirement, label, days in DEMO_PLAYBOOKS:
        playbooks.playbook_step_add(
            policy=version.policy,
            clause_number=number,
            by=people["governance"],
            action=action,
            requirement=requirement,
            label=label,
            working_days=days,
            starts_from=PlaybookStep.Start.REFERRED,
        )
    return len(DEMO_PLAYBOOKS)


def _screenshot(text):
    image = Image.new("RGB", (480, 160), "white")
    ImageDraw.Draw(image).text((16, 60), text, fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile("screenshot.png", buffer.getvalue(), "image/png")


def _backdate(case, days):
    """Spread the demo cases over the past weeks so that ages and queues look real."""
    delta = datetime.timedelta(days=days)
    Case.objects.filter(pk=case.pk).update(
        created_at=F("created_at") - delta,
        stage_changed_at=F("stage_changed_at") - delta,
        seen_at=F("seen_at") - delta,
        # The day it was seen, as it was raised (old values on the right of an UPDATE: shifted here too).
        incident_on=TruncDate(ExpressionWrapper(F("seen_at") - delta, output_field=DateTimeField())),
    )
    case.events.update(at=F("at") - delta)
    case.witnesses.update(added_at=F("added_at") - delta)


def create_demo_cases(*, people, version):
    if Case.objects.exists():
        return 0
    staff, staff2, governance = people["staff"], people["staff2"], people["governance"]
    clause = {c.number: c for c in version.clauses()}
    today = timezone.localdate()
    seen = timezone.now() - datetime.timedelta(hours=5)

    def raise_(reporter, **fields):
        fields.setdefault("seen_at", seen)
        fields.setdefault("links", "https://social.example/post/" + str(Case.objects.count() + 1))
        return services.case_raise(reporter=reporter, policy_version=version, **fields)

    def move(case, *names, by=None, reason="", outcome=""):
        for name in names:
            case = services.case_move(
                case=case,
                by=by or case.handler,
                move=name,
                reason=reason or "Recorded in the demo.",
                outcome=outcome,
            )
        return case

    about_staff2 = {"subject_kind": SubjectKind.COLLEAGUE, "subject_person": staff2}

    # 1. Submitted, waiting for the supervisor.
    case = raise_(
        staff,
        platform=Platform.FACEBOOK,
        clauses=[clause["5.2"]],
        identifies_service_user_or_carer=True,
        description="Jordan posted a photo from the day centre in which a service user can be recognised.",
        evidence_files=[_screenshot("Facebook post: day centre photo")],
        **about_staff2,
    )
    _backdate(case, 1)

    # 2. In triage, with an internal note and a message to the reporter.
    case = raise_(
        staff,
        platform=Platform.TWITTER,
        clauses=[clause["5.2"], clause["5.3"]],
        description="A tweet making fun of a colleague's accent, with their first name.",
        **about_staff2,
    )
    move(case, "start_triage")
    services.case_add_note(case=case, by=case.handler, text="Checked: the tweet is public. Screenshot kept.")
    services.case_message_reporter(case=case, by=case.handler, text="Thank you — I am looking into this now.")
    # The communications officer saw the tweet too: named as a witness, so she may never handle the case.
    witnesses.witness_add(case=case, by=case.handler, person=people["comms"])
    _backdate(case, 3)

    # 3. Closed at triage: nothing to act on.
    case = raise_(
        staff,
        subject_kind=SubjectKind.PUBLIC,
        subject_description="A local news page comment",
        platform=Platform.FACEBOOK,
        description="A fair but critical comment about waiting times.",
    )
    move(case, "close_at_triage", reason="Fair comment about the service; no breach of privacy or dignity.")
    _backdate(case, 20)

    # 4. Referred to governance: staff2 reports the first team's supervisor, so it goes to their own.
    case = raise_(
        staff2,
        subject_kind=SubjectKind.COLLEAGUE,
        subject_person=people["supervisor"],
        platform=Platform.LINKEDIN,
        clauses=[clause["6.5"]],
        description="A LinkedIn recommendation of an agency, written as a focus supervisor.",
    )
    move(case, "start_triage", "refer", reason="Recommendations can only be made through the CBUCP (6.5).")
    _backdate(case, 6)

    # 5. Under governance review, with legal advice taken.
    case = raise_(
        staff2,
        subject_kind=SubjectKind.COLLEAGUE,
        subject_person=staff,
        platform=Platform.INSTAGRAM,
        clauses=[clause["5.2"]],
        discloses_confidential_information=True,
        description="An Instagram story mentioning a team meeting about a safeguarding case.",
        evidence_files=[SimpleUploadedFile("notes.txt", b"Story seen at 21:10, now deleted.", "text/plain")],
    )
    move(case, "start_triage", "refer", reason="Possible disclosure of confidential information.")
    move(case, "start_review", by=governance)
    actions.legal_advice_record(
        case=case,
        by=governance,
        advised_on=today,
        adviser="Employment solicitor",
        summary="Internal matter; no legal action needed against third parties.",
    )
    _backdate(case, 12)

    # 6. Action in progress: a carer's blog, a removal request past its deadline and a platform notice.
    case = raise_(
        staff,
        subject_kind=SubjectKind.CARER,
        subject_description="The carer of a service user",
        platform=Platform.BLOG,
        clauses=[clause["9.2"]],
        identifies_service_user_or_carer=True,
        description="A blog post naming two staff and describing a service user's care in detail.",
        route=Route.HEAD_OF_SERVICE,
    )
    move(case, "start_triage", "refer", reason="Privacy and dignity of a service user (9.2).")
    move(case, "start_review", by=governance)
    actions.removal_request_record(
        case=case,
        by=governance,
        requested_from="The blog's author, by letter",
        sent_on=today - datetime.timedelta(days=14),
        deadline=today - datetime.timedelta(days=2),
    )
    actions.platform_notice_record(
        case=case,
        by=governance,
        platform=Platform.BLOG,
        sent_on=today - datetime.timedelta(days=1),
        reference="ABUSE-55012",
        summary="Reported under the host's privacy policy.",
    )
    _backdate(case, 16)

    # 7. Closed with a disciplinary referral: the posting was not removed when asked (2.5).
    case = raise_(
        staff2,
        subject_kind=SubjectKind.COLLEAGUE,
        subject_person=staff,
        platform=Platform.FACEBOOK,
        clauses=[clause["5.2"], clause["2.5"]],
        description="Personal insults about a colleague in a public Facebook group.",
    )
    move(case, "start_triage", "refer", reason="Insults about a colleague (5.2).")
    move(case, "start_review", by=governance)
    request = actions.removal_request_record(
        case=case,
        by=governance,
        requested_from=str(staff),
        staff_member=staff,
        sent_on=today - datetime.timedelta(days=10),
        deadline=today - datetime.timedelta(days=3),
    )
    actions.removal_request_resolve(
        removal_request=request, by=governance, status=RemovalRequest.Status.NOT_COMPLIED
    )
    actions.disciplinary_referral_record(
        case=case,
        by=governance,
        person=staff,
        allegation=actions.non_compliance_allegation(request),
        clauses_breached=list(case.clauses.all()),
        severity="misconduct",
        removal_request=request,
    )
    move(case, "close", by=governance, reason="Referred to HR.", outcome=Outcome.DISCIPLINARY_REFERRAL)
    _backdate(case, 30)

    # 8. Closed: content removed after a request.
    case = raise_(
        staff,
        subject_kind=SubjectKind.PUBLIC,
        subject_description="A Google review",
        platform=Platform.OTHER,
        platform_other="Google reviews",
        clauses=[clause["9.2"]],
        description="A review naming a service user and their diagnosis.",
    )
    move(case, "start_triage", "refer", reason="Identifies a service user.")
    move(case, "start_review", by=governance)
    request = actions.removal_request_record(
        case=case,
        by=governance,
        requested_from="The reviewer, through the platform",
        sent_on=today - datetime.timedelta(days=40),
        deadline=today - datetime.timedelta(days=33),
    )
    actions.removal_request_resolve(
        removal_request=request, by=governance, status=RemovalRequest.Status.REMOVED
    )
    move(case, "close", by=governance, reason="The review was taken down.", outcome=Outcome.CONTENT_REMOVED)
    _backdate(case, 45)

    # 9. Under review, citing 2.3 and 2.4: the playbook's police referral considered, the HR one still due.
    case = raise_(
        staff,
        subject_kind=SubjectKind.COLLEAGUE,
        subject_person=staff2,
        platform=Platform.TIKTOK,
        clauses=[clause["2.3"], clause["2.4"]],
        description="A TikTok video filmed in the office, posted from a business account, mocking a visitor.",
    )
    move(case, "start_triage", "refer", reason="Business account used to mock a visitor (2.3, 2.4).")
    move(case, "start_review", by=governance)
    step = PlaybookStep.objects.get(policy=version.policy, clause_number="2.3")
    playbooks.playbook_step_consider(
        case=case, step=step, by=governance, note="No threat or harassment: not a police matter."
    )

    # 10. Closed because the policy was unclear: clause 2.3 is flagged for the next review (10.1).
    case = raise_(
        staff2,
        subject_kind=SubjectKind.COLLEAGUE,
        subject_person=staff,
        platform=Platform.WHATSAPP,
        clauses=[clause["2.3"]],
        description="Work rota shared in a private WhatsApp group of friends.",
    )
    move(case, "start_triage", "refer", reason="Is a private group 'business use' under 2.3?")
    move(case, "start_review", by=governance)
    move(
        case,
        "close",
        by=governance,
        reason="2.3 does not say whether private groups count; raised for the review.",
        outcome=Outcome.POLICY_UNCLEAR,
    )
    _backdate(case, 8)
    return Case.objects.count()
