"""The case lists: who may open each, whose list holds which case, and the full list's filters."""

import datetime
import html
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from cases import selectors
from cases.models import Case, DisciplinaryReferral, Platform, Stage, SubjectKind
from focuspolicy.work import WORK_COUNT_SECONDS
from tests.factories import base_people, case_moved_to, concern_about_colleague, make_policy

pytestmark = pytest.mark.django_db

LISTS = ["cases:my_reports", "cases:triage_queue", "cases:governance_queue", "cases:all", "cases:referrals"]


@pytest.fixture
def triage_case(case_about_colleague):
    """staff's concern about staff2, waiting for triage by staff's supervisor."""
    return case_about_colleague


def referred_case_made(policy, staff, other_staff, governance):
    """A second concern by staff about staff2, referred to governance and then to HR."""
    case = concern_about_colleague(policy, staff, other_staff)
    case = case_moved_to(case, Stage.REFERRED, governance=governance)
    referral = DisciplinaryReferral.objects.create(
        case=case,
        recorded_by=governance,
        person=other_staff,
        allegation="Posted about a service user.",
        severity=DisciplinaryReferral.Severity.MISCONDUCT,
    )
    referral.clauses_breached.add(case.clauses.first())
    return case


@pytest.fixture
def referred_case(policy, staff, other_staff, governance):
    return referred_case_made(policy, staff, other_staff, governance)


def listed(client, user, name):
    client.force_login(user)
    return client.get(reverse(name))


# Who gets the page (200) and which of the two cases their list holds. Everyone else: 404 and nothing.
MATRIX = {
    "reporter": {
        "cases:my_reports": {"triage", "referred"},
        "cases:triage_queue": set(),
    },
    "subject": {"cases:my_reports": set(), "cases:triage_queue": set()},
    "assigned supervisor": {"cases:my_reports": set(), "cases:triage_queue": {"triage"}},
    "other supervisor": {"cases:my_reports": set(), "cases:triage_queue": set()},
    "head of service": {"cases:my_reports": set(), "cases:triage_queue": set()},
    "governance": {
        "cases:my_reports": set(),
        "cases:triage_queue": set(),
        "cases:governance_queue": {"referred"},
        "cases:all": {"triage", "referred"},
        "cases:referrals": {"referred"},
    },
    "hr": {"cases:my_reports": set(), "cases:triage_queue": set(), "cases:referrals": {"referred"}},
    "comms": {"cases:my_reports": set(), "cases:triage_queue": set()},
    "outsider": {"cases:my_reports": set(), "cases:triage_queue": set()},
    "administrator": {"cases:my_reports": set(), "cases:triage_queue": set()},
}

PEOPLE = {
    "reporter": "staff",
    "subject": "other_staff",
    "assigned supervisor": "supervisor",
    "other supervisor": "other_supervisor",
    "head of service": "head_of_service",
    "governance": "governance",
    "hr": "hr",
    "comms": "comms",
    "outsider": "outsider",
    "administrator": "administrator",
}


def matrix_world_made():
    """The people of tests/conftest.py and the two cases of the matrix, by label."""
    people = base_people()
    policy = make_policy(people["governance"])
    cases = {
        "triage": concern_about_colleague(policy, people["staff"], people["other_staff"]),
        "referred": referred_case_made(policy, people["staff"], people["other_staff"], people["governance"]),
    }
    return people, cases


@pytest.fixture(scope="class")
def world(build_once):
    """The matrix's people and cases, built once for the class that asks for them."""
    yield from build_once(matrix_world_made)


class TestPermissionMatrix:
    """Every person × every list, over one set of people and cases built once for the class."""

    @pytest.mark.parametrize("who", list(MATRIX))
    @pytest.mark.parametrize("page", LISTS)
    def test_permission_matrix(self, client, world, who, page):
        people, cases = world
        triage_case, referred_case = cases["triage"], cases["referred"]
        assert triage_case.handler.username == "supervisor"
        user = people[PEOPLE[who]]
        response = listed(client, user, page)
        allowed = MATRIX[who]
        if page not in allowed:
            assert response.status_code == 404
            assert triage_case.reference not in response.text
            assert referred_case.reference not in response.text
            return
        assert response.status_code == 200
        shown = {label for label, case in cases.items() if case.reference in response.text}
        assert shown == allowed[page]


