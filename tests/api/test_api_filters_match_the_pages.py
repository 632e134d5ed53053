"""The page and the API take the same filters: for every filter of the case list's and the record list's
FilterSet, the governance head's All cases page and the API list the same cases, and HR's Disciplinary
records page and the API the same records; a value that does not fit is shown as an error on the page (the
list left unfiltered by it) and refused by the API with a 400 that names it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.filters import CaseFilter
from cases.models import Case, Platform, Stage, SubjectKind
from discipline.filters import RecordFilter
from discipline.models import Outcome
from people.models import User
from policies.models import Policy
from tests.api.conftest import cases_made, record_maker, warning
from tests.factories import (
    base_people,
    case_moved_to,
    case_raised,
    make_agency_worker,
    make_policy,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


def on_page(client, url, query):
    response = client.get(url, query)
    assert response.status_code == 200
    return response, [row.reference for row in response.context["page"]]


def from_api(client, url, query):
    response = client.get(url, query)
    return response, [row["reference"] for row in response.json().get("results", [])]


def assert_same_answers(client, page_url, api_url, query, *, ordered=False):
    page, listed_on_page = on_page(client, page_url, query)
    api, listed_by_api = from_api(client, api_url, query)
    assert api.status_code == 200, api.content
    assert "Some filters were not used" not in page.text
    if ordered:
        assert listed_on_page == listed_by_api
    else:
        assert set(listed_on_page) == set(listed_by_api)
    return listed_on_page


def assert_refused_by_both(client, page_url, api_url, query, named, everything):
    page, listed_on_page = on_page(client, page_url, query)
    assert named in page.context["form"].errors
    assert "Some filters were not used" in page.text
    assert set(listed_on_page) == everything
    api, _ = from_api(client, api_url, query)
    assert api.status_code == 400
    assert list(api.json()) == [named]


# --- Cases ---------------------------------------------------------------------------------------------

CASES_PAGE, CASES_API = reverse("cases:all"), reverse("api:case-list")


def another_policy(governance):
    return Policy.objects.filter(slug="another-policy").first() or make_policy(
        governance, title="Another Policy"
    )


def varied_cases_made(policy, staff, other_staff, governance, cases):
    """More cases than the API's world, that differ in every filtered field; all raised on different days."""
    clause = policy.current_version().clauses().get
    more = [
        case_raised(policy, other_staff, platform=Platform.LINKEDIN, clauses=[clause(number="6.4")]),
        case_moved_to(
            case_raised(
                policy,
                staff,
                subject_kind=SubjectKind.CARER,
                clauses=[clause(number="5.2"), clause(number="6.4")],
            ),
            Stage.REFERRED,
            governance=governance,
        ),
        case_raised(policy, staff, platform=Platform.BLOG, subject_kind=SubjectKind.SERVICE_USER, clauses=[]),
        # Under another policy, citing its own 5.2.
        case_raised(another_policy(governance), staff),
        # staff2's second case citing 5.2 (the first is the API world's breach): a repeat subject.
        case_raised(
            policy,
            staff,
            subject_kind=SubjectKind.COLLEAGUE,
            subject_person=other_staff,
            subject_description="",
            clauses=[clause(number="5.2")],
        ),
    ]
    now = timezone.now()
    for age, case in enumerate([*cases.values(), *more]):
        Case.objects.filter(pk=case.pk).update(created_at=now - datetime.timedelta(days=age * 20 + 1))
    return more


def case_world_made():
    """The people, the API's world of cases and the varied cases (by fixture name)."""
    everyone = base_people()
    staff, other_staff, governance = everyone["staff"], everyone["other_staff"], everyone["governance"]
    # The text search's narrowing value: a name of their own, never a random one that some other person
    # shares (the search then listed every case, 1 run in some hundreds).
    other_staff.last_name = "Quennell-Ashdown"
    other_staff.save(update_fields=["last_name"])
    policy = make_policy(governance)
    cases = cases_made(policy, staff, other_staff, governance)
    varied_cases = varied_cases_made(policy, staff, other_staff, governance, cases)
    return {"governance": governance, "other_staff": other_staff, "varied_cases": varied_cases}


@pytest.fixture(scope="class")
def case_world(build_once):
    yield from build_once(case_world_made)


