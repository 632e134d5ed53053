"""The home page as each handler's work queues: what each role sees, soonest deadline first, with the
status pill; nothing about a concern reaches its subject; the navigation's count of the person's work."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from business_use import services as business_use_services
from business_use.models import Account, Kind
from cases import actions, breach
from cases.models import DisciplinaryReferral, RemovalRequest, Stage, SubjectKind
from discipline import services as discipline_services

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
WEDNESDAY = datetime.datetime(2026, 12, 2, 10, tzinfo=LONDON)
FRIDAY = datetime.datetime(2026, 12, 4, 11, tzinfo=LONDON)
MONDAY = datetime.datetime(2026, 12, 7, 11, tzinfo=LONDON)

QUEUES = {
    "triage": "Cases awaiting triage",
    "feedback": "Reporter feedback due",
    "messages": "Messages from reporters awaiting an answer",
    "review": "Cases awaiting governance review",
    "removal": "Removal deadlines (2.5)",
    "breach": "Personal data breach decisions",
    "leavers": "Open cases of people who have left",
    "referrals": "Referrals awaiting a disciplinary record",
    "hearings": "Hearings and appeals",
    "warnings": "Warnings expiring",
    "business_use": "Business use requests waiting for you",
}


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.text


def queue_rows(page, title):
    """The rows of one queue: (reference, what is waiting, status pill), in the page's order."""
    section = re.search(rf"<h2 id=\"queue-\w+\">{re.escape(title)} .*?</section>", page, re.S)
    assert section, f"No queue {title!r} on the page."
    return re.findall(
        r'<a href="[^"]+">([^<]+)</a></td>\s*<td data-label="Waiting for">([^<]+)</td>.*?'
        r'<span class="pill pill-\w+">([^<]+)</span>',
        section.group(0),
        re.S,
    )


def queues_shown(page):
    return {key for key, title in QUEUES.items() if f">{title} <span" in page}


def raised_at(when, raise_case, reporter, **fields):
    with time_machine.travel(when, tick=False):
        return raise_case(reporter, **fields)


# --- Who sees which queue ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "queues"),
    [
        ("staff", set()),
        ("supervisor", {"triage", "feedback", "messages", "business_use"}),
        ("head_of_service", {"triage", "feedback", "messages", "business_use"}),
        ("governance", {"review", "removal", "breach", "leavers", "messages"}),
        ("hr", {"referrals", "hearings", "warnings"}),
        ("comms", {"business_use"}),
        ("infosec", {"breach", "business_use"}),
        ("outsider", set()),
    ],
)
def test_each_role_sees_its_own_queues(client, request, policy, who, queues):
    assert queues_shown(home(client, request.getfixturevalue(who))) == queues


def test_the_supervisors_triage_queue_is_soonest_first_with_its_pill(client, raise_case, staff, supervisor):
    older = raised_at(WEDNESDAY, raise_case, staff)
    newer = raised_at(FRIDAY, raise_case, staff)
    with time_machine.travel(FRIDAY, tick=False):
        rows = queue_rows(home(client, supervisor), QUEUES["triage"])
    # Two working days to triage: Wednesday's case is due today, Friday's on Tuesday.
    assert rows == [
        (older.reference, "Submitted: triage", "due today"),
        (newer.reference, "Submitted: triage", "due in 2 working days"),
    ]
    with time_machine.travel(MONDAY, tick=False):
        rows = queue_rows(home(client, supervisor), QUEUES["triage"])
    assert rows[0] == (older.reference, "Submitted: triage", "overdue by 1 working day")


def test_a_triaged_case_leaves_the_queue(client, raise_case, move_to, staff, supervisor):
    case = raise_case(staff)
    move_to(case, Stage.CLOSED_AT_TRIAGE)
    assert queue_rows(home(client, supervisor), QUEUES["triage"]) == []
    assert "Nothing waiting." in home(client, supervisor)


def test_reporter_feedback_is_due_three_months_after_raising(client, raise_case, move_to, staff, supervisor):
    case = move_to(raised_at(WEDNESDAY, raise_case, staff), Stage.IN_TRIAGE)
    with time_machine.travel(datetime.datetime(2027, 3, 2, 10, tzinfo=LONDON), tick=False):
        rows = queue_rows(home(client, supervisor), QUEUES["feedback"])
    assert rows == [(case.reference, "Give the reporter feedback", "due today")]


