"""The case lists and HR's lists show, on each row, what waits next and by when, with the home queues'
status pill; All cases and the queues sort by deadline either way (no deadline last) and remember the
sort last chosen for the session."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from cases import services
from cases.models import Case, DisciplinaryReferral, Stage
from discipline import services as discipline_services
from discipline.models import DisciplinaryRecord, Outcome, Severity, Step
from tests.factories import case_moved_to

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
WEDNESDAY = datetime.datetime(2026, 12, 2, 10, tzinfo=LONDON)
FRIDAY = datetime.datetime(2026, 12, 4, 11, tzinfo=LONDON)
MONDAY = datetime.datetime(2026, 12, 7, 11, tzinfo=LONDON)

TRIAGE, DECISION = "Triage", "A governance decision"
ACTION, CLOSED = "Action, then closing with an outcome", "Nothing: closed"


def rows(response):
    """{row's first cell's text: (what waits, the due day shown or None, the pill's tone and text)}."""
    assert response.status_code == 200
    found = {}
    for row in re.findall(r"<tr>(.*?)</tr>", response.text, re.S):
        first = re.search(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', row)
        pill = re.search(r'<span class="pill pill-(\w+)">([^<]+)</span>', row)
        if not first or not pill:
            continue
        cells = re.findall(r"<td[^>]*>([^<]*)</td>", row)
        what = next(cell for cell in cells if cell in WAITING)
        day = re.search(r'<time datetime="(\d{4}-\d\d-\d\d)">[^<]+</time> <span class="pill', row)
        found[first.group(1)] = (what, day and day.group(1), pill.group(1), pill.group(2))
    return found


WAITING = {
    TRIAGE,
    DECISION,
    ACTION,
    CLOSED,
    "Open a disciplinary record",
    "Investigation",
    "Hearing",
    "Nothing: decided",
    "First written warning expires",
}


@pytest.fixture
def cases(policy, staff, governance, raise_case):
    """Raised on a Wednesday at 10:00: one waiting for triage (its reminder due Friday, 2 working days),
    one referred (the decision due in 10 working days, Wednesday 16 December), one with action in
    progress and one closed (no deadline)."""
    with time_machine.travel(WEDNESDAY, tick=False):
        return {
            "triage": raise_case(staff),
            "referred": case_moved_to(raise_case(staff), Stage.REFERRED, governance=governance),
            "action": case_moved_to(raise_case(staff), Stage.ACTION_IN_PROGRESS, governance=governance),
            "closed": case_moved_to(raise_case(staff), Stage.CLOSED, governance=governance),
        }


def opened(client, user, name, when, **query):
    with time_machine.travel(when, tick=False):
        client.force_login(user)  # Signed in then: sessions expire.
        return rows(client.get(reverse(name), query))


def test_all_cases_show_each_stage_deadline_and_its_pill(client, governance, cases):
    friday = opened(client, governance, "cases:all", FRIDAY)
    assert friday[cases["triage"].reference] == (TRIAGE, "2026-12-04", "today", "due today")
    assert friday[cases["referred"].reference] == (DECISION, "2026-12-16", "later", "due in 8 working days")
    assert friday[cases["action"].reference] == (ACTION, None, "none", "no deadline")
    assert friday[cases["closed"].reference] == (CLOSED, None, "none", "no deadline")

    monday = opened(client, governance, "cases:all", MONDAY)
    assert monday[cases["triage"].reference][2:] == ("overdue", "overdue by 1 working day")
    assert monday[cases["referred"].reference][2:] == ("later", "due in 7 working days")


def test_each_queue_and_my_concerns_show_the_same_deadlines(client, staff, supervisor, governance, cases):
    triage = opened(client, supervisor, "cases:triage_queue", MONDAY)
    assert triage == {
        cases["triage"].reference: (TRIAGE, "2026-12-04", "overdue", "overdue by 1 working day")
    }

    review = opened(client, governance, "cases:governance_queue", MONDAY)
    assert review == {
        cases["referred"].reference: (DECISION, "2026-12-16", "later", "due in 7 working days"),
        cases["action"].reference: (ACTION, None, "none", "no deadline"),
    }

    mine = opened(client, staff, "cases:my_reports", FRIDAY)
    assert mine[cases["triage"].reference] == (TRIAGE, "2026-12-04", "today", "due today")
    assert mine[cases["closed"].reference] == (CLOSED, None, "none", "no deadline")
    assert len(mine) == 4


def test_the_deadline_follows_the_stage(client, governance, cases):
    """Referred: the triage deadline gives way to the decision's; closed: none; reopened for review: a new
    decision deadline, 10 working days from the reopening."""
    case = cases["triage"]
    with time_machine.travel(FRIDAY, tick=False):
        case = case_moved_to(case, Stage.CLOSED, governance=governance)
        assert Case.objects.get(pk=case.pk).due_on is None
        services.case_move(case=case, by=governance, move="reopen_review", reason="New evidence.")
    assert Case.objects.get(pk=case.pk).due_on == datetime.date(2026, 12, 18)
    shown = opened(client, governance, "cases:all", FRIDAY)[case.reference]
    assert shown == (DECISION, "2026-12-18", "later", "due in 10 working days")


def references(client, user, name, **query):
    client.force_login(user)
    response = client.get(reverse(name), query)
    assert response.status_code == 200
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', response.text)


def test_all_cases_sort_by_deadline_either_way_with_no_deadline_last(client, governance, cases):
    soonest = references(client, governance, "cases:all", sort="due")
    triage, referred, action, closed = (
        cases[key].reference for key in ("triage", "referred", "action", "closed")
    )
    # No deadline last either way, in the order of the id in the sort's direction.
    assert soonest == [triage, referred, action, closed]
    assert references(client, governance, "cases:all", sort="-due") == [referred, triage, closed, action]


def test_the_queues_sort_by_deadline_and_back_to_their_own_order(client, governance, staff, raise_case):
    """The governance queue's own order is the longest in its stage first; by deadline, the soonest."""
    with time_machine.travel(WEDNESDAY, tick=False):
        later = case_moved_to(raise_case(staff), Stage.REFERRED, governance=governance)
    with time_machine.travel(WEDNESDAY - datetime.timedelta(days=7), tick=False):
        earlier = case_moved_to(raise_case(staff), Stage.REFERRED, governance=governance)
    Case.objects.filter(pk=earlier.pk).update(
        due_on=datetime.date(2026, 12, 30)
    )  # as if the limit was longer
    own = [earlier.reference, later.reference]
    assert references(client, governance, "cases:governance_queue") == own
    assert references(client, governance, "cases:governance_queue", sort="due") == own[::-1]
    assert references(client, governance, "cases:governance_queue", sort="-due") == own
    # Remembered until another sort is chosen, the queue's own order too.
    assert references(client, governance, "cases:governance_queue") == own
    assert references(client, governance, "cases:governance_queue", sort="due") == own[::-1]
    assert references(client, governance, "cases:governance_queue") == own[::-1]
    assert references(client, governance, "cases:governance_queue", sort="waiting") == own
    assert references(client, governance, "cases:governance_queue") == own


def test_the_triage_queue_remembers_its_sort(client, supervisor, staff, raise_case):
    with time_machine.travel(WEDNESDAY, tick=False):
        first = raise_case(staff)
        second = raise_case(staff)
    Case.objects.filter(pk=first.pk).update(due_on=datetime.date(2026, 12, 30))
    assert references(client, supervisor, "cases:triage_queue") == [first.reference, second.reference]
    client.get(reverse("cases:triage_queue"), {"sort": "due"})
    response = client.get(reverse("cases:triage_queue"))
    assert re.search(r'aria-sort="ascending"><a href="\?sort=-due">Due', response.text)
    assert references(client, supervisor, "cases:triage_queue") == [second.reference, first.reference]


def test_all_cases_remember_the_due_sort_and_refuse_an_unknown_one(client, governance, cases):
    soonest = references(client, governance, "cases:all", sort="due")
    response = client.get(reverse("cases:all"))
    assert re.search(r'aria-sort="ascending"><a href="\?sort=-due">Due', response.text)
    assert references(client, governance, "cases:all") == soonest

    response = client.get(reverse("cases:all"), {"sort": "handler__password"})
    assert response.status_code == 200
    assert "Some filters were not used" in response.text
    newest_first = [case.reference for case in Case.objects.order_by("-created_at", "-pk")]
    assert references(client, governance, "cases:all", sort="nonsense") == newest_first
    # The unknown sort was not remembered: the last good one still is.
    assert references(client, governance, "cases:all") == soonest


def test_an_unknown_queue_sort_gives_the_queue_in_its_order(client, supervisor, staff, raise_case):
    case = raise_case(staff)
    client.force_login(supervisor)
    response = client.get(reverse("cases:triage_queue"), {"sort": "-waiting", "cursor": "garbage"})
    assert response.status_code == 200
    assert "cannot be sorted by “-waiting”" in response.text
    assert case.reference in response.text


# --- HR's lists: referrals to HR and the disciplinary records ------------------------------------------


@pytest.fixture
def referral(governance, cases, other_staff):
    case = cases["referred"]
    made = DisciplinaryReferral.objects.create(
        case=case,
        recorded_by=governance,
        person=other_staff,
        allegation="Posted about a service user.",
        severity=DisciplinaryReferral.Severity.MISCONDUCT,
    )
    made.clauses_breached.add(case.clauses.first())
    return made


def test_a_referral_waits_for_a_record_then_for_what_the_record_waits_for(client, hr, referral):
    shown = opened(client, hr, "cases:referrals", FRIDAY)
    assert shown == {str(referral.person): ("Open a disciplinary record", None, "none", "no deadline")}

    record = discipline_services.record_open_from_referral(referral=referral, by=hr)
    DisciplinaryRecord.objects.filter(pk=record.pk).update(
        step=Step.INVITED, hearing_arranged_for=datetime.date(2026, 12, 8)
    )
    shown = opened(client, hr, "cases:referrals", FRIDAY)
    assert shown == {str(referral.person): ("Hearing", "2026-12-08", "soon", "due in 2 working days")}


def test_the_records_list_shows_the_hearing_day_and_a_live_warning_until_it_expires(
    client, hr, policy, other_staff
):
    clause = policy.current_version().clauses().get(number="5.2")

    def record_at(step, **fields):
        record = discipline_services.record_open(
            by=hr, employee=other_staff, allegation="Posted.", severity=Severity.MISCONDUCT, clauses=[clause]
        )
        DisciplinaryRecord.objects.filter(pk=record.pk).update(step=step, **fields)
        return record.reference

    with time_machine.travel(WEDNESDAY, tick=False):
        opened_only = record_at(Step.OPENED)
        invited = record_at(Step.INVITED, hearing_arranged_for=datetime.date(2026, 12, 3))
        warned = record_at(
            Step.DECIDED,
            hearing_held_on=datetime.date(2026, 11, 20),
            outcome=Outcome.FIRST_WRITTEN_WARNING,
            outcome_in_force=Outcome.FIRST_WRITTEN_WARNING,
            decided_on=datetime.date(2026, 11, 20),
            warning_expires_on=datetime.date(2026, 12, 14),
        )
    shown = opened(client, hr, "discipline:list", MONDAY)
    assert shown[opened_only] == ("Investigation", None, "none", "no deadline")
    assert shown[invited] == ("Hearing", "2026-12-03", "overdue", "overdue by 2 working days")
    assert shown[warned] == ("First written warning expires", "2026-12-14", "later", "due in 5 working days")
    # Once expired, nothing waits on a decided record.
    after = opened(client, hr, "discipline:list", datetime.datetime(2026, 12, 15, 9, tzinfo=LONDON))
    assert after[warned] == ("Nothing: decided", None, "none", "no deadline")
