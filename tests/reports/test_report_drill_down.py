"""Each figure of the reports page drills down to the cases behind it: a link to All cases with the filters
that reproduce it, which lists exactly as many cases as the figure counts (of the timings, the cases done
in each span of working days, and those not done yet). Only readers who may open All cases get the links;
any other reader of the reports sees the same figures without them."""

import html
import re

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse

from cases import services
from cases.models import Case, Outcome, Platform
from reminders.models import Limits
from reports.selectors import NO_TEAM
from tests.reports.drill_down import drill_downs, listed
from tests.reports.moments import NOW, PERIOD, at

pytestmark = pytest.mark.django_db

INDEX, ALL_CASES = reverse("reports:index"), reverse("cases:all")
FIGURES = [
    "Concerns by the month raised",
    "Cases raised by month",
    "Cases by stage",
    "Cases by platform",
    "Cases by clause",
    "Cases by the reporter",
    "Cases by outcome",
]


@pytest.mark.parametrize("params", [PERIOD, {}], ids=["January to April", "the last 12 months"])
def test_every_linked_figure_lists_as_many_cases_as_it_counts(client, governance, world, params):
    client.force_login(governance)
    with time_machine.travel(NOW, tick=False):
        page = client.get(INDEX, params).text
        for caption in FIGURES:
            cells = drill_downs(page, caption)
            linked = [(label, value, href) for label, value, href in cells if href]
            # Every count above nothing is linked, and each link lists exactly that many cases.
            assert linked and len(linked) == len([value for _, value, _ in cells if value])
            for label, value, href in linked:
                assert href.startswith(f"{ALL_CASES}?")
                references = listed(client, href)
                assert len(references) == value, (caption, label, href)
                # The case about the reader is in no figure and in no list.
                assert world["X"].reference not in references


def test_the_links_carry_the_filters_of_the_figure(client, governance, world):
    client.force_login(governance)
    with time_machine.travel(NOW, tick=False):
        page = client.get(INDEX, PERIOD).text
        [(_, _, january)] = [c for c in drill_downs(page, "Cases raised by month") if c[0] == "Jan 2026"]
        assert set(listed(client, january)) == {world["A"].reference, world["B"].reference}
        [(_, _, removed)] = [c for c in drill_downs(page, "Cases by outcome") if c[0] == "Content removed"]
        assert listed(client, removed) == [world["A"].reference]
        [(_, _, open_cases)] = [c for c in drill_downs(page, "Cases by outcome") if c[0] == "Not closed"]
        assert listed(client, open_cases) == [world["C"].reference]
        # The period narrows every link: the 5.2 case raised in December is not among January to April's.
        [(_, _, clause)] = [c for c in drill_downs(page, "Cases by clause") if c[0] == "Clause 5.2"]
        assert set(listed(client, clause)) == {world["A"].reference, world["B"].reference}
        # The whole period.
        total = re.search(r'<a href="([^"]*)">List these cases</a>', page).group(1)
        assert len(listed(client, html.unescape(total))) == 4


def test_the_trend_links_list_the_cases_closed_and_found_a_breach(client, governance, world):
    client.force_login(governance)
    with time_machine.travel(NOW, tick=False):
        page = client.get(INDEX).text
        january = [c for c in drill_downs(page, "Concerns by the month raised") if c[0] == "Jan 2026"]
        (_, raised, raised_link), (_, closed, closed_link), (_, breach, breach_link) = january
        assert (raised, closed, breach) == (2, 2, 1)
        assert set(listed(client, closed_link)) == {world["A"].reference, world["B"].reference}
        assert listed(client, breach_link) == [world["A"].reference]


@pytest.fixture
def reader_of_handled_cases(supervisor):
    """A supervisor given the reports' right alone: their figures count the cases they handle."""
    supervisor.user_permissions.add(Permission.objects.get(codename="view_reports"))
    return type(supervisor).objects.get(pk=supervisor.pk)  # fresh permission cache


@pytest.mark.parametrize("who", ["governance", "reader_of_handled_cases"])
def test_only_readers_who_may_open_all_cases_get_links(client, world, request, who):
    reader = request.getfixturevalue(who)
    client.force_login(reader)
    with time_machine.travel(NOW, tick=False):
        response = client.get(INDEX, PERIOD)
    assert response.status_code == 200
    may_open_all_cases = who == "governance"
    assert (f'href="{ALL_CASES}?' in response.text) is may_open_all_cases
    assert ("List these cases" in response.text) is may_open_all_cases
    assert client.get(ALL_CASES).status_code == (200 if may_open_all_cases else 404)
    if not may_open_all_cases:
        # The figures are still there: the supervisor handles A, C and X (staff's; B and D are staff2's).
        months = drill_downs(response.text, "Cases raised by month")
        assert [(label, value) for label, value, _ in months] == [
            ("Jan 2026", 2),
            ("Feb 2026", 1),
            ("Mar 2026", 0),
            ("Apr 2026", 0),
        ]