def test_the_governance_head_sees_referred_cases_but_never_one_about_themselves(
    client, policy, raise_case, move_to, staff, supervisor, governance, second_governance_head
):
    referred = move_to(raise_case(staff), Stage.REFERRED)
    about_them = move_to(
        raise_case(
            staff, subject_kind=SubjectKind.COLLEAGUE, subject_person=governance, subject_description=""
        ),
        Stage.REFERRED,
    )
    mine = [reference for reference, _, _ in queue_rows(home(client, governance), QUEUES["review"])]
    assert mine == [referred.reference]
    theirs = [ref for ref, _, _ in queue_rows(home(client, second_governance_head), QUEUES["review"])]
    assert sorted(theirs) == sorted([referred.reference, about_them.reference])
    assert about_them.reference not in home(client, governance)


def test_removal_deadlines_due_or_missed_earliest_first(client, raise_case, move_to, staff, governance):
    case = move_to(raise_case(staff), Stage.UNDER_REVIEW)
    today = datetime.date(2026, 12, 7)
    with time_machine.travel(MONDAY, tick=False):
        for days, to in [(3, "Later Ltd"), (0, "Today Ltd")]:
            actions.removal_request_record(
                case=case,
                by=governance,
                requested_from=to,
                sent_on=today,
                deadline=today + datetime.timedelta(days=days),
            )
    with time_machine.travel(datetime.datetime(2026, 12, 8, 9, tzinfo=LONDON), tick=False):
        rows = queue_rows(home(client, governance), QUEUES["removal"])
    assert [(what, pill) for _, what, pill in rows] == [
        ("Removal requested from Today Ltd (2.5)", "overdue by 1 working day"),
        ("Removal requested from Later Ltd (2.5)", "due in 2 working days"),
    ]
    RemovalRequest.objects.update(status=RemovalRequest.Status.REMOVED)
    assert queue_rows(home(client, governance), QUEUES["removal"]) == []


def test_breach_decisions_show_the_hours_left(client, raise_case, staff, infosec, governance):
    with time_machine.travel(FRIDAY, tick=False):
        case = raise_case(staff, discloses_personal_data=True)
    with time_machine.travel(FRIDAY + datetime.timedelta(hours=70), tick=False):
        assert queue_rows(home(client, infosec), QUEUES["breach"]) == [
            (case.reference, "Decide whether to report to the ICO", "2 hours left")
        ]
        breach.breach_decision_record(case=case, by=governance, reported_to_ico=False, reasons="No risk.")
        assert queue_rows(home(client, infosec), QUEUES["breach"]) == []


def test_hr_see_referrals_awaiting_a_record_until_one_is_opened(
    client, raise_case, move_to, staff, other_staff, governance, hr, other_hr
):
    case = move_to(raise_case(staff), Stage.UNDER_REVIEW)
    referral = actions.disciplinary_referral_record(
        case=case,
        by=governance,
        person=other_staff,
        allegation="Posted about a service user.",
        clauses_breached=list(case.clauses.all()),
        severity=DisciplinaryReferral.Severity.MISCONDUCT,
    )
    assert queue_rows(home(client, hr), QUEUES["referrals"]) == [
        (case.reference, "Open a disciplinary record (misconduct referral)", "no deadline")
    ]
    discipline_services.record_open_from_referral(referral=referral, by=other_hr)
    assert queue_rows(home(client, hr), QUEUES["referrals"]) == []


def test_hr_see_hearings_by_date_and_warnings_expiring(client, policy, other_staff, hr):
    clause = policy.current_version().clauses().get(number="5.2")
    record = discipline_services.record_open(
        by=hr, employee=other_staff, allegation="Posted a photo.", severity="misconduct", clauses=[clause]
    )
    today = datetime.date.today()
    record.hearing_arranged_for = today + datetime.timedelta(days=1)
    record.outcome_in_force, record.warning_expires_on = (
        "first_written_warning",
        today + datetime.timedelta(days=9),
    )
    record.save()
    # Warnings ending today, and after the 30 days ahead, are not expiring: only the one within them.
    for expires in (today, today + datetime.timedelta(days=31)):
        other = discipline_services.record_open(
            by=hr, employee=other_staff, allegation="Posted again.", severity="misconduct", clauses=[clause]
        )
        other.outcome_in_force, other.warning_expires_on = "final_written_warning", expires
        other.save()
    page = home(client, hr)
    assert [what for _, what, _ in queue_rows(page, QUEUES["hearings"])] == ["Hearing"]
    assert [ref for ref, _, _ in queue_rows(page, QUEUES["warnings"])] == [record.reference]


