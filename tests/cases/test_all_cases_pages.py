"""All cases in keyset pages: every sort pages through every case once and in order (ties on the time
raised broken by the id), bad input gives the first page, and a page costs the same queries however many
cases it shows."""

import base64
import datetime
import html
import json
import random
import re
import zoneinfo
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import selectors
from cases.filters import CaseFilter, compiled_filters
from cases.models import CLOSED_STAGES, Case, CaseClause, Outcome, Platform, Stage, SubjectKind
from cases.views import queues
from core.filters import CHOICES_KEPT_SECONDS, given_filters
from people.models import Team
from reminders.models import Limits

pytestmark = pytest.mark.django_db

ALL = reverse("cases:all")
PER_PAGE = 4
SORTS = [f"{sign}{key}" for key in ("reference", "stage", "raised", "age", "due") for sign in ("", "-")]


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of four, so that a couple of dozen cases make several pages."""
    monkeypatch.setattr(queues, "PER_PAGE", PER_PAGE)


def bulk_cases(template, n, *, seed=13):
    """n cases like `template`, in every stage, raised at only five moments (ties) and with references in no
    order of either; those waiting for triage or a decision due on one of three days (ties), the others
    with no deadline."""
    shuffle = random.Random(seed)  # noqa: S311 - test data, not a secret
    moments = [template.created_at - datetime.timedelta(days=days) for days in (3, 30, 300, 30, 3000)]
    numbers = shuffle.sample(range(1000, 9999), n)
    stages = Stage.values
    today = timezone.localdate()
    days = [today + datetime.timedelta(days=days) for days in (-2, 5, 5, 40)]
    dated = {Stage.SUBMITTED, Stage.IN_TRIAGE, Stage.REFERRED, Stage.UNDER_REVIEW}
    return Case.objects.bulk_create(
        Case(
            reference=f"BULK-{numbers[i]}",
            policy_version=template.policy_version,
            reporter=template.reporter,
            reporter_team=template.reporter_team,
            subject_kind=SubjectKind.PUBLIC,
            platform=Platform.OTHER,
            seen_at=template.seen_at,
            description="Bulk.",
            stage=stages[i % len(stages)],
            outcome=Outcome.NO_BREACH if stages[i % len(stages)] in CLOSED_STAGES else "",
            created_at=shuffle.choice(moments),
            due_on=shuffle.choice(days) if stages[i % len(stages)] in dated else None,
        )
        for i in range(n)
    )


@pytest.fixture
def many(raise_case, staff):
    """A raised case and 25 more: 26 cases, seven pages of four."""
    bulk_cases(raise_case(staff), 25)
    return Case.objects.count()


def listed(response):
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', response.text)


def link(response, rel):
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', response.text)
    return ALL + html.unescape(found.group(1)) if found else None


def walk(client, first, rel):
    """The references of every page from `first`, following the rel link to the end, and the pages seen."""
    response, references, pages = first, [], 0
    while response is not None:
        assert response.status_code == 200
        page = listed(response)
        references = references + page if rel == "next" else page + references
        pages += 1
        url = link(response, rel)
        response = client.get(url) if url else None
    return references, pages


def expected(sort):
    """The references in the order the sort promises, ties broken by the id in the sort's direction. Cases
    with no deadline come last in either direction of the due sort."""
    key = sort.removeprefix("-")
    descending = sort.startswith("-") != (key == "age")  # Age: the youngest first, the newest raised.
    no_deadline = datetime.date.min if descending else datetime.date.max
    rows = Case.objects.values_list("pk", "reference", "stage", "created_at", "due_on")
    keys = {
        "reference": lambda row: (row[1], row[0]),
        "stage": lambda row: (Stage.values.index(row[2]), row[3], row[0]),
        "raised": lambda row: (row[3], row[0]),
        "age": lambda row: (row[3], row[0]),
        "due": lambda row: (row[4] or no_deadline, row[0]),
    }
    return [row[1] for row in sorted(rows, key=keys[key], reverse=descending)]


@pytest.mark.parametrize("sort", ["", *SORTS])
def test_every_sort_pages_through_every_case_once_in_order(client, governance, small_pages, many, sort):
    client.force_login(governance)
    first = client.get(ALL, {"sort": sort} if sort else {})
    forward, pages = walk(client, first, "next")
    assert pages == -(-many // PER_PAGE)
    assert forward == expected(sort or "-raised")
    assert len(set(forward)) == many
    # And back again from the last page, by its Previous links.
    last = first
    while link(last, "next"):
        last = client.get(link(last, "next"))
    assert "First page" in last.text
    backward, _ = walk(client, last, "prev")
    assert backward == forward


def test_the_pages_keep_the_filters_and_the_sort(client, governance, small_pages, many):
    client.force_login(governance)
    first = client.get(ALL, {"platform": Platform.OTHER, "sort": "-reference"})
    references, _ = walk(client, first, "next")
    other = Case.objects.filter(platform=Platform.OTHER).order_by("-reference")
    assert references == [case.reference for case in other] and len(references) == 25


def cursor_of(value):
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "query",
    [
        {"page": "99999999999999999999"},
        {"page": "-1"},
        {"cursor": "garbage"},
        {"cursor": "%%%"},
        {"cursor": cursor_of(["n", [1]])},  # the wrong number of values
        {"cursor": cursor_of(["x", ["2026-01-01T00:00:00+00:00", 1]])},  # neither next nor previous
        {"cursor": cursor_of(["n", ["not a time", 1]])},
        {"cursor": cursor_of(["n", ["2026-01-01T00:00:00+00:00", 10**30]])},  # beyond any key
        {"sort": "stage", "cursor": cursor_of(["n", [10**30, "2026-01-01T00:00:00+00:00", 1]])},
        {"sort": "stage", "cursor": cursor_of(["n", ["submitted", "2026-01-01T00:00:00+00:00", 1]])},
        {"sort": "reference", "cursor": cursor_of(["n", ["X" * 500, 1]])},  # longer than any reference
        {"sort": "due", "cursor": cursor_of(["n", ["not a day", 1]])},
        {"sort": "-due", "cursor": cursor_of(["p", ["99999-01-01", 1]])},
        {"sort": "due", "cursor": cursor_of(["n", [None, 1]])},  # no deadline is never a cursor's value
        {"sort": "password"},
        {"sort": "-handler__password", "cursor": "garbage"},
    ],
)
def test_bad_paging_gives_the_first_page(client, governance, small_pages, many, query):
    client.force_login(governance)
    response = client.get(ALL, query)
    assert response.status_code == 200
    sort = query["sort"] if query.get("sort") in SORTS else "-raised"  # An unknown sort: the default.
    assert listed(response) == expected(sort)[:PER_PAGE]
    assert "Previous page" not in response.text


def test_a_cursor_whose_moment_lost_its_offset_is_read_in_local_time(client, governance, small_pages, many):
    """An edited cursor with a moment but no offset: read in the site's zone, as the ORM reads such a time,
    never a server error."""
    client.force_login(governance)
    second = client.get(link(client.get(ALL), "next"))
    cursor = re.search(r"cursor=([\w-]+)", link(second, "prev")).group(1)
    direction, (moment, pk) = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    local = datetime.datetime.fromisoformat(moment).astimezone(zoneinfo.ZoneInfo("Europe/London"))
    naive = cursor_of([direction, [local.replace(tzinfo=None).isoformat(), pk]])

    response = client.get(ALL, {"cursor": naive})
    assert response.status_code == 200
    assert listed(response) == expected("-raised")[:PER_PAGE]  # the page before the second: the first


def test_a_cursor_of_another_sort_gives_that_sorts_first_page(client, governance, small_pages, many):
    client.force_login(governance)
    by_reference = client.get(ALL, {"sort": "reference"})
    cursor = re.search(r"cursor=([\w-]+)", link(by_reference, "next")).group(1)
    response = client.get(ALL, {"sort": "stage", "cursor": cursor})
    assert listed(response) == expected("stage")[:PER_PAGE]


def test_bad_filters_are_shown_and_the_first_page_is_given(client, governance, small_pages, many):
    client.force_login(governance)
    response = client.get(ALL, {"stage": "nonsense", "raised_from": "2026-13-45", "page": "2"})
    assert response.status_code == 200
    assert "Some filters were not used" in response.text
    assert listed(response) == expected("-raised")[:PER_PAGE]


def test_raised_from_and_to_take_whole_local_days(client, governance, raise_case, staff):
    case = raise_case(staff)
    day = timezone.localdate(case.created_at)
    client.force_login(governance)
    for start, end, found in [
        (day, day, True),
        (day - datetime.timedelta(days=1), day - datetime.timedelta(days=1), False),
        (day + datetime.timedelta(days=1), None, False),
        (None, day, True),
    ]:
        query = {"raised_from": start or "", "raised_to": end or ""}
        assert (case.reference in listed(client.get(ALL, query))) is found, query


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_full_page_costs_the_queries_of_a_page_of_one(
    client, governance, raise_case, staff, other_staff, django_assert_max_num_queries
):
    first = raise_case(staff)
    client.force_login(governance)
    client.get(ALL)  # Anything read once per process (content types, the policy's clauses) is read.
    one = queries_of(client, ALL)
    more = bulk_cases(raise_case(other_staff), 48)
    clause = first.clauses.first()
    CaseClause.objects.bulk_create(
        CaseClause(case=case, clause=clause.clause, number=clause.number, text=clause.text) for case in more
    )
    assert Case.objects.count() == 50
    with django_assert_max_num_queries(one):
        response = client.get(ALL)
    assert len(listed(response)) == queues.PER_PAGE < 50


def test_the_team_filter_offers_every_team_and_keeps_the_chosen_one(client, governance, team, other_team):
    other_team.name = "Care & <Support>"
    other_team.save()
    client.force_login(governance)
    response = client.get(ALL, {"team": other_team.pk})
    assert f'<option value="{other_team.pk}" selected>Care &amp; &lt;Support&gt;</option>' in response.text
    assert f'<option value="{team.pk}">{team.name}</option>' in response.text
    assert '<option value="">All teams</option>' in response.text


def test_a_new_team_is_offered_within_the_minute_and_may_be_chosen_at_once(
    client, governance, team, process_cache, time_machine
):
    client.force_login(governance)
    time_machine.move_to(timezone.now(), tick=False)
    assert team.name in client.get(ALL).text
    new = Team.objects.create(name="Day services north")
    # Chosen by its id in the address, it is checked against the database: no error, the filter used.
    chosen = client.get(ALL, {"team": new.pk})
    assert chosen.status_code == 200 and "Some filters were not used" not in chosen.text
    assert "Day services north" not in client.get(ALL).text  # the options kept, at most CHOICES_KEPT_SECONDS
    time_machine.shift(CHOICES_KEPT_SECONDS + 1)
    assert f'<option value="{new.pk}">Day services north</option>' in client.get(ALL).text


def test_the_filters_are_drawn_once_for_the_values_given_and_afresh_when_one_does_not_fit(
    client, governance, process_cache
):
    """Each process keeps the filters it drew (core.filters.fields_html_key), by the values chosen."""
    client.force_login(governance)
    first, second = list(Stage)[:2]
    for _ in range(2):
        for stage, other in ((first, second), (second, first)):
            text = client.get(ALL, {"stage": stage}).text
            assert f'<option value="{stage}" selected>' in text
            assert f'<option value="{other}">' in text
    drawn = [key for key in process_cache._cache if "filter-fields:" in key]
    assert len(drawn) == 2

    for _ in range(2):
        text = client.get(ALL, {"stage": first, "raised_from": "2026-02-30"}).text
        assert "Some filters were not used" in text and f'<option value="{first}" selected>' in text
    assert len([key for key in process_cache._cache if "filter-fields:" in key]) == 2


@pytest.fixture
def varied(raise_case, staff, other_team):
    """26 cases in every stage, and among them other platforms, subjects, teams and cited clauses."""
    template = raise_case(staff)
    cases = bulk_cases(template, 25)
    cited = template.clauses.first()
    for i, case in enumerate(cases):
        case.platform = Platform.FACEBOOK if i % 3 == 0 else Platform.OTHER
        case.subject_kind = SubjectKind.CARER if i % 2 == 0 else SubjectKind.PUBLIC
        case.reporter_team = other_team if i % 5 == 0 else template.reporter_team
        # Working days taken to triage and to decide, around the limits (2 and 4; 10), and none yet.
        case.triage_working_days = None if i % 6 == 5 else i % 7
        case.decision_working_days = None if i % 4 == 3 else i % 15
        if i % 4 == 0:
            CaseClause.objects.create(case=case, clause=cited.clause, number=cited.number, text=cited.text)
    Case.objects.bulk_update(
        cases, ["platform", "subject_kind", "reporter_team", "triage_working_days", "decision_working_days"]
    )
    today = timezone.localdate()
    days_ago = {f"{days} days ago": (today - datetime.timedelta(days=days)).isoformat() for days in (10, 31)}
    return {"team": other_team.pk, "clause": cited.number, **days_ago}


@pytest.mark.parametrize(
    "filters",
    [
        {"stage": Stage.SUBMITTED},
        {"platform": Platform.FACEBOOK},
        {"subject_kind": SubjectKind.CARER},
        {"outcome": "closed"},
        {"outcome": "not_closed"},
        {"waiting": "triage"},
        {"waiting": "decision"},
        {"team": "team"},
        {"clause": "clause"},
        {"platform": Platform.FACEBOOK, "subject_kind": SubjectKind.CARER, "team": "team"},
        {"clause": "clause", "outcome": "not_closed"},
        {"reference": "ulk-", "platform": Platform.FACEBOOK},
        {"raised_from": "31 days ago"},
        {"raised_to": "10 days ago"},
        {"age": 90},
        {"time_to_triage": "within_reminder"},
        {"time_to_triage": "after_reminder", "platform": Platform.OTHER},
        {"time_to_triage": "over_limit"},
        {"time_to_decision": "within_limit", "time_to_triage": "within_limit"},
        {"time_to_decision": "over_limit"},
        {"raised_from": "31 days ago", "raised_to": "10 days ago", "platform": Platform.OTHER},
    ],
)
@pytest.mark.parametrize("sort", ["", "-due", "stage"])
def test_compiled_filtered_pages_list_what_the_filters_find(
    client, governance, small_pages, varied, filters, sort
):
    """The filters whose SQL All cases' compiled pages hold (cases.filters.compiled_filters): every page,
    forward and back, is what the same filters find through the ORM, in the sort's order."""
    query = {name: varied.get(value, value) for name, value in filters.items()} | (
        {"sort": sort} if sort else {}
    )
    found = CaseFilter(QueryDict(urlencode(query)), queryset=selectors.all_cases(user=governance))
    assert compiled_filters(given_filters(found)) is not None  # the page reads them compiled
    expected_references = [case.reference for case in found.qs]
    assert 0 < len(expected_references) < Case.objects.count()  # the filters narrow the list

    client.force_login(governance)
    first = client.get(ALL, query)
    forward, _pages = walk(client, first, "next")
    assert forward == expected_references
    last = first
    while link(last, "next"):
        last = client.get(link(last, "next"))
    backward, _ = walk(client, last, "prev")
    assert backward == forward


def test_compiled_pages_filtered_by_time_taken_follow_the_limits_as_they_change(
    client, governance, small_pages, varied
):
    """The working days of "within the reminder" are the limits' of the moment, never those the page was
    first compiled with (the bounds are arguments of the compiled query)."""
    client.force_login(governance)
    query = {"time_to_triage": "within_reminder"}

    def listed_and_found():
        found = CaseFilter(QueryDict(urlencode(query)), queryset=selectors.all_cases(user=governance))
        listed, _pages = walk(client, client.get(ALL, query), "next")
        return listed, [case.reference for case in found.qs]

    before, found = listed_and_found()
    assert before == found
    Limits.objects.update(triage_reminder_working_days=4, triage_escalation_working_days=6)
    after, found = listed_and_found()
    assert after == found and len(after) > len(before)
