"""The reporter withdraws a concern that has not reached the Head of Business and Governance, with a
reason, after a check page; the handler is told and may continue it where the policy requires it, and both
pages say so."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from cases import reporter, services
from cases.models import CaseEvent, Outcome, Stage
from core.errors import DomainError
from notifications.models import Kind, Notification
from tests.confirm import confirmed

pytestmark = pytest.mark.django_db

WITHDRAWABLE = [Stage.SUBMITTED, Stage.IN_TRIAGE]
NOT_WITHDRAWABLE = [s for s in Stage.values if s not in WITHDRAWABLE]


def withdraw(client, case, data):
    return client.post(reverse("cases:withdraw", args=[case.reference]), data)


@pytest.mark.parametrize("stage", WITHDRAWABLE)
def test_a_concern_not_yet_referred_can_be_withdrawn(case_about_colleague, move_to, staff, stage):
    case = move_to(case_about_colleague, stage)
    case = reporter.reporter_withdraw(case=case, reason="I raised it in anger.", by=staff)
    case.refresh_from_db()
    assert (case.stage, case.outcome) == (Stage.CLOSED_AT_TRIAGE, Outcome.WITHDRAWN)
    assert case.withdrawn_at == case.stage_changed_at
    event = case.events.filter(kind=CaseEvent.Kind.STAGE).last()
    assert (event.from_stage, event.actor, event.visible_to_reporter) == (stage, staff, True)
    assert event.text == "Outcome: Withdrawn by the reporter. Their reason: I raised it in anger."
    assert AuditEntry.objects.filter(case=case, actor=staff, what__contains="to Closed at triage").exists()


@pytest.mark.parametrize("stage", NOT_WITHDRAWABLE)
def test_a_referred_or_closed_concern_cannot_be_withdrawn(
    client, case_about_colleague, move_to, staff, stage
):
    case = move_to(case_about_colleague, stage)
    events = case.events.count()
    with pytest.raises(DomainError):
        reporter.reporter_withdraw(case=case, reason="Please stop.", by=staff)
    case.refresh_from_db()
    assert (case.stage, case.withdrawn_at, case.events.count()) == (stage, None, events)
    client.force_login(staff)
    page = client.get(case.get_absolute_url()).text
    assert reverse("cases:withdraw", args=[case.reference]) not in page
    assert withdraw(client, case, confirmed({"reason": "Please stop."})).status_code == 400
    case.refresh_from_db()
    assert case.stage == stage


def test_the_page_says_why_a_referred_concern_cannot_be_withdrawn(
    client, case_about_colleague, move_to, staff
):
    case = move_to(case_about_colleague, Stage.REFERRED)
    client.force_login(staff)
    page = client.get(case.get_absolute_url()).text
    assert "passed to the Head of Business and Governance for a governance review" in page
    assert "it can no longer be withdrawn" in page


def test_withdrawing_on_the_page_is_checked_first_then_done(client, case_about_colleague, staff, supervisor):
    case = case_about_colleague
    client.force_login(staff)
    page = client.get(case.get_absolute_url()).text
    # The page says before anything is done that the handler may still go on.
    assert "Withdrawing your concern" in page and "safeguarding" in page

    check = withdraw(client, case, {"reason": "It was sorted out between us."})
    assert check.status_code == 200
    assert "Check before you confirm: Withdraw my concern" in check.text
    assert f"Your concern {case.reference} will be closed as withdrawn" in check.text
    assert "keep a service user safe" in check.text
    case.refresh_from_db()
    assert (case.stage, case.withdrawn_at) == (Stage.SUBMITTED, None)

    done = client.post(
        reverse("cases:withdraw", args=[case.reference]),
        confirmed({"reason": "It was sorted out between us."}),
        follow=True,
    )
    assert f"Your concern {case.reference} has been withdrawn." in done.text
    assert "Withdrawn by you" in done.text
    assert "You withdrew the concern" in done.text
    case.refresh_from_db()
    assert case.is_withdrawn
    notice = Notification.objects.get(recipient=supervisor, kind=Kind.CASE_WITHDRAWN)
    assert (
        notice.title == f"Case {case.reference} was withdrawn by its reporter: check whether it must continue"
    )
    # What asked the handler to triage it is done.
    assert not Notification.objects.filter(recipient=supervisor, kind=Kind.CASE_ROUTED, read_at=None).exists()

    client.force_login(supervisor)
    page = client.get(case.get_absolute_url()).text
    assert "Outcome: Withdrawn by the reporter. Their reason: It was sorted out between us." in page
    assert "If the policy requires it to go on regardless" in page


def test_a_reason_is_required(client, case_about_colleague, staff, supervisor):
    client.force_login(staff)
    response = withdraw(client, case_about_colleague, confirmed({"reason": "  "}))
    assert response.status_code == 400
    assert "That was not done" in response.text
    case_about_colleague.refresh_from_db()
    assert case_about_colleague.stage == Stage.SUBMITTED
    with pytest.raises(DomainError, match="Say why"):
        reporter.reporter_withdraw(case=case_about_colleague, reason="", by=staff)
    assert not Notification.objects.filter(kind=Kind.CASE_WITHDRAWN).exists()


def test_the_handler_may_continue_a_withdrawn_case_and_the_reporter_is_told(
    client, case_about_colleague, staff, supervisor
):
    case = reporter.reporter_withdraw(case=case_about_colleague, reason="I was mistaken.", by=staff)
    services.case_move(
        case=case, by=supervisor, move="reopen_triage", reason="A service user may be at risk: safeguarding."
    )
    case.refresh_from_db()
    assert (case.stage, case.outcome) == (Stage.IN_TRIAGE, "")
    assert case.withdrawn_at is not None
    assert Notification.objects.get(recipient=staff, kind=Kind.REPORTER_MESSAGE).title == (
        f"Your concern {case.reference} is continuing"
    )
    assert Notification.objects.get(recipient=supervisor, kind=Kind.CASE_WITHDRAWN).read_at is not None

    client.force_login(staff)
    page = client.get(case.get_absolute_url()).text
    assert "The people handling it have continued it, as the policy requires in some cases" in page
    assert "it cannot be withdrawn again" in page
    assert "safeguarding." not in page  # the handler's reason is internal
    with pytest.raises(DomainError, match="cannot be withdrawn again"):
        reporter.reporter_withdraw(case=case, reason="Again.", by=staff)


@pytest.mark.parametrize("who", ["other_staff", "supervisor", "governance", "outsider"])
def test_only_the_reporter_may_withdraw(client, case_about_colleague, request, who):
    person = request.getfixturevalue(who)
    with pytest.raises(DomainError, match="Only the reporter"):
        reporter.reporter_withdraw(case=case_about_colleague, reason="Not mine.", by=person)
    client.force_login(person)
    assert withdraw(client, case_about_colleague, confirmed({"reason": "Not mine."})).status_code == 404
    case_about_colleague.refresh_from_db()
    assert case_about_colleague.stage == Stage.SUBMITTED