@pytest.fixture
def waiting_world(world, raise_at, move_at, clause, staff, governance):
    """The known cases, and in March: E not triaged yet; F closed at triage and reopened for triage (it was
    triaged once, so it is not waiting); G closed after review and reopened for review (decided once);
    H, whose reporter's team is gone."""
    e = raise_at(at(2026, 3, 2, 10), staff, platform=Platform.FACEBOOK, clauses=[clause("5.2")])
    f = raise_at(at(2026, 3, 3, 10), staff, platform=Platform.FACEBOOK, clauses=[])
    move_at(at(2026, 3, 4, 10), f, "close_at_triage")
    move_at(at(2026, 3, 5, 10), f, "reopen_triage")
    g = raise_at(at(2026, 3, 10, 10), staff, platform=Platform.TWITTER, clauses=[clause("6.4")])
    move_at(at(2026, 3, 10, 11), g, "start_triage")
    move_at(at(2026, 3, 10, 12), g, "refer")
    move_at(at(2026, 3, 11, 9), g, "start_review")
    move_at(at(2026, 3, 12, 9), g, "close", outcome=Outcome.NO_BREACH)
    with time_machine.travel(at(2026, 3, 13, 9), tick=False):
        services.case_move(case=g, by=governance, move="reopen_review", reason="New evidence.")
    h = raise_at(at(2026, 3, 16, 10), staff, platform=Platform.BLOG, clauses=[])
    Case.objects.filter(pk=h.pk).update(reporter_team=None)  # as when a team is deleted (SET_NULL)
    return {**world, "E": e, "F": f, "G": g, "H": h}


def not_done(page, caption):
    [(_, value, href)] = [cell for cell in drill_downs(page, caption) if cell[0] == "Not done yet"]
    return value, href


def test_the_cases_not_triaged_or_decided_yet_are_listed_as_counted(client, governance, waiting_world):
    client.force_login(governance)
    with time_machine.travel(NOW, tick=False):
        page = client.get(INDEX, PERIOD).text
        triage, triage_link = not_done(page, "Time to triage")
        decision, decision_link = not_done(page, "Time to decision")
        # E and H have not been triaged; F was, before it was reopened.
        assert set(listed(client, triage_link)) == {
            waiting_world["E"].reference,
            waiting_world["H"].reference,
        }
        assert triage == 2
        # C is still under review; G was decided, before it was reopened.
        assert listed(client, decision_link) == [waiting_world["C"].reference]
        assert decision == 1


def test_the_cases_with_no_team_are_listed_as_counted(client, governance, waiting_world):
    client.force_login(governance)
    with time_machine.travel(NOW, tick=False):
        page = client.get(INDEX, PERIOD).text
        [(_, value, href)] = [c for c in drill_downs(page, "Cases by the reporter") if c[0] == NO_TEAM]
        assert (value, listed(client, href)) == (1, [waiting_world["H"].reference])


@pytest.mark.parametrize("params", [PERIOD, {}], ids=["January to April", "the last 12 months"])
def test_with_cases_waiting_every_linked_figure_still_lists_as_many_as_it_counts(
    client, governance, waiting_world, params
):
    client.force_login(governance)
    with time_machine.travel(NOW, tick=False):
        page = client.get(INDEX, params).text
        for caption in [*FIGURES, "Time to triage", "Time to decision"]:
            cells = drill_downs(page, caption)
            # Every count above nothing is linked: of the timings, all but the median (working days).
            cells = [(label, value, href) for label, value, href in cells if label != "Median"]
            linked = [(label, value, href) for label, value, href in cells if href]
            assert len(linked) == len([value for _, value, _ in cells if value]), caption
            for label, value, href in linked:
                assert len(listed(client, href)) == value, (caption, label, href)


@pytest.fixture
def limit_world(waiting_world, raise_at, move_at, staff):
    """The cases waiting above, and around the limits as they stand at noon on Friday 15 May 2026. Triage
    (4 working days): K1 raised on Monday 11 May at 09:00 is past it, K2 at 15:00 that day and K3 on
    Wednesday 13 May are not. Decision (10 working days; 4 May is a bank holiday): L1 referred on
    Thursday 30 April at 11:00 is past it, L2 referred at 14:00 that day is not."""
    made = {}
    for name, when in (("K1", at(2026, 5, 11, 9)), ("K2", at(2026, 5, 11, 15)), ("K3", at(2026, 5, 13, 10))):
        made[name] = raise_at(when, staff, platform=Platform.FACEBOOK, clauses=[])
    for name, referred in (("L1", at(2026, 4, 30, 11)), ("L2", at(2026, 4, 30, 14))):
        made[name] = raise_at(at(2026, 4, 29, 9), staff, platform=Platform.FACEBOOK, clauses=[])
        move_at(at(2026, 4, 29, 10), made[name], "start_triage")
        move_at(referred, made[name], "refer")
    return {**waiting_world, **made}


