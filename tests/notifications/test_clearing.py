"""HR are told of each referral, and a notification is cleared for everyone once anyone has done the work
it asked for, so that the unread count is work still waiting."""

import pytest
from django.urls import reverse

from business_use import services as business_use_services
from business_use.models import Account
from business_use.models import Kind as BusinessUseKind
from cases import actions, breach, services
from cases.models import DisciplinaryReferral, Stage, SubjectKind
from discipline import services as discipline_services
from notifications.models import Kind, Notification
from people.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def unread(person, kind):
    return Notification.objects.filter(recipient=person, kind=kind, read_at__isnull=True)


def refer(case, *, by, person):
    return actions.disciplinary_referral_record(
        case=case,
        by=by,
        person=person,
        allegation="Posted about a service user.",
        clauses_breached=list(case.clauses.all()),
        severity=DisciplinaryReferral.Severity.MISCONDUCT,
    )


def test_hr_are_told_of_a_referral_but_never_the_person_referred(
    raise_case, move_to, staff, governance, hr, other_hr
):
    case = move_to(raise_case(staff), Stage.UNDER_REVIEW)
    referral = refer(case, by=governance, person=other_hr)
    told = unread(hr, Kind.REFERRAL_TO_HR).get()
    assert told.link == reverse("cases:referral", args=[referral.pk])
    assert told.about == referral
    assert case.reference in told.title and str(other_hr) not in told.title
    assert not unread(other_hr, Kind.REFERRAL_TO_HR).exists()


def test_the_subject_of_the_concern_in_hr_is_not_told(policy, staff, other_staff, governance, hr, move_to):
    from tests.factories import case_raised

    case = move_to(
        case_raised(
            policy, staff, subject_kind=SubjectKind.COLLEAGUE, subject_person=hr, subject_description=""
        ),
        Stage.UNDER_REVIEW,
    )
    refer(case, by=governance, person=other_staff)
    assert not unread(hr, Kind.REFERRAL_TO_HR).exists()


def test_opening_the_record_clears_the_referral_for_every_hr_officer(
    raise_case, move_to, staff, other_staff, governance, hr, other_hr
):
    first = move_to(raise_case(staff), Stage.UNDER_REVIEW)
    second = move_to(raise_case(staff), Stage.UNDER_REVIEW)
    referral = refer(first, by=governance, person=other_staff)
    refer(second, by=governance, person=other_staff)
    assert unread(hr, Kind.REFERRAL_TO_HR).count() == 2
    discipline_services.record_open_from_referral(referral=referral, by=other_hr)
    # Only the other referral is still waiting, for both officers.
    assert [n.about.case for n in unread(hr, Kind.REFERRAL_TO_HR)] == [second]
    assert [n.about.case for n in unread(other_hr, Kind.REFERRAL_TO_HR)] == [second]


def test_a_case_triaged_by_someone_else_clears_the_handlers_notification(
    client, raise_case, staff, supervisor, governance
):
    case = raise_case(staff)
    other = raise_case(staff)
    assert unread(supervisor, Kind.CASE_ROUTED).count() == 2
    services.case_move(case=case, by=governance, move="close_at_triage", reason="Not a breach.")
    assert [n.link for n in unread(supervisor, Kind.CASE_ROUTED)] == [other.get_absolute_url()]
    client.force_login(supervisor)
    page = client.get(reverse("policies:list")).text
    assert '<span class="badge">1<span class="visually-hidden"> unread' in page


def test_a_decision_on_a_referred_case_clears_the_referral_notification(
    raise_case, move_to, staff, governance, second_governance_head
):
    case = move_to(raise_case(staff), Stage.REFERRED)
    assert unread(governance, Kind.CASE_REFERRED).exists()
    services.case_move(case=case, by=second_governance_head, move="start_review")
    assert unread(governance, Kind.CASE_REFERRED).exists()  # under review: still to decide
    services.case_move(case=case, by=second_governance_head, move="start_action")
    assert not unread(governance, Kind.CASE_REFERRED).exists()


def test_a_breach_decision_clears_the_breach_notifications(raise_case, staff, infosec, governance):
    other_infosec = UserFactory(username="infosec2", roles=[Role.INFOSEC])
    case = raise_case(staff, discloses_personal_data=True)
    assert unread(other_infosec, Kind.PERSONAL_DATA_BREACH).exists()
    breach.breach_decision_record(case=case, by=infosec, reported_to_ico=False, reasons="Low risk.")
    assert not unread(other_infosec, Kind.PERSONAL_DATA_BREACH).exists()
    assert not unread(infosec, Kind.PERSONAL_DATA_BREACH).exists()


def test_a_business_use_step_clears_what_asked_for_it(staff, supervisor, comms):
    request = business_use_services.business_use_submit(
        requester=staff, kind=BusinessUseKind.OFFICIAL_POST, account=Account.FOCUS_FACEBOOK, content="News."
    )
    assert unread(supervisor, Kind.BUSINESS_USE_WAITING).exists()
    business_use_services.business_use_move(request=request, by=supervisor, move="approve_content")
    assert not unread(supervisor, Kind.BUSINESS_USE_WAITING).exists()
    # Now it waits for the communications team: theirs stays until they publish.
    assert unread(comms, Kind.BUSINESS_USE_WAITING).exists()


def test_news_without_work_stays_unread(raise_case, staff, supervisor, governance):
    case = raise_case(staff)
    services.case_move(case=case, by=supervisor, move="start_triage")
    services.case_message_reporter(case=case, by=supervisor, text="Thank you, we are looking at it.")
    services.case_move(case=case, by=supervisor, move="close_at_triage", reason="Not a breach.")
    # The reporter's message is news, not work: closing the case leaves it for them to read.
    assert unread(staff, Kind.REPORTER_MESSAGE).exists()


def test_answering_an_overdue_removal_request_clears_its_notice(raise_case, move_to, staff, governance):
    import datetime

    import time_machine

    from cases.models import RemovalRequest
    from reminders.sweep import sweep_timers

    case = move_to(raise_case(staff), Stage.UNDER_REVIEW)
    today = datetime.date.today()
    request = actions.removal_request_record(
        case=case, by=governance, requested_from="Concerned Neighbour", sent_on=today, deadline=today
    )
    with time_machine.travel(datetime.datetime.now() + datetime.timedelta(days=2), tick=False):
        sweep_timers()
    assert unread(case.handler, Kind.ACTION_DUE).get().about == request
    actions.removal_request_resolve(
        removal_request=request, by=governance, status=RemovalRequest.Status.REMOVED
    )
    assert not unread(case.handler, Kind.ACTION_DUE).exists()


def test_closing_a_case_clears_the_reporter_feedback_warning(raise_case, move_to, staff, governance):
    import datetime

    import time_machine

    from reminders.sweep import sweep_timers

    case = move_to(raise_case(staff), Stage.IN_TRIAGE)
    with time_machine.travel(datetime.datetime.now() + datetime.timedelta(days=6), tick=False):
        sweep_timers()
    # By now the untriaged case was escalated: the warning went to whoever handles it.
    warnings = Notification.objects.filter(
        kind=Kind.REPORTER_FEEDBACK, about_id=case.pk, read_at__isnull=True
    )
    assert warnings.exists()
    services.case_move(case=case, by=governance, move="close_at_triage", reason="Not a breach.")
    assert not warnings.exists()