def case_filters(other_staff, varied_cases):
    """Each filter of CaseFilter: a value that narrows the list, and one that does not fit."""
    number = varied_cases[0].reference.rsplit("-", 1)[1]
    return {
        "q": ({"q": other_staff.last_name}, {"q": "ab"}),
        "reference": ({"reference": number}, {"reference": "x" * 21}),
        "stage": ({"stage": Stage.REFERRED}, {"stage": "lost"}),
        "platform": ({"platform": Platform.TWITTER}, {"platform": "myspace"}),
        "clause": ({"clause": "6.4"}, {"clause": "9.9"}),
        "subject_kind": ({"subject_kind": SubjectKind.COLLEAGUE}, {"subject_kind": "robot"}),
        "outcome": ({"outcome": "closed"}, {"outcome": "won"}),
        "team": ({"team": other_staff.team.pk}, {"team": "999999"}),
        "age": ({"age": "30"}, {"age": "12"}),
        "waiting": ({"waiting": "triage"}, {"waiting": "soon"}),
        "time_to_triage": ({"time_to_triage": "within_reminder"}, {"time_to_triage": "quickly"}),
        "time_to_decision": ({"time_to_decision": "within_limit"}, {"time_to_decision": "2"}),
        "raised_from": ({"raised_from": days(-50).isoformat()}, {"raised_from": "yesterday"}),
        "raised_to": ({"raised_to": days(-50).isoformat()}, {"raised_to": "2026-02-30"}),
        # Only the case moved to closed as the world was built was closed today.
        "closed_from": ({"closed_from": TODAY.isoformat()}, {"closed_from": "since Easter"}),
        "policy": ({"policy": "another-policy"}, {"policy": "no-such-policy"}),
        # Found only within one clause and at most a year (cases.filters.REPEAT_LONGEST_PERIOD).
        "repeat_subject": (
            {
                "repeat_subject": "yes",
                "clause": "5.2",
                "raised_from": days(-365).isoformat(),
                "raised_to": TODAY.isoformat(),
            },
            {"repeat_subject": "yes"},
        ),
        "sort": ({"sort": "stage"}, {"sort": "-handler__password"}),
    }


class TestCaseFilters:
    """Over one set of cases built once for the class."""

    def test_every_case_filter_is_tested_here(self, case_world):
        other_staff, varied_cases = case_world["other_staff"], case_world["varied_cases"]
        assert set(case_filters(other_staff, varied_cases)) == set(CaseFilter.base_filters)

    @pytest.mark.parametrize("name", list(CaseFilter.base_filters))
    def test_the_page_and_the_api_list_the_same_cases(self, client, case_world, name):
        narrowing, _ = case_filters(case_world["other_staff"], case_world["varied_cases"])[name]
        client.force_login(case_world["governance"])
        everything = set(on_page(client, CASES_PAGE, {})[1])
        listed = assert_same_answers(client, CASES_PAGE, CASES_API, narrowing, ordered=name == "sort")
        if name != "sort":
            assert listed and set(listed) < everything, "the value chosen for the test should narrow the list"

    @pytest.mark.parametrize("name", list(CaseFilter.base_filters))
    def test_a_case_filter_that_does_not_fit_is_refused_by_both(self, client, case_world, name):
        _, bad = case_filters(case_world["other_staff"], case_world["varied_cases"])[name]
        client.force_login(case_world["governance"])
        everything = set(on_page(client, CASES_PAGE, {})[1])
        assert_refused_by_both(client, CASES_PAGE, CASES_API, bad, name, everything)

    def test_two_case_filters_together_and_a_range_the_wrong_way_round(self, client, case_world):
        client.force_login(case_world["governance"])
        both = {"platform": Platform.FACEBOOK, "clause": "5.2", "sort": "-reference"}
        assert assert_same_answers(client, CASES_PAGE, CASES_API, both, ordered=True)
        backwards = {"raised_from": days(-10).isoformat(), "raised_to": days(-50).isoformat()}
        page, _ = on_page(client, CASES_PAGE, backwards)
        assert "The end of the range must not be before its start." in page.text
        api, _ = from_api(client, CASES_API, backwards)
        assert api.status_code == 400 and list(api.json()) == ["raised_to"]


