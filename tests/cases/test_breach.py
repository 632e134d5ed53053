"""The personal data breach clock (UK GDPR article 33): told at once, reminded at 24 and 48 hours,
escalated at 60, the decision recorded once; who may see and decide; what the e-mails carry."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from cases import access
from cases.breach import BREACH_TIMERS, BreachTimer, breach_decision_record, breach_flag
from cases.models import BreachDecision, Case, CaseEvent, SubjectKind
from core.errors import DomainError
from notifications.models import Kind, Notification
from people.roles import Role
from reminders.sweep import sweep_timers
from tests.confirm import confirmed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
# A Friday evening: the reminders fall on the weekend, because article 33 counts clock hours.
START = datetime.datetime(2026, 3, 6, 17, 0, tzinfo=LONDON)
POSTED = "A photo of Margaret Oduya at the day centre with her care plan visible."


def at(hours, minutes=0):
    return START + datetime.timedelta(hours=hours, minutes=minutes)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def raise_case(raise_case):
    """The shared raise_case, with the posting these tests look for and no clause."""

    def _raise(reporter, **fields):
        return raise_case(reporter, **{"description": POSTED, "clauses": [], "links": "", **fields})

    return _raise


@pytest.fixture
def flagged(clock, raise_case, staff, other_staff, supervisor, governance, infosec):
    """`staff` reports `staff2`'s posting of a service user's details, ticking the personal data box."""
    return raise_case(
        staff,
        subject_kind=SubjectKind.COLLEAGUE,
        subject_person=other_staff,
        subject_description="",
        discloses_personal_data=True,
    )


def breach_notes(person, kind=Kind.PERSONAL_DATA_BREACH):
    return Notification.objects.filter(recipient=person, kind=kind)


def escalations(case):
    return case.events.filter(kind=CaseEvent.Kind.ESCALATED)


def breach_timers(case):
    return case.timers.filter(kind__in=BREACH_TIMERS)


def about_breaches():
    # Other timers (triage, reporter feedback) run on the same cases; these tests count only the clock's.
    return Notification.objects.filter(title__icontains="personal data breach")


def sweep():
    """Run the sweep; how many notifications about the breach it sent."""
    before = about_breaches().count()
    sweep_timers()
    return about_breaches().count() - before


# --- The clock -------------------------------------------------------------------------------------------


def test_raising_with_the_box_ticked_tells_infosec_at_once(flagged, infosec, other_staff, staff, supervisor):
    case = flagged
    assert case.personal_data_breach_at == START
    assert case.breach_decision_due_at() == at(72)
    note = breach_notes(infosec).get()
    assert (
        note.title == f"Possible personal data breach on case {case.reference}: decide by 09 Mar 2026 17:00"
    )
    assert note.link == f"/cases/{case.reference}/#breach-heading"
    # Not the subject, nor anyone else.
    assert Notification.objects.filter(kind=Kind.PERSONAL_DATA_BREACH).count() == 1
    assert sorted((t.kind, t.note, t.due_at) for t in breach_timers(case)) == [
        (BreachTimer.ESCALATION, "60", at(60)),
        (BreachTimer.REMINDER, "24", at(24)),
        (BreachTimer.REMINDER, "48", at(48)),
    ]
    assert AuditEntry.objects.filter(
        case=case, actor=staff, what=f"flagged {case.reference} as a possible personal data breach"
    ).exists()


def test_without_the_box_nobody_is_told_and_no_clock_runs(clock, raise_case, staff, infosec):
    case = raise_case(staff)
    assert case.personal_data_breach_at is None
    assert not Notification.objects.filter(kind=Kind.PERSONAL_DATA_BREACH).exists()
    assert not breach_timers(case).exists()


def test_an_infosec_head_who_is_the_subject_is_neither_told_nor_let_in(
    clock, client, raise_case, staff, infosec, governance
):
    other_head = UserFactory(username="infosec2", roles=[Role.INFOSEC])
    case = raise_case(
        staff,
        subject_kind=SubjectKind.COLLEAGUE,
        subject_person=other_head,
        subject_description="",
        discloses_personal_data=True,
    )
    assert breach_notes(infosec).count() == 1
    assert not breach_notes(other_head).exists()
    assert not other_head.has_perm("cases.decide_breach", case)
    client.force_login(other_head)
    assert client.get(case.get_absolute_url()).status_code == 404


def test_reminders_at_24_and_48_hours_and_escalation_at_60(clock, flagged, infosec, governance):
    case = flagged
    clock.move_to(at(23, 59))
    assert sweep() == 0
    assert breach_notes(infosec).count() == 1

    clock.move_to(at(24))
    assert sweep() == 1
    reminders = breach_notes(infosec).filter(title__startswith="Reminder")
    assert [n.title for n in reminders] == [
        f"Reminder: decide by 09 Mar 2026 17:00 whether to report the possible personal data breach "
        f"on case {case.reference}"
    ]
    assert sweep() == 0
    assert breach_notes(infosec).count() == 2

    clock.move_to(at(47, 59))
    assert sweep() == 0
    clock.move_to(at(48))
    assert sweep() == 1
    assert breach_notes(infosec).count() == 3
    assert not escalations(case).exists()

    clock.move_to(at(59, 59))
    assert sweep() == 0
    assert not Notification.objects.filter(kind=Kind.ESCALATION).exists()
    clock.move_to(at(60))
    assert sweep() == 1
    escalation = breach_notes(governance, Kind.ESCALATION).get()
    assert case.reference in escalation.title and "due by 09 Mar 2026 17:00" in escalation.title
    assert Notification.objects.filter(kind=Kind.ESCALATION).count() == 1
    event = escalations(case).get()
    assert event.actor is None and "after 60 hours" in event.text and not event.visible_to_reporter
    assert AuditEntry.objects.filter(case=case, what__startswith="escalated").count() == 1

    clock.move_to(at(80))
    assert sweep() == 0
    assert about_breaches().count() == 4
    assert escalations(case).count() == 1


def test_a_late_sweep_sends_one_reminder_not_two(clock, flagged, infosec):
    clock.move_to(at(50))
    assert sweep() == 1
    assert breach_notes(infosec).filter(title__startswith="Reminder").count() == 1
    assert sweep() == 0


def test_a_decision_stops_the_clock(clock, flagged, infosec, governance):
    case = flagged
    clock.move_to(at(24))
    sweep_timers()
    clock.move_to(at(30))
    breach_decision_record(
        case=case, by=infosec, reported_to_ico=False, reasons="Removed within the hour; low risk."
    )
    assert breach_timers(case).filter(cancelled_at=at(30)).count() == 2
    for hours in (48, 60, 72, 100):
        clock.move_to(at(hours))
        assert sweep() == 0
    assert breach_notes(infosec).count() == 2
    assert not Notification.objects.filter(kind=Kind.ESCALATION).exists()
    assert not escalations(case).exists()
    assert not case.breach_decision_is_overdue()


def test_a_new_infosec_head_is_included_at_the_next_reminder(clock, client, flagged, infosec):
    newcomer = UserFactory(username="infosec-new", roles=[Role.INFOSEC])
    client.force_login(newcomer)
    assert client.get(flagged.get_absolute_url()).status_code == 404
    clock.move_to(at(24))
    sweep_timers()
    assert breach_notes(newcomer).count() == 1
    client.force_login(newcomer)  # a day on, the earlier session has ended (SESSION_IDLE_SECONDS)
    assert client.get(flagged.get_absolute_url()).status_code == 200


def test_with_no_infosec_head_the_governance_head_is_told_at_once(
    clock, raise_case, staff, governance, infosec
):
    infosec.is_active = False
    infosec.save()
    raise_case(staff, discloses_personal_data=True)
    assert breach_notes(governance).count() == 1
    assert not breach_notes(infosec).exists()


# --- The decision ----------------------------------------------------------------------------------------


def test_the_decision_is_recorded_once_with_reasons_and_reference(flagged, infosec, governance):
    case = flagged
    with pytest.raises(DomainError, match="reasons"):
        breach_decision_record(case=case, by=infosec, reported_to_ico=False, reasons="  ")
    with pytest.raises(DomainError, match="reference"):
        breach_decision_record(case=case, by=infosec, reported_to_ico=True, reasons="High risk.")
    assert not BreachDecision.objects.exists()

    decision = breach_decision_record(
        case=case, by=infosec, reported_to_ico=True, reasons="High risk to the person.", ico_reference="IC-1"
    )
    assert (decision.reported_to_ico, decision.ico_reference, decision.decided_by) == (True, "IC-1", infosec)
    event = case.events.filter(kind=CaseEvent.Kind.ACTION).last()
    assert "reference IC-1" in event.text and "High risk" in event.text and not event.visible_to_reporter
    assert AuditEntry.objects.filter(
        case=case, actor=infosec, what=f"recorded the personal data breach decision on {case.reference}"
    ).exists()

    with pytest.raises(DomainError, match="already been recorded"):
        breach_decision_record(case=case, by=governance, reported_to_ico=False, reasons="Changed my mind.")
    assert BreachDecision.objects.get() == decision


def test_the_database_refuses_a_report_without_a_reference(flagged, infosec):
    with pytest.raises(IntegrityError), transaction.atomic():
        BreachDecision.objects.create(case=flagged, reported_to_ico=True, reasons="x", decided_by=infosec)


def test_a_late_decision_says_so(clock, flagged, infosec):
    clock.move_to(at(73))
    assert flagged.breach_decision_is_overdue()
    breach_decision_record(case=flagged, by=infosec, reported_to_ico=False, reasons="Low risk.")
    assert "after the 72-hour deadline" in flagged.events.filter(kind=CaseEvent.Kind.ACTION).last().text


def test_an_unflagged_case_has_no_decision(clock, raise_case, staff, governance):
    case = raise_case(staff)
    with pytest.raises(DomainError, match="not flagged"):
        breach_decision_record(case=case, by=governance, reported_to_ico=False, reasons="n/a")


DECIDERS = ["infosec", "governance"]
REFUSED = ["supervisor", "reporter", "subject", "hr", "outsider"]


@pytest.fixture
def people(infosec, governance, supervisor, staff, other_staff, hr, outsider):
    return {
        "infosec": infosec,
        "governance": governance,
        "supervisor": supervisor,
        "reporter": staff,
        "subject": other_staff,
        "hr": hr,
        "outsider": outsider,
    }


@pytest.mark.parametrize("who", DECIDERS + REFUSED)
def test_who_may_record_the_decision(client, flagged, people, who):
    client.force_login(people[who])
    response = client.post(
        reverse("cases:breach_decision", args=[flagged.reference]),
        confirmed({"reported_to_ico": "no", "reasons": "Low risk: removed at once."}),
    )
    if who in DECIDERS:
        assert response.status_code == 302
        assert response["Location"] == f"{flagged.get_absolute_url()}#breach-heading"
        assert BreachDecision.objects.get(case=flagged).decided_by == people[who]
    else:
        assert response.status_code == 404
        assert not BreachDecision.objects.exists()


def test_a_refused_decision_shows_the_form_again_with_what_was_typed(client, flagged, infosec):
    client.force_login(infosec)
    response = client.post(
        reverse("cases:breach_decision", args=[flagged.reference]),
        {"reported_to_ico": "yes", "reasons": "Names and care details were public.", "ico_reference": ""},
    )
    assert response.status_code == 400
    assert "Give the ICO&#x27;s reference for the report." in response.text
    assert "Names and care details were public." in response.text
    assert not BreachDecision.objects.exists()


def test_a_second_decision_through_the_page_is_refused(client, flagged, infosec, governance):
    breach_decision_record(case=flagged, by=infosec, reported_to_ico=False, reasons="Low risk.")
    client.force_login(governance)
    response = client.post(
        reverse("cases:breach_decision", args=[flagged.reference]),
        confirmed({"reported_to_ico": "no", "reasons": "Again."}),
    )
    assert response.status_code == 400
    assert "already been recorded" in response.text
    assert BreachDecision.objects.get().reasons == "Low risk."


# --- What the Head of Information & Security sees ------------------------------------------------------


def test_infosec_sees_flagged_cases_only(clock, client, raise_case, flagged, staff, infosec):
    unflagged = raise_case(staff)
    client.force_login(infosec)
    assert client.get(unflagged.get_absolute_url()).status_code == 404
    assert client.post(reverse("cases:breach_decision", args=[unflagged.reference])).status_code == 404
    assert access.case_relation(infosec, flagged) == access.INFOSEC
    assert list(access.cases_for_breach_decision(infosec)) == [flagged]

    response = client.get(flagged.get_absolute_url())
    assert response.status_code == 200
    assert POSTED in response.text
    assert "Record the decision" in response.text
    assert "due by" in response.text and "Overdue" not in response.text
    assert AuditEntry.objects.filter(
        case=flagged, actor=infosec, action=AuditEntry.Action.VIEW, what=f"viewed {flagged.reference}"
    ).exists()


def test_infosec_changes_nothing_else(client, flagged, infosec):
    client.force_login(infosec)
    ref = flagged.reference
    events = flagged.events.count()
    for name, data in [
        ("cases:move", {"move": "start_triage", "start_triage-expected_stage": "submitted"}),
        ("cases:add_note", {"text": "A note."}),
        ("cases:message_reporter", {"text": "Hello."}),
        ("cases:breach_flag", {}),
    ]:
        assert client.post(reverse(name, args=[ref]), data).status_code == 404
    assert flagged.events.count() == events


def test_the_role_counts_only_while_it_is_held(client, flagged, infosec):
    infosec.groups.remove(Group.objects.get(name=Role.INFOSEC))
    client.force_login(infosec)
    assert client.get(flagged.get_absolute_url()).status_code == 404
    assert not access.cases_for_breach_decision(infosec).exists()


def test_the_panel_shows_overdue_and_then_the_decision(clock, client, flagged, infosec, supervisor):
    clock.move_to(at(72, 1))
    client.force_login(supervisor)
    response = client.get(flagged.get_absolute_url())
    assert "Overdue" in response.text and "Record the decision" not in response.text
    breach_decision_record(
        case=flagged, by=infosec, reported_to_ico=True, reasons="High risk.", ico_reference="IC-77"
    )
    response = client.get(flagged.get_absolute_url())
    assert "Overdue" not in response.text
    assert "Reported to the ICO" in response.text and "IC-77" in response.text


def test_the_reporter_sees_nothing_of_the_breach(client, flagged, staff):
    client.force_login(staff)
    response = client.get(flagged.get_absolute_url())
    assert response.status_code == 200
    assert "breach-heading" not in response.text and "ICO" not in response.text


# --- Flagging after raising ------------------------------------------------------------------------------


@pytest.fixture
def unflagged(clock, raise_case, staff, supervisor, governance, infosec):
    return raise_case(staff)


@pytest.mark.parametrize("who", ["supervisor", "governance"])
def test_the_handler_or_governance_flags_a_case(client, unflagged, people, infosec, who):
    clock_start = timezone.now()
    client.force_login(people[who])
    response = client.post(reverse("cases:breach_flag", args=[unflagged.reference]))
    assert response.status_code == 302
    unflagged.refresh_from_db()
    assert unflagged.personal_data_breach_at == clock_start
    assert breach_notes(infosec).count() == 1
    assert breach_timers(unflagged).count() == 3
    assert AuditEntry.objects.filter(case=unflagged, actor=people[who], what__startswith="flagged").exists()

    with pytest.raises(DomainError, match="already flagged"):
        breach_flag(case=unflagged, by=people[who])
    assert breach_notes(infosec).count() == 1


@pytest.mark.parametrize("who", ["reporter", "subject", "hr", "outsider", "infosec"])
def test_nobody_else_flags_a_case(client, unflagged, people, who):
    client.force_login(people[who])
    assert client.post(reverse("cases:breach_flag", args=[unflagged.reference])).status_code == 404
    unflagged.refresh_from_db()
    assert unflagged.personal_data_breach_at is None


def test_the_raise_form_has_the_box(client, clock, staff, other_staff, infosec, policy):
    client.force_login(staff)
    assert (
        "It discloses personal data of a service user, carer or colleague"
        in client.get(reverse("cases:raise")).text
    )
    client.post(
        reverse("cases:raise"),
        {
            "subject_kind": "public",
            "subject_description": "An account",
            "platform": "facebook",
            "seen_at": "2026-03-06T12:00",
            "description": POSTED,
            "discloses_personal_data": "on",
            "route": "supervisor",
        },
    )
    case = Case.objects.get()
    assert case.personal_data_breach_at == START
    assert breach_notes(infosec).count() == 1


# --- E-mails ---------------------------------------------------------------------------------------------


def test_e_mails_carry_only_the_link_and_neutral_words(
    clock, raise_case, staff, other_staff, infosec, governance, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = raise_case(
            staff,
            subject_kind=SubjectKind.COLLEAGUE,
            subject_person=other_staff,
            subject_description="",
            discloses_personal_data=True,
        )
    for hours in (24, 48, 60):
        clock.move_to(at(hours))
        with django_capture_on_commit_callbacks(execute=True):
            sweep_timers()
    with django_capture_on_commit_callbacks(execute=True):
        sweep_timers()

    about_the_breach = [m for m in mail.outbox if "personal data breach" in m.subject]
    assert len([m for m in about_the_breach if m.to == [infosec.email]]) == 3
    assert len([m for m in about_the_breach if m.to == [governance.email]]) == 1
    assert len(about_the_breach) == 4
    for message in about_the_breach:
        text = f"{message.subject}\n{message.body}"
        assert f"http://127.0.0.1:8000/cases/{case.reference}/#breach-heading" in message.body
        for secret in (POSTED, "Margaret", str(other_staff), str(staff), "Facebook"):
            assert secret not in text


def test_infosec_reads_a_flagged_case_without_the_handlers_forms(client, flagged, infosec):
    client.force_login(infosec)
    response = client.get(flagged.get_absolute_url())
    assert response.status_code == 200
    for path in ("notes", "messages", "reassign"):
        assert f'action="/cases/{flagged.reference}/{path}/"' not in response.text
    client.force_login(flagged.handler)
    assert f'action="/cases/{flagged.reference}/notes/"' in client.get(flagged.get_absolute_url()).text


def test_the_decision_is_checked_first_because_it_cannot_be_changed(client, flagged, infosec):
    client.force_login(infosec)
    url = reverse("cases:breach_decision", args=[flagged.reference])
    data = {"reported_to_ico": "yes", "reasons": "Names were public.", "ico_reference": "ICO-123"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert (
        f"The decision that the possible personal data breach on case {flagged.reference} was reported to "
        "the ICO (reference ICO-123) will be recorded" in response.text
    )
    assert "cannot be changed once recorded" in response.text
    assert f'<a href="{flagged.get_absolute_url()}#breach-heading">Go back</a>' in response.text
    assert not BreachDecision.objects.exists()

    response = client.post(url, confirmed(data))
    assert response.status_code == 302
    assert BreachDecision.objects.get(case=flagged).ico_reference == "ICO-123"