def past_the_limit(page, caption):
    [(_, value, href)] = [c for c in drill_downs(page, caption) if c[0].startswith("Not done yet, already")]
    return value, href


def test_the_cases_past_the_limits_are_listed_as_counted(client, governance, limit_world):
    references = {name: case.reference for name, case in limit_world.items()}
    client.force_login(governance)
    with time_machine.travel(NOW, tick=False):
        page = client.get(INDEX).text  # the last 12 months, to 15 May
        triage, triage_link = not_done(page, "Time to triage")
        triage_over, triage_over_link = past_the_limit(page, "Time to triage")
        decision, decision_link = not_done(page, "Time to decision")
        decision_over, decision_over_link = past_the_limit(page, "Time to decision")

        # O (December) is in the last 12 months too, and was never triaged.
        assert set(listed(client, triage_link)) == {references[n] for n in ("O", "E", "H", "K1", "K2", "K3")}
        assert set(listed(client, triage_over_link)) == {references[n] for n in ("O", "E", "H", "K1")}
        assert set(listed(client, decision_link)) == {references[n] for n in ("C", "L1", "L2")}
        assert set(listed(client, decision_over_link)) == {references[n] for n in ("C", "L1")}
        assert (triage, triage_over, decision, decision_over) == (6, 4, 3, 2)


def spans(page, caption):
    """{row label: (value, the references its link lists, or None unlinked)} of a timing's table."""
    return {label: (value, href) for label, value, href in drill_downs(page, caption) if label != "Median"}


def test_the_timings_bands_list_the_cases_that_took_so_long(
    client, governance, world, raise_at, move_at, staff
):
    # E: referred Monday 9 March 09:00, action started Tuesday 24 March 09:30: 12 working days to decide.
    e = raise_at(at(2026, 3, 5, 9), staff, platform=Platform.FACEBOOK, clauses=[])
    move_at(at(2026, 3, 5, 10), e, "start_triage")
    move_at(at(2026, 3, 9, 9), e, "refer")
    move_at(at(2026, 3, 10, 9), e, "start_review")
    move_at(at(2026, 3, 24, 9, 30), e, "start_action")
    references = {name: case.reference for name, case in {**world, "E": e}.items()}

    def lists(span):
        value, href = span
        found = set(listed(client, href))
        assert len(found) == value
        return found

    client.force_login(governance)
    with time_machine.travel(NOW, tick=False):
        page = client.get(INDEX, PERIOD).text
        triage, decision = spans(page, "Time to triage"), spans(page, "Time to decision")
        # Triage took A 3 working days, B 1, C 6, D 1 (Easter), E 2; the reminder is at 2, the limit 4.
        assert lists(triage["Within 2 working days"]) == {references[n] for n in "BDE"}
        assert lists(triage["3 to 4 working days (after the reminder)"]) == {references["A"]}
        assert lists(triage["Over 4 working days (escalated to the Head of Service)"]) == {references["C"]}
        assert lists(triage["Within the limit of 4 working days"]) == {references[n] for n in "ABDE"}
        # A decided in 8 working days, E in 12; C is still under review.
        assert lists(decision["Within 10 working days"]) == {references["A"]}
        assert lists(decision["Over 10 working days"]) == {references["E"]}
        assert lists(decision["Not done yet"]) == {references["C"]}


def test_with_the_escalation_before_the_reminder_the_two_bands_are_listed_as_counted(
    client, governance, world
):
    limits = Limits.current()
    limits.triage_reminder_working_days, limits.triage_escalation_working_days = 5, 3
    limits.save()
    client.force_login(governance)
    with time_machine.travel(NOW, tick=False):
        page = client.get(INDEX, PERIOD).text
        triage = spans(page, "Time to triage")
        assert [label for label in triage if label.startswith(("Within", "Over"))] == [
            "Within 3 working days",
            "Over 3 working days",
        ]
        (within, within_link), (over, over_link) = (
            triage["Within 3 working days"],
            triage["Over 3 working days"],
        )
        assert set(listed(client, within_link)) == {world[n].reference for n in "ABD"}
        assert listed(client, over_link) == [world["C"].reference]
        assert (within, over) == (3, 1)