# --- Disciplinary records --------------------------------------------------------------------------------

RECORDS_PAGE, RECORDS_API = reverse("discipline:list"), reverse("api:disciplinary-record-list")


def record_world_made():
    """The people, and records that differ in every filtered field (by fixture name)."""
    everyone = base_people()
    staff, other_staff, hr = everyone["staff"], everyone["other_staff"], everyone["hr"]
    make_record = record_maker(make_policy(everyone["governance"]), hr)
    make_other_record = record_maker(another_policy(everyone["governance"]), hr)
    agency = make_agency_worker()
    varied_records = [
        make_record(other_staff, opened_on=days(-100), **warning(days(-90), days(275))),
        make_record(staff, opened_on=days(-500), **warning(days(-490), days(-125))),
        make_record(agency, clauses=("5.3",), opened_on=days(-5)),
        make_record(
            staff, opened_on=days(-40), **warning(days(-30), days(700), Outcome.FINAL_WRITTEN_WARNING)
        ),
        make_other_record(other_staff, clauses=("6.4",), opened_on=days(-300), reference="DR-OTHER-0001"),
    ]
    return {"hr": hr, "other_staff": other_staff, "varied_records": varied_records}


@pytest.fixture(scope="class")
def record_world(build_once):
    yield from build_once(record_world_made)


def record_filters(other_staff):
    """Each filter of RecordFilter: a value that narrows the list, and one that does not fit."""
    return {
        "opened_from": ({"opened_from": days(-60).isoformat()}, {"opened_from": "last week"}),
        "opened_to": ({"opened_to": days(-60).isoformat()}, {"opened_to": "2026-13-01"}),
        "decided_from": ({"decided_from": days(-60).isoformat()}, {"decided_from": "2026-02-30"}),
        "outcome": ({"outcome": Outcome.FINAL_WRITTEN_WARNING}, {"outcome": "sacked"}),
        "policy": ({"policy": "another-policy"}, {"policy": "no-such-policy"}),
        "team": ({"team": other_staff.team.pk}, {"team": "Bank Staff"}),
        "employment_type": (
            {"employment_type": User.EmploymentType.AGENCY},
            {"employment_type": "volunteer"},
        ),
        "clause": ({"clause": "5.3"}, {"clause": "9.9"}),
        "warning": ({"warning": "expired"}, {"warning": "forever"}),
    }


class TestRecordFilters:
    """Over one set of records built once for the class."""

    def test_every_record_filter_is_tested_here(self, record_world):
        assert set(record_filters(record_world["other_staff"])) == set(RecordFilter.base_filters)

    @pytest.mark.parametrize("name", list(RecordFilter.base_filters))
    def test_the_page_and_the_api_list_the_same_records(self, client, record_world, name):
        narrowing, _ = record_filters(record_world["other_staff"])[name]
        client.force_login(record_world["hr"])
        everything = set(on_page(client, RECORDS_PAGE, {})[1])
        listed = assert_same_answers(client, RECORDS_PAGE, RECORDS_API, narrowing, ordered=True)
        assert listed and set(listed) < everything, "the value chosen for the test should narrow the list"

    @pytest.mark.parametrize("name", list(RecordFilter.base_filters))
    def test_a_record_filter_that_does_not_fit_is_refused_by_both(self, client, record_world, name):
        _, bad = record_filters(record_world["other_staff"])[name]
        client.force_login(record_world["hr"])
        everything = set(on_page(client, RECORDS_PAGE, {})[1])
        assert_refused_by_both(client, RECORDS_PAGE, RECORDS_API, bad, name, everything)

    def test_a_record_range_the_wrong_way_round_is_refused_by_both(self, client, record_world):
        client.force_login(record_world["hr"])
        backwards = {"opened_from": days(-10).isoformat(), "opened_to": days(-200).isoformat()}
        page, listed = on_page(client, RECORDS_PAGE, backwards)
        assert "The end of the range must not be before its start." in page.text
        assert len(listed) == 1  # The start is still used.
        api, _ = from_api(client, RECORDS_API, backwards)
        assert api.status_code == 400 and list(api.json()) == ["opened_to"]