@pytest.mark.parametrize("page", LISTS)
def test_lists_need_login(client, page):
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_subject_is_in_no_list_and_no_count_even_as_governance_head(
    client, raise_case, move_to, staff, governance, supervisor
):
    """Even the Head of Business and Governance never sees, nor counts, a concern about themselves."""
    about_governance = raise_case(
        staff, subject_kind=SubjectKind.COLLEAGUE, subject_person=governance, subject_description=""
    )
    other = raise_case(staff)
    move_to(about_governance, Stage.REFERRED)
    client.force_login(governance)
    for page in LISTS:
        response = client.get(reverse(page))
        assert about_governance.reference not in response.text
    assert other.reference in client.get(reverse("cases:all")).text
    assert "1 case." in client.get(reverse("cases:all")).text
    assert about_governance.reference not in client.get(reverse("cases:all"), {"reference": "SMP"}).text
    assert not selectors.all_cases(user=governance).filter(pk=about_governance.pk).exists()
    assert not selectors.governance_queue(user=governance).exists()


def test_my_reports_shows_only_reference_stage_and_date(client, staff, triage_case, supervisor):
    response = listed(client, staff, "cases:my_reports")
    assert triage_case.reference in response.text
    assert "Submitted" in response.text
    # Nothing of who handles it, nor whom it is about.
    assert str(supervisor) not in response.text
    assert str(triage_case.subject_person) not in response.text
    assert 'aria-current="page">My concerns' in response.text


def test_triage_queue_holds_only_triage_stages_for_the_handler(
    client, raise_case, move_to, staff, supervisor, governance
):
    waiting = raise_case(staff)
    in_triage = move_to(raise_case(staff), Stage.IN_TRIAGE)
    closed = move_to(raise_case(staff), Stage.CLOSED_AT_TRIAGE)
    referred = move_to(raise_case(staff), Stage.REFERRED)
    assert list(selectors.triage_queue(user=supervisor)) == [waiting, in_triage]
    # Governance may act on every case, but their triage queue is only what was routed to them.
    assert list(selectors.triage_queue(user=governance)) == []
    response = listed(client, supervisor, "cases:triage_queue")
    assert waiting.reference in response.text and in_triage.reference in response.text
    assert closed.reference not in response.text and referred.reference not in response.text


def test_reassigned_case_leaves_the_old_handlers_queue(raise_case, staff, supervisor, head_of_service):
    from cases import services

    case = raise_case(staff)
    services.case_reassign(case=case, by=supervisor, to=head_of_service, reason="Conflict of interest.")
    assert list(selectors.triage_queue(user=supervisor)) == []
    assert list(selectors.triage_queue(user=head_of_service)) == [case]


def test_governance_queue_holds_the_governance_stages(client, raise_case, move_to, staff, governance):
    cases = {stage: move_to(raise_case(staff), stage) for stage in Stage.values}
    queue = set(selectors.governance_queue(user=governance))
    assert queue == {cases[Stage.REFERRED], cases[Stage.UNDER_REVIEW], cases[Stage.ACTION_IN_PROGRESS]}
    response = listed(client, governance, "cases:governance_queue")
    assert cases[Stage.CLOSED].reference not in response.text
    assert cases[Stage.UNDER_REVIEW].reference in response.text


def test_selectors_give_nothing_without_the_right(staff, hr, supervisor, triage_case):
    for person in (staff, hr, supervisor):
        assert not selectors.governance_queue(user=person).exists()
        assert not selectors.all_cases(user=person).exists()
    assert not selectors.referrals_to_hr(user=staff).exists()


def test_lists_write_no_audit_entries(client, governance, staff, triage_case):
    before = AuditEntry.objects.count()
    for user in (governance, staff):
        client.force_login(user)
        for page in LISTS:
            client.get(reverse(page))
    assert AuditEntry.objects.count() == before


# --- All cases: filters and sorting ----------------------------------------------------------------------


