"""The Head of Business and Governance records actions on a case: legal advice, removal requests (2.5),
notices to the platform and police referrals (9.2), disciplinary referrals to HR (2.4, 5.2)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from cases import actions
from cases.action_forms import ACTION_KINDS, DisciplinaryReferralForm
from cases.models import (
    CaseEvent,
    DisciplinaryReferral,
    LegalAdvice,
    Platform,
    PlatformNotice,
    PoliceReferral,
    RemovalRequest,
    Stage,
)
from core.errors import DomainError
from tests.confirm import confirmed

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def ago(days):
    return (TODAY - datetime.timedelta(days=days)).isoformat()


def action_url(case, kind):
    return reverse("cases:record_action", args=[case.reference, kind])


def resolve_url(case, removal_request):
    return reverse("cases:resolve_removal_request", args=[case.reference, removal_request.pk])


@pytest.fixture
def case(case_about_colleague, move_to):
    """`staff` reported `staff2`; the case is under the governance review."""
    return move_to(case_about_colleague, Stage.UNDER_REVIEW)


def valid_data(case, kind, other_staff):
    """What a person posts to record `kind`, confirmed where the step asks for it (core.confirm)."""
    return confirmed(
        {
            "legal-advice": {
                "advised_on": ago(1),
                "adviser": "Smith & Co",
                "summary": "Ask for removal first.",
            },
            "removal-request": {
                "requested_from": str(other_staff),
                "staff_member": other_staff.pk,
                "sent_on": ago(1),
                "deadline": ago(-6),
            },
            "platform-notice": {"platform": "facebook", "sent_on": ago(1), "reference": "FB-123"},
            "police-referral": {
                "reference": "HP-2026-99",
                "force": "Humberside Police",
                "referred_on": ago(1),
            },
            "disciplinary-referral": {
                "person": other_staff.pk,
                "allegation": "Posted a service user's details.",
                "clauses_breached": [clause.pk for clause in case.clauses.all()],
                "severity": "gross_misconduct",
            },
        }[kind]
    )


MODELS = {
    "legal-advice": LegalAdvice,
    "removal-request": RemovalRequest,
    "platform-notice": PlatformNotice,
    "police-referral": PoliceReferral,
    "disciplinary-referral": DisciplinaryReferral,
}


def removal_request(case, by, to, **fields):
    values = {"sent_on": TODAY - datetime.timedelta(days=7), "deadline": TODAY - datetime.timedelta(days=1)}
    values.update(fields)
    return actions.removal_request_record(case=case, by=by, requested_from=str(to), staff_member=to, **values)


# --- Recording each kind ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(ACTION_KINDS))
def test_governance_records_each_action(client, case, governance, other_staff, kind):
    client.force_login(governance)
    page = client.get(action_url(case, kind))
    assert page.status_code == 200
    assert f'href="{case.get_absolute_url()}"' in page.text

    response = client.post(action_url(case, kind), valid_data(case, kind, other_staff), follow=True)

    assert response.redirect_chain[-1][0] == case.get_absolute_url()
    record = MODELS[kind].objects.get(case=case)
    assert record.recorded_by == governance
    case.refresh_from_db()
    # Legal advice is part of the review; everything else means action is in progress.
    expected = Stage.UNDER_REVIEW if kind == "legal-advice" else Stage.ACTION_IN_PROGRESS
    assert case.stage == expected
    event = case.events.get(kind=CaseEvent.Kind.ACTION)
    assert event.actor == governance and event.text and not event.visible_to_reporter
    assert AuditEntry.objects.filter(
        case=case, actor=governance, action=AuditEntry.Action.CHANGE, what__endswith=f"on {case.reference}"
    ).exists()
    assert "recorded on" in response.text


def test_the_timeline_reads_like_the_policy(case, governance, other_staff):
    removal_request(
        case, governance, other_staff, sent_on=datetime.date(2025, 1, 5), deadline=datetime.date(2025, 1, 12)
    )
    event = case.events.filter(kind=CaseEvent.Kind.ACTION).get()
    assert event.text == (
        f"Removal request sent to {other_staff} on 5 January 2025, to be removed by 12 January 2025."
    )
    # The stage change that follows is its own event.
    assert case.events.filter(kind=CaseEvent.Kind.STAGE, to_stage=Stage.ACTION_IN_PROGRESS).count() == 1


def test_a_second_action_leaves_the_stage_as_it_is(case, governance):
    actions.police_referral_record(case=case, by=governance, reference="A1", referred_on=TODAY)
    actions.police_referral_record(case=case, by=governance, reference="A2", referred_on=TODAY)
    assert case.events.filter(kind=CaseEvent.Kind.STAGE, to_stage=Stage.ACTION_IN_PROGRESS).count() == 1
    assert case.events.filter(kind=CaseEvent.Kind.ACTION).count() == 2


def test_unknown_kind_is_not_found(client, case, governance):
    client.force_login(governance)
    assert client.get(action_url(case, "public-flogging")).status_code == 404


# --- Who may record ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["supervisor", "staff", "other_staff", "hr", "outsider"])
@pytest.mark.parametrize("kind", ["legal-advice", "removal-request", "disciplinary-referral"])
def test_nobody_else_may_record_actions(client, case, request, other_staff, who, kind):
    # The handling supervisor, the reporter, the subject, HR and an outsider all get "not found".
    client.force_login(request.getfixturevalue(who))
    assert client.get(action_url(case, kind)).status_code == 404
    assert client.post(action_url(case, kind), valid_data(case, kind, other_staff)).status_code == 404
    assert not MODELS[kind].objects.exists()
    case.refresh_from_db()
    assert case.stage == Stage.UNDER_REVIEW


def test_the_service_refuses_the_handler(case, supervisor):
    with pytest.raises(DomainError, match="Only the Head of Business and Governance"):
        actions.legal_advice_record(case=case, by=supervisor, advised_on=TODAY, summary="Advice.")
    assert not LegalAdvice.objects.exists()


@pytest.mark.parametrize(
    ("stage", "label"), [(Stage.IN_TRIAGE, "In triage"), (Stage.REFERRED, None), (Stage.CLOSED, "Closed")]
)
def test_actions_are_refused_outside_the_review(
    client, case_about_colleague, move_to, governance, other_staff, stage, label
):
    case = move_to(case_about_colleague, stage)
    client.force_login(governance)
    response = client.post(
        action_url(case, "police-referral"), valid_data(case, "police-referral", other_staff)
    )
    assert response.status_code == 400
    label = label or case.get_stage_display()
    assert f"Actions are recorded during the governance review; this case is “{label}”." in response.text
    assert 'value="HP-2026-99"' in response.text
    assert not PoliceReferral.objects.exists()
    case.refresh_from_db()
    assert case.stage == stage


def test_the_form_says_so_before_anything_is_typed(client, case_about_colleague, governance):
    client.force_login(governance)
    page = client.get(action_url(case_about_colleague, "legal-advice"))
    assert "Actions are recorded during the governance review; this case is “Submitted”." in page.text


# --- Removal requests --------------------------------------------------------------------------------------


def test_a_deadline_before_the_request_was_sent_is_refused(client, case, governance, other_staff):
    client.force_login(governance)
    data = {"requested_from": "Their Facebook account", "sent_on": ago(2), "deadline": ago(5)}
    response = client.post(action_url(case, "removal-request"), data)
    assert response.status_code == 400
    assert "The deadline cannot be before the date the request was sent." in response.text
    assert 'value="Their Facebook account"' in response.text
    assert f'value="{ago(2)}"' in response.text and f'value="{ago(5)}"' in response.text
    assert not RemovalRequest.objects.exists()
    case.refresh_from_db()
    assert case.stage == Stage.UNDER_REVIEW


def test_the_removal_request_form_suggests_the_colleague(client, case, governance, other_staff):
    client.force_login(governance)
    form = client.get(action_url(case, "removal-request")).context["form"]
    assert form["staff_member"].value() == other_staff.pk
    assert 'type="date"' in str(form["sent_on"])


@pytest.mark.parametrize(
    ("status", "label"),
    [("removed", RemovalRequest.Status.REMOVED), ("not_complied", RemovalRequest.Status.NOT_COMPLIED)],
)
def test_governance_resolves_a_removal_request(client, case, governance, other_staff, status, label):
    request = removal_request(case, governance, other_staff)
    client.force_login(governance)
    response = client.post(resolve_url(case, request), {"status": status}, follow=True)
    assert response.redirect_chain[-1][0] == case.get_absolute_url()
    request.refresh_from_db()
    assert request.status == label
    assert request.resolved_by == governance and request.resolved_at is not None
    assert case.events.filter(kind=CaseEvent.Kind.ACTION, text__endswith=f"{label.label.lower()}.").exists()
    assert AuditEntry.objects.filter(case=case, what__startswith="marked the removal request").exists()


def test_a_removal_request_is_resolved_once(client, case, governance, other_staff):
    request = removal_request(case, governance, other_staff)
    client.force_login(governance)
    client.post(resolve_url(case, request), {"status": "removed"})
    response = client.post(resolve_url(case, request), {"status": "not_complied"}, follow=True)
    assert "This removal request has already been marked “Confirmed removed”." in response.text
    request.refresh_from_db()
    assert request.status == RemovalRequest.Status.REMOVED


def test_resolving_needs_a_known_status(case, governance, other_staff):
    request = removal_request(case, governance, other_staff)
    with pytest.raises(DomainError):
        actions.removal_request_resolve(removal_request=request, by=governance, status="pending")


def test_resolving_is_for_the_governance_head_and_the_requests_own_case(
    client, case, raise_case, staff, supervisor, governance, other_staff
):
    request = removal_request(case, governance, other_staff)
    client.force_login(supervisor)
    assert client.post(resolve_url(case, request), {"status": "removed"}).status_code == 404
    other_case = raise_case(staff)
    client.force_login(governance)
    url = reverse("cases:resolve_removal_request", args=[other_case.reference, request.pk])
    assert client.post(url, {"status": "removed"}).status_code == 404
    assert client.get(resolve_url(case, request)).status_code == 405
    request.refresh_from_db()
    assert request.status == RemovalRequest.Status.PENDING


def test_not_complied_offers_a_disciplinary_referral(client, case, governance, other_staff):
    request = removal_request(case, governance, other_staff, sent_on=datetime.date(2025, 1, 5))
    client.force_login(governance)
    response = client.post(resolve_url(case, request), {"status": "not_complied"}, follow=True)
    link = f"{action_url(case, 'disciplinary-referral')}?removal_request={request.pk}"
    assert f'href="{link}"' in response.text

    form = client.get(link).context["form"]
    assert form["removal_request"].value() == request.pk
    assert form["person"].value() == other_staff.pk
    allegation = "Did not comply with the removal request of 5 January 2025 (clause 2.5)."
    assert form["allegation"].value() == allegation

    clause = case.clauses.first()
    data = {"person": other_staff.pk, "removal_request": request.pk, "clauses_breached": [clause.pk]}
    response = client.post(link, confirmed({**data, "severity": "misconduct"}))
    assert response.status_code == 302
    referral = DisciplinaryReferral.objects.get()
    assert referral.removal_request == request
    assert referral.allegation == allegation
    assert referral.severity == DisciplinaryReferral.Severity.MISCONDUCT


def test_overdue_requests_are_marked_on_the_case_page(client, case, governance, supervisor, other_staff):
    removal_request(case, governance, other_staff)
    client.force_login(supervisor)
    page = client.get(case.get_absolute_url()).text
    assert "Overdue" in page
    assert "Awaiting removal" in page
    # The handler sees what was done, but records nothing.
    assert "Confirmed removed" not in page
    assert action_url(case, "legal-advice") not in page


def test_the_governance_head_sees_the_links_and_buttons(client, case, governance, other_staff):
    removal_request(case, governance, other_staff, deadline=TODAY + datetime.timedelta(days=3))
    client.force_login(governance)
    page = client.get(case.get_absolute_url()).text
    for label, _, _ in ACTION_KINDS.values():
        assert label in page
    assert "Confirmed removed" in page and "Not complied with" in page
    assert "Overdue" not in page


# --- Disciplinary referrals ---------------------------------------------------------------------------------


def test_clauses_of_another_case_are_refused(client, case, raise_case, staff, governance, other_staff):
    other_clause = raise_case(staff).clauses.get()
    client.force_login(governance)
    data = valid_data(case, "disciplinary-referral", other_staff) | {"clauses_breached": [other_clause.pk]}
    assert client.post(action_url(case, "disciplinary-referral"), data).status_code == 400
    with pytest.raises(DomainError, match="Choose clauses of this case"):
        actions.disciplinary_referral_record(
            case=case,
            by=governance,
            person=other_staff,
            allegation="Posted.",
            clauses_breached=[other_clause],
            severity="misconduct",
        )
    assert not DisciplinaryReferral.objects.exists()


def test_a_referral_names_at_least_one_clause(client, case, governance, other_staff):
    client.force_login(governance)
    data = valid_data(case, "disciplinary-referral", other_staff) | {"clauses_breached": []}
    response = client.post(action_url(case, "disciplinary-referral"), data)
    assert response.status_code == 400
    assert "Posted a service user&#x27;s details." in response.text
    with pytest.raises(DomainError, match="at least one clause"):
        actions.disciplinary_referral_record(
            case=case,
            by=governance,
            person=other_staff,
            allegation="Posted.",
            clauses_breached=[],
            severity="misconduct",
        )
    assert not DisciplinaryReferral.objects.exists()


def test_the_reporter_cannot_be_referred(client, case, staff, governance):
    client.force_login(governance)
    data = valid_data(case, "disciplinary-referral", staff)
    assert client.post(action_url(case, "disciplinary-referral"), data).status_code == 400
    with pytest.raises(DomainError, match="cannot be referred on their own case"):
        actions.disciplinary_referral_record(
            case=case,
            by=governance,
            person=staff,
            allegation="Reported it.",
            clauses_breached=list(case.clauses.all()),
            severity="misconduct",
        )
    assert not DisciplinaryReferral.objects.exists()


def test_a_former_member_of_staff_can_be_referred(case, governance, other_staff):
    other_staff.is_active = False
    other_staff.save()
    referral = actions.disciplinary_referral_record(
        case=case,
        by=governance,
        person=other_staff,
        allegation="Posted before leaving.",
        clauses_breached=list(case.clauses.all()),
        severity="misconduct",
    )
    assert referral.person == other_staff
    assert "clause 5.2" in case.events.get(kind=CaseEvent.Kind.ACTION).text


def test_a_non_compliance_referral_needs_a_request_not_complied_with_by_that_person(
    case, governance, other_staff, supervisor
):
    request = removal_request(case, governance, other_staff)
    refer = {
        "case": case,
        "by": governance,
        "allegation": "",
        "clauses_breached": list(case.clauses.all()),
        "severity": "misconduct",
        "removal_request": request,
    }
    with pytest.raises(DomainError, match="not complied with"):
        actions.disciplinary_referral_record(person=other_staff, **refer)
    actions.removal_request_resolve(removal_request=request, by=governance, status="not_complied")
    with pytest.raises(DomainError, match="not made to"):
        actions.disciplinary_referral_record(person=supervisor, **refer)
    referral = actions.disciplinary_referral_record(person=other_staff, **refer)
    assert referral.allegation.startswith("Did not comply with the removal request of")


def test_severity_is_worded_as_the_policy_words_it(case):
    form = DisciplinaryReferralForm(case=case)
    assert [label for _, label in form.fields["severity"].choices] == ["Misconduct", "Gross misconduct"]


def test_the_form_offers_this_cases_clauses_and_suggests_the_colleague(client, case, governance, other_staff):
    client.force_login(governance)
    form = client.get(action_url(case, "disciplinary-referral")).context["form"]
    assert list(form.fields["clauses_breached"].queryset) == list(case.clauses.all())
    assert form["person"].value() == other_staff.pk
    assert case.reporter not in form.fields["person"].queryset


def test_a_closed_case_offers_no_actions(client, case_about_colleague, move_to, governance):
    case = move_to(case_about_colleague, Stage.CLOSED)
    client.force_login(governance)
    page = client.get(case.get_absolute_url()).text
    assert "No action has been recorded yet." in page
    assert action_url(case, "legal-advice") not in page


def test_things_done_are_not_dated_in_the_future(case, governance):
    with pytest.raises(DomainError, match="cannot be in the future"):
        actions.police_referral_record(
            case=case, by=governance, reference="A1", referred_on=TODAY + datetime.timedelta(days=1)
        )
    assert not PoliceReferral.objects.exists()


# --- Referrals cannot be undone: checked on the page first (core.confirm) -----------------------------------


@pytest.mark.parametrize(
    "kind, says",
    [
        (
            "police-referral",
            "A referral of case {ref} to Humberside Police (reference HP-2026-99) will be recorded",
        ),
        ("disciplinary-referral", "{person} will be referred to HR for gross misconduct on case {ref}"),
    ],
)
def test_a_referral_is_checked_first_and_records_nothing(client, case, governance, other_staff, kind, says):
    client.force_login(governance)
    data = valid_data(case, kind, other_staff)
    del data["confirm"]
    response = client.post(action_url(case, kind), data)
    assert response.status_code == 200
    assert says.format(ref=case.reference, person=other_staff) in response.text
    assert "This cannot be undone" in response.text
    assert 'name="confirm" value="1"' in response.text
    assert f'<a href="{case.get_absolute_url()}">Go back</a>' in response.text
    assert not MODELS[kind].objects.exists()
    case.refresh_from_db()
    assert case.stage == Stage.UNDER_REVIEW


@pytest.mark.parametrize("kind", ["legal-advice", "removal-request", "platform-notice"])
def test_other_actions_are_recorded_without_a_check(client, case, governance, other_staff, kind):
    client.force_login(governance)
    data = valid_data(case, kind, other_staff)
    del data["confirm"]
    assert client.post(action_url(case, kind), data).status_code == 302
    assert MODELS[kind].objects.filter(case=case).exists()


def test_a_referral_that_cannot_be_recorded_is_refused_at_once_not_checked(
    client, case_about_colleague, move_to, governance, other_staff
):
    case = move_to(case_about_colleague, Stage.CLOSED)
    client.force_login(governance)
    data = valid_data(case, "police-referral", other_staff)
    del data["confirm"]
    response = client.post(action_url(case, "police-referral"), data)
    assert response.status_code == 400
    assert "Check before you confirm" not in response.text
    assert "Actions are recorded during the governance review; this case is “Closed”." in response.text
    assert not PoliceReferral.objects.exists()


# --- The platforms a notice may go to --------------------------------------------------------------------


def test_a_notice_offers_todays_platforms_and_an_old_cases_own(
    client, case, raise_case, staff, move_to, governance
):
    client.force_login(governance)
    text = client.get(action_url(case, "platform-notice")).text
    assert '<option value="instagram">Instagram</option>' in text
    assert '<option value="tiktok">TikTok</option>' in text
    assert 'value="wikipedia"' not in text and 'value="google_plus"' not in text

    old = move_to(raise_case(staff, platform=Platform.WIKIPEDIA), Stage.UNDER_REVIEW)
    text = client.get(action_url(old, "platform-notice")).text
    assert '<option value="wikipedia" selected>Wikipedia</option>' in text
    assert 'value="google_plus"' not in text
    client.post(action_url(old, "platform-notice"), confirmed({"platform": "wikipedia", "sent_on": ago(1)}))
    assert PlatformNotice.objects.get(case=old).get_platform_display() == "Wikipedia"