def test_business_use_requests_wait_for_the_supervisor_then_the_communications_team(
    client, staff, supervisor, comms
):
    request = business_use_services.business_use_submit(
        requester=staff, kind=Kind.OFFICIAL_POST, account=Account.FOCUS_FACEBOOK, content="Our news."
    )
    assert [ref for ref, _, _ in queue_rows(home(client, supervisor), QUEUES["business_use"])] == [
        request.reference
    ]
    assert queue_rows(home(client, comms), QUEUES["business_use"]) == []
    business_use_services.business_use_move(request=request, by=supervisor, move="approve_content")
    assert queue_rows(home(client, supervisor), QUEUES["business_use"]) == []
    assert queue_rows(home(client, comms), QUEUES["business_use"]) == [
        (
            request.reference,
            "Post on an official focus account: to be published, made or answered",
            "no deadline",
        )
    ]


def test_leavers_open_cases_are_to_reassign(client, raise_case, staff, supervisor, governance):
    case = raise_case(staff)
    supervisor.is_active = False
    supervisor.save()
    rows = queue_rows(home(client, governance), QUEUES["leavers"])
    assert [(ref, pill) for ref, _, pill in rows] == [(case.reference, "no deadline")]


# --- The navigation's count -----------------------------------------------------------------------------


def test_the_navigation_counts_the_persons_work(client, raise_case, staff, supervisor):
    raise_case(staff)
    raise_case(staff)
    client.force_login(supervisor)
    page = client.get(reverse("policies:list")).text
    # Each case: its triage, and the reporter's feedback owed within three months.
    assert re.search(r'>Home <span class="badge">4<span class="visually-hidden"> waiting for you', page)
    client.force_login(staff)
    assert 'Home <span class="badge">' not in client.get(reverse("policies:list")).text


def test_hr_never_see_a_referral_on_a_concern_about_themselves(
    client, policy, staff, other_staff, governance, hr, other_hr, move_to
):
    from tests.factories import case_raised

    case = move_to(
        case_raised(
            policy, staff, subject_kind=SubjectKind.COLLEAGUE, subject_person=hr, subject_description=""
        ),
        Stage.UNDER_REVIEW,
    )
    actions.disciplinary_referral_record(
        case=case,
        by=governance,
        person=other_staff,
        allegation="Posted about a service user.",
        clauses_breached=list(case.clauses.all()),
        severity=DisciplinaryReferral.Severity.MISCONDUCT,
    )
    assert queue_rows(home(client, hr), QUEUES["referrals"]) == []
    assert [ref for ref, _, _ in queue_rows(home(client, other_hr), QUEUES["referrals"])] == [case.reference]


def test_the_head_of_information_security_never_sees_a_breach_about_themselves(
    client, policy, staff, infosec, governance
):
    from tests.factories import case_raised

    about_them = case_raised(
        policy,
        staff,
        subject_kind=SubjectKind.COLLEAGUE,
        subject_person=infosec,
        subject_description="",
        discloses_personal_data=True,
    )
    other = case_raised(policy, staff, discloses_personal_data=True)
    assert [ref for ref, _, _ in queue_rows(home(client, infosec), QUEUES["breach"])] == [other.reference]
    governance_rows = [ref for ref, _, _ in queue_rows(home(client, governance), QUEUES["breach"])]
    assert sorted(governance_rows) == sorted([about_them.reference, other.reference])


def test_questions_about_acceptable_sites_wait_for_the_head_of_information_security(client, staff, infosec):
    request = business_use_services.business_use_submit(
        requester=staff, kind=Kind.ADVICE, topic="acceptable_sites", content="Is the NMC forum acceptable?"
    )
    assert [ref for ref, _, _ in queue_rows(home(client, infosec), QUEUES["business_use"])] == [
        request.reference
    ]


def test_the_home_page_counts_open_concerns_and_the_governance_queue(
    client, raise_case, move_to, staff, governance
):
    raise_case(staff)
    move_to(raise_case(staff), Stage.REFERRED)
    move_to(raise_case(staff), Stage.CLOSED_AT_TRIAGE)
    assert re.search(r"Your concerns</a>: 2 open<", home(client, staff))
    page = home(client, governance)
    assert re.search(r"Your concerns</a>: 0 open<", page)
    assert re.search(r"Governance queue</a>: 1 referred or in review<", page)