@pytest.fixture
def varied(raise_case, move_to, policy, staff, other_staff, team, other_team):
    """Four cases that differ in every filtered field."""
    version = policy.current_version()
    clause = version.clauses().get
    a = raise_case(staff, platform=Platform.FACEBOOK, clauses=[clause(number="5.2")])
    b = raise_case(
        other_staff,
        platform=Platform.TWITTER,
        subject_kind=SubjectKind.SERVICE_USER,
        clauses=[clause(number="5.3")],
    )
    c = move_to(raise_case(staff, platform=Platform.LINKEDIN, clauses=[]), Stage.REFERRED)
    d = raise_case(
        other_staff,
        platform=Platform.BLOG,
        subject_kind=SubjectKind.CARER,
        clauses=[clause(number="5.2"), clause(number="5.3")],
    )
    now = timezone.now()
    for case, days in ((a, 1), (b, 10), (c, 40), (d, 100)):
        Case.objects.filter(pk=case.pk).update(created_at=now - datetime.timedelta(days=days))
    return {"a": a, "b": b, "c": c, "d": d}


def references(response, varied):
    return {label for label, case in varied.items() if case.reference in response.text}


def all_cases(client, governance, **params):
    client.force_login(governance)
    response = client.get(reverse("cases:all"), params)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"a", "b", "c", "d"}),
        ({"stage": Stage.REFERRED}, {"c"}),
        ({"stage": Stage.SUBMITTED}, {"a", "b", "d"}),
        ({"platform": Platform.TWITTER}, {"b"}),
        ({"clause": "5.2"}, {"a", "d"}),
        ({"clause": "5.3"}, {"b", "d"}),
        ({"subject_kind": SubjectKind.CARER}, {"d"}),
        ({"subject_kind": SubjectKind.PUBLIC}, {"a", "c"}),
        ({"age": "7"}, {"b", "c", "d"}),
        ({"age": "30"}, {"c", "d"}),
        ({"age": "90"}, {"d"}),
        ({"platform": Platform.BLOG, "clause": "5.3"}, {"d"}),
        ({"platform": Platform.FACEBOOK, "clause": "5.3"}, set()),
    ],
)
def test_each_filter_narrows(client, governance, varied, params, expected):
    assert references(all_cases(client, governance, **params), varied) == expected


def test_team_filter(client, governance, varied, team, other_team):
    assert references(all_cases(client, governance, team=team.pk), varied) == {"a", "c"}
    assert references(all_cases(client, governance, team=other_team.pk), varied) == {"b", "d"}


def test_reference_search(client, governance, varied):
    assert references(all_cases(client, governance, reference=varied["b"].reference), varied) == {"b"}
    number = varied["c"].reference.rsplit("-", 1)[1]
    assert references(all_cases(client, governance, reference=number), varied) == {"c"}
    # Any case, and a part the references hold as typed, not as a pattern: _ and % are themselves.
    prefix = varied["c"].reference[:4]
    assert references(all_cases(client, governance, reference=prefix.lower()), varied) == set(varied)
    for pattern in (prefix[0] + "_" + prefix[2:], prefix[:2] + "%"):
        assert references(all_cases(client, governance, reference=pattern), varied) == set()


@pytest.mark.parametrize(
    "params",
    [
        {"stage": "nonsense"},
        {"platform": "<script>"},
        {"clause": "99.99"},
        {"subject_kind": "robot"},
        {"team": "not-a-number"},
        {"team": "999999"},
        {"age": "12"},
        {"age": "x"},
        {"reference": "00"},  # too short to narrow a million references by their index
        {"sort": "password"},
        {"sort": "-handler__password"},
        {"page": "abc"},
        {"page": "9999"},
    ],
)
def test_invalid_filters_are_shown_and_ignored(client, governance, varied, params):
    response = all_cases(client, governance, **params)
    assert references(response, varied) == {"a", "b", "c", "d"}
    if "page" not in params and "sort" not in params:
        assert "Some filters were not used" in response.text


def test_a_valid_filter_still_applies_beside_an_invalid_one(client, governance, varied):
    response = all_cases(client, governance, platform=Platform.TWITTER, stage="nonsense")
    assert references(response, varied) == {"b"}
    assert "Some filters were not used" in response.text


def order(response, varied):
    positions = {label: response.text.index(case.reference) for label, case in varied.items()}
    return "".join(sorted(positions, key=positions.get))


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", "abcd"),  # newest raised first
        ("raised", "dcba"),
        ("-raised", "abcd"),
        ("age", "abcd"),  # youngest first
        ("-age", "dcba"),
        ("reference", "abcd"),
        ("-reference", "dcba"),
    ],
)
def test_sorting(client, governance, varied, sort, expected):
    # References were given in the order raised: a, b, c, d.
    assert order(all_cases(client, governance, sort=sort), varied) == expected


def test_sorting_by_stage_follows_the_workflow(client, governance, varied):
    assert order(all_cases(client, governance, sort="stage"), varied)[-1] == "c"
    assert order(all_cases(client, governance, sort="-stage"), varied)[0] == "c"


def test_sort_headers_are_links_that_keep_the_filters(client, governance, varied):
    response = all_cases(client, governance, platform=Platform.TWITTER, sort="reference")
    assert 'aria-sort="ascending"' in response.text
    assert "?platform=twitter&amp;sort=-reference" in response.text
    assert "?platform=twitter&amp;sort=stage" in response.text


def test_a_sort_header_goes_back_to_the_first_page(client, governance, varied):
    response = all_cases(client, governance, platform=Platform.TWITTER, sort="-stage", cursor="abc", page="3")
    head = re.search(r"<thead>.*?</thead>", response.text, re.S).group(0)
    assert re.search(
        r'<th scope="col" aria-sort="descending"><a href="\?platform=twitter&amp;sort=stage">Stage '
        r'<span aria-hidden="true">▼</span></a></th>',
        head,
    )
    assert "cursor=" not in head and "page=" not in head
    assert head.count("aria-sort=") == 1


def test_all_cases_is_paginated_by_twenty_five(client, governance, varied):
    template = varied["a"]
    stamp = template.created_at
    Case.objects.bulk_create(
        Case(
            reference=f"BULK-{n:03d}",
            policy_version=template.policy_version,
            reporter=template.reporter,
            subject_kind=SubjectKind.PUBLIC,
            platform=Platform.OTHER,
            seen_at=stamp,
            description="Bulk.",
            created_at=stamp - datetime.timedelta(days=200, minutes=n),
        )
        for n in range(60)
    )
    first = all_cases(client, governance)
    assert "25 cases on this page." in first.text
    assert first.text.count(">BULK-") == 21
    assert "Previous page" not in first.text
    second = client.get(next_page_url(first))
    assert "25 cases on this page." in second.text
    assert second.text.count(">BULK-") == 25
    third = client.get(next_page_url(second))
    assert "14 cases on this page." in third.text
    assert third.text.count(">BULK-") == 14
    assert "Previous page" in third.text
    assert "Next page" not in third.text


def next_page_url(response):
    """The address of the page's Next page link (a query string, on the same path)."""
    query = html.unescape(re.search(r'<a href="([^"]+)" rel="next">', response.text).group(1))
    return response.request["PATH_INFO"] + query


@pytest.mark.parametrize("sort", [None, "due", "-due"])
def test_the_triage_queue_paged_through_shows_each_case_once_in_its_order(
    client, raise_case, move_to, staff, supervisor, sort
):
    more_cases(raise_case, move_to, staff, 30)
    client.force_login(supervisor)
    response = client.get(reverse("cases:triage_queue"), {"sort": sort} if sort else {})
    seen = []
    while True:
        body = re.search(r"<tbody>(.*?)</tbody>", response.text, re.S).group(1)
        seen += re.findall(r'<th scope="row"><a href="/cases/([^/]+)/"', body)
        if 'rel="next"' not in response.text:
            break
        response = client.get(next_page_url(response))
    expected = selectors.triage_queue(user=supervisor, sort=sort).values_list("reference", flat=True)
    assert seen == list(expected) and len(seen) == 30


# --- Queries: a list costs the same however many cases it shows -------------------------------------------


def more_cases(raise_case, move_to, reporter, n, stage=Stage.SUBMITTED):
    for _ in range(n):
        move_to(raise_case(reporter), stage)


@pytest.mark.parametrize(
    ("page", "who", "stage", "limit"),
    [
        ("cases:my_reports", "staff", Stage.SUBMITTED, 8),
        ("cases:triage_queue", "supervisor", Stage.SUBMITTED, 7),
        ("cases:governance_queue", "governance", Stage.REFERRED, 9),  # and the open cases of leavers
        ("cases:all", "governance", Stage.SUBMITTED, 12),
    ],
)
def test_query_count_does_not_grow_with_the_list(
    client, request, raise_case, move_to, staff, django_assert_max_num_queries, page, who, stage, limit
):
    # Session, user, permissions (2), navigation (role names; whether they handle a case), then the list's
    # own: a count and the page, its clause numbers, and the filter form's teams and clause numbers.
    user = request.getfixturevalue(who)
    client.force_login(user)
    more_cases(raise_case, move_to, staff, 2, stage)
    with django_assert_max_num_queries(limit):
        client.get(reverse(page))
    more_cases(raise_case, move_to, staff, 8, stage)
    with django_assert_max_num_queries(limit):
        response = client.get(reverse(page))
    assert response.text.count("SMP-") >= 10


def test_navigation_offers_only_what_the_person_may_open(client, staff, supervisor, governance, hr, comms):
    def nav(user):
        client.force_login(user)
        return client.get(reverse("cases:my_reports")).text

    labels = ["Triage queue", "Governance queue", "All cases", "Referrals to HR", "Audit log"]
    assert [label in nav(staff) for label in labels] == [False] * 5
    assert [label in nav(comms) for label in labels] == [False] * 5
    assert [label in nav(supervisor) for label in labels] == [True, False, False, False, False]
    assert [label in nav(hr) for label in labels] == [False, False, False, True, False]
    assert [label in nav(governance) for label in labels] == [False, True, True, True, True]
    assert "My concerns" in nav(staff)


def test_navigation_offers_triage_to_anyone_a_concern_was_routed_to(client, raise_case, outsider, governance):
    client.force_login(governance)
    assert "Triage queue" not in client.get(reverse("home")).text
    raise_case(outsider)  # the outsider has no supervisor: it goes to the governance head
    assert "Triage queue" in client.get(reverse("home")).text


def test_the_other_pages_offer_triage_after_the_home_page_or_within_a_minute(
    client, raise_case, outsider, governance, process_cache
):
    """The navigation's answer is kept a minute in the process (focuspolicy.work.offers_triage); the home
    page asks afresh and keeps its answer."""
    client.force_login(governance)
    policies = reverse("policies:list")
    assert "Triage queue" not in client.get(policies).text
    raise_case(outsider)  # routed to the governance head
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=WORK_COUNT_SECONDS + 1)):
        assert "Triage queue" in client.get(policies).text
    process_cache.clear()
    assert "Triage queue" in client.get(policies).text
    Case.objects.filter(handler=governance).update(handler=None)
    assert "Triage queue" in client.get(policies).text  # kept, until the home page asks again
    client.get(reverse("home"))
    assert "Triage queue" not in client.get(policies).text


@pytest.mark.parametrize(
    ("page", "who"),
    [
        ("cases:my_reports", "staff"),
        ("cases:triage_queue", "supervisor"),
        ("cases:governance_queue", "governance"),
        ("cases:all", "governance"),
        ("cases:referrals", "hr"),
    ],
)
@pytest.mark.parametrize(
    "query", [{"page": "99999999999999999999"}, {"cursor": "garbage"}, {"cursor": "W10"}]
)
def test_bad_paging_gives_each_lists_first_page(
    client, request, triage_case, referred_case, page, who, query
):
    client.force_login(request.getfixturevalue(who))
    first = client.get(reverse(page))
    response = client.get(reverse(page), query)
    assert response.status_code == 200
    shown = set(re.findall(r"SMP-\d+-\d+", response.text))
    assert shown == set(re.findall(r"SMP-\d+-\d+", first.text)) and shown
