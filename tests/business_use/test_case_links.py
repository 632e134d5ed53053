"""Concerns and business use: the case page shows its handlers the approvals (6.1) and authorisations (6.4)
on record for the concern's subject that fit its platform and the day the post was seen; a handler cites
one; the request's page lists the cases citing it only to people who may handle them."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.urls import reverse
from django.utils.html import escape

from audit.models import AuditEntry
from business_use import services
from business_use.case_links import case_cite_business_use
from business_use.models import Account, BusinessUseEvent, BusinessUseRequest, CaseCitation, Kind, State
from business_use.selectors import request_approvers
from cases import breach
from cases import services as case_services
from cases.conflicts import APPROVER, conflicts
from cases.models import CaseEvent, Platform, SubjectKind
from people.roles import Role
from tests.business_use.conftest import FIELDS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(year, month, day, hour=12, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


APPROVED = at(2026, 10, 5)
SEEN = at(2026, 10, 20)


@pytest.fixture
def subject_actors(other_staff, other_supervisor, comms):
    """`staff2` asks; their supervisor approves; the communications team publishes."""
    return {"requester": other_staff, "approver": other_supervisor, "communications": comms}


@pytest.fixture
def post(subject_actors):
    """post(account, approved_at, published_at=None): an official post of staff2's, approved then (and
    published then, if given)."""

    def _post(account=Account.FOCUS_FACEBOOK, approved_at=APPROVED, published_at=None, **fields):
        with time_machine.travel(approved_at, tick=False):
            request = services.business_use_submit(
                requester=subject_actors["requester"],
                kind=Kind.OFFICIAL_POST,
                **{**FIELDS[Kind.OFFICIAL_POST], "account": account, **fields},
            )
            request = services.business_use_move(
                request=request, by=subject_actors["approver"], move="approve_content"
            )
        if published_at:
            request = services.business_use_move(
                request=request,
                by=subject_actors["communications"],
                move="publish",
                published_at=published_at,
                published_where="focus Facebook",
            )
        return request

    return _post


@pytest.fixture
def authorisation(subject_actors):
    """authorisation(from_date, to_date): a 6.4 authorisation of staff2's for those dates."""

    def _authorisation(from_date, to_date):
        request = services.business_use_submit(
            requester=subject_actors["requester"],
            kind=Kind.PROFESSIONAL_SITE,
            **{**FIELDS[Kind.PROFESSIONAL_SITE], "from_date": from_date, "to_date": to_date},
        )
        return services.business_use_move(request=request, by=subject_actors["approver"], move="authorise")

    return _authorisation


@pytest.fixture
def concern(raise_case, staff, other_staff):
    """concern(seen_at, platform): `staff` reports `staff2`'s post; it goes to `supervisor`."""

    def _concern(seen_at=SEEN, platform=Platform.FACEBOOK, **fields):
        fields = {
            "subject_kind": SubjectKind.COLLEAGUE,
            "subject_person": other_staff,
            "subject_description": "",
            "seen_at": seen_at,
            "platform": platform,
            **fields,
        }
        return raise_case(staff, **fields)

    return _concern


def panel(client, person, case):
    """The references in the case page's business use panel, or None if the page has no panel."""
    client.force_login(person)
    response = client.get(case.get_absolute_url())
    if response.status_code == 404:
        return None
    html = response.content.decode()
    if 'id="business-use"' not in html:
        return None
    section = html.split('id="business-use"', 1)[1].split("</section>", 1)[0]
    return set(re.findall(r"BU-\d{4}-\d{4}", section))


def refs(*requests):
    return {r.reference for r in requests}


# --- What matches --------------------------------------------------------------------------------------


def test_the_handler_sees_the_subjects_approved_posts_on_the_concerns_platform(
    client, supervisor, staff, subject_actors, post, concern, make_request
):
    on_facebook = post(Account.FOCUS_FACEBOOK, published_at=at(2026, 10, 6))
    services4me = post(Account.SERVICES4ME_FACEBOOK)  # approved, not yet published
    on_twitter = post(Account.FOCUS_TWITTER, published_at=at(2026, 10, 6))
    someone_elses = make_request(Kind.OFFICIAL_POST, State.PUBLISHED)  # staff's own, not the subject's
    assert someone_elses.requester != on_facebook.requester

    assert panel(client, supervisor, concern(platform=Platform.FACEBOOK)) == refs(on_facebook, services4me)
    assert panel(client, supervisor, concern(platform=Platform.TWITTER)) == refs(on_twitter)
    assert panel(client, supervisor, concern(platform=Platform.INSTAGRAM)) == set()
    # Another platform: which account it was on cannot be told, so every approved post is shown.
    assert panel(client, supervisor, concern(platform=Platform.OTHER)) == refs(
        on_facebook, services4me, on_twitter
    )


def test_posts_not_approved_are_not_on_record(client, supervisor, subject_actors, concern):
    services.business_use_submit(
        requester=subject_actors["requester"], kind=Kind.OFFICIAL_POST, **FIELDS[Kind.OFFICIAL_POST]
    )
    declined = services.business_use_submit(
        requester=subject_actors["requester"], kind=Kind.OFFICIAL_POST, **FIELDS[Kind.OFFICIAL_POST]
    )
    services.business_use_move(
        request=declined, by=subject_actors["approver"], move="supervisor_decline", text="No."
    )
    assert panel(client, supervisor, concern(seen_at=at(2026, 12, 6, 0, 1))) == set()


def test_a_post_counts_if_approved_and_published_by_the_day_it_was_seen(client, supervisor, post, concern):
    published = post(approved_at=at(2026, 10, 5), published_at=at(2026, 10, 8, 18))
    assert panel(client, supervisor, concern(seen_at=at(2026, 10, 4))) == set()  # before its approval
    assert panel(client, supervisor, concern(seen_at=at(2026, 10, 7))) == set()  # before it was published
    # Seen earlier on the day it was published: the same day counts.
    assert panel(client, supervisor, concern(seen_at=at(2026, 10, 8, 9))) == refs(published)
    assert panel(client, supervisor, concern(seen_at=at(2026, 11, 8))) == refs(published)


def test_an_authorisation_counts_on_the_days_it_covers(client, supervisor, authorisation, concern):
    october = authorisation(datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
    open_ended = authorisation(datetime.date(2026, 11, 10), None)
    assert panel(client, supervisor, concern(seen_at=at(2026, 9, 30, 23, 30))) == set()
    assert panel(client, supervisor, concern(seen_at=at(2026, 10, 1, 0, 5))) == refs(october)
    # The last day, late in the evening (British Summer Time until 25 October: the local day counts).
    assert panel(client, supervisor, concern(seen_at=at(2026, 10, 31, 23, 30))) == refs(october)
    assert panel(client, supervisor, concern(seen_at=at(2026, 11, 1, 0, 30))) == set()
    assert panel(client, supervisor, concern(seen_at=at(2026, 12, 1))) == refs(open_ended)
    # Any platform: the site is named by the requester, not one of ours.
    assert panel(client, supervisor, concern(seen_at=at(2026, 10, 15), platform=Platform.LINKEDIN)) == refs(
        october
    )


def test_a_concern_not_about_a_colleague_has_no_panel(client, supervisor, raise_case, staff):
    case = raise_case(staff)  # about a member of the public
    assert panel(client, supervisor, case) is None


# --- Who sees the panel ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("supervisor", True),  # the handler
        ("governance", True),
        ("staff", False),  # the reporter: their own page, without it
        ("other_staff", False),  # the subject: never sees the case
        ("other_supervisor", False),  # who approved the post, not the handler
        ("comms", False),
        ("infosec", False),  # reads a flagged case to decide on the breach, does not handle it
        ("outsider", False),
    ],
)
def test_only_those_who_handle_the_case_see_the_panel(
    client, request, supervisor, post, concern, infosec, outsider, who, sees
):
    approved = post(published_at=at(2026, 10, 6))
    case = concern()
    breach.breach_flag(case=case, by=supervisor)
    shown = panel(client, request.getfixturevalue(who), case)
    assert shown == ({approved.reference} if sees else None)


# --- Citing ---------------------------------------------------------------------------------------------


def test_the_handler_cites_a_request_on_the_case(client, supervisor, post, concern):
    approved = post(published_at=at(2026, 10, 6))
    case = concern()
    client.force_login(supervisor)
    response = client.post(f"/business-use/cases/{case.reference}/cite/", {"request": approved.pk})
    assert response.status_code == 302
    assert response.url == case.get_absolute_url()
    citation = CaseCitation.objects.get()
    assert (citation.case, citation.request, citation.cited_by) == (case, approved, supervisor)
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.BUSINESS_USE)
    assert event.actor == supervisor
    assert approved.reference in event.text
    assert not event.visible_to_reporter
    assert AuditEntry.objects.filter(
        actor=supervisor,
        case=case,
        what=f"cited business use request {approved.reference} on {case.reference}",
    ).exists()
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Business use request cited" in page
    assert "<strong>Cited</strong>" in page

    # Cited once.
    client.post(f"/business-use/cases/{case.reference}/cite/", {"request": approved.pk})
    assert CaseCitation.objects.count() == 1


def test_only_a_request_shown_for_the_concern_can_be_cited(client, supervisor, make_request, concern):
    staffs_own = make_request(Kind.OFFICIAL_POST, State.PUBLISHED)
    case = concern()
    client.force_login(supervisor)
    response = client.post(
        f"/business-use/cases/{case.reference}/cite/", {"request": staffs_own.pk}, follow=True
    )
    assert "not on record for this concern" in response.content.decode()
    assert not CaseCitation.objects.exists()


@pytest.mark.parametrize("who", ["staff", "other_staff", "other_supervisor", "comms", "outsider"])
def test_nobody_but_a_handler_may_cite(client, request, post, concern, who):
    approved = post(published_at=at(2026, 10, 6))
    case = concern()
    client.force_login(request.getfixturevalue(who))
    response = client.post(f"/business-use/cases/{case.reference}/cite/", {"request": approved.pk})
    assert response.status_code == 404
    assert not CaseCitation.objects.exists()


# --- The request's page lists the cases citing it ------------------------------------------------------


@pytest.fixture
def cited(post, concern, supervisor):
    approved = post(published_at=at(2026, 10, 6))
    case = concern()
    case_cite_business_use(case=case, request_id=approved.pk, by=supervisor)
    return approved, case


@pytest.mark.parametrize(
    ("who", "status", "lists"),
    [
        ("governance", 200, True),
        ("other_staff", 200, False),  # the requester, the subject of the concern: never
        ("other_supervisor", 200, False),  # approved the post, does not handle the case
        ("comms", 200, False),  # published it
        ("supervisor", 404, False),  # handles the case, may not open the request
        ("staff", 404, False),  # the reporter
        ("outsider", 404, False),
    ],
)
def test_the_request_page_lists_citing_cases_only_to_those_who_handle_them(
    client, request, cited, outsider, who, status, lists
):
    approved, case = cited
    client.force_login(request.getfixturevalue(who))
    response = client.get(approved.get_absolute_url())
    assert response.status_code == status
    html = response.content.decode()
    assert ('id="citing-cases"' in html) is lists
    assert (case.reference in html) is lists


def test_a_handler_who_may_open_the_request_sees_the_case_citing_it(
    client, cited, governance, comms, other_staff
):
    approved, case = cited
    # The case passed to the communications officer who published the post (and may open the request),
    # made able to handle cases for the test: publishing is not approving, so no conflict bars them.
    comms.groups.add(Group.objects.get(name=Role.SUPERVISOR))
    case_services.case_reassign(case=case, by=governance, to=comms, reason="Recorded for the test.")
    client.force_login(comms)
    assert case.reference in client.get(approved.get_absolute_url()).content.decode()
    client.force_login(other_staff)
    assert case.reference not in client.get(approved.get_absolute_url()).content.decode()


# --- Who approved ---------------------------------------------------------------------------------------


def test_request_approvers_names_the_supervisor_and_the_publisher(
    post, other_supervisor, comms, authorisation
):
    published = post(published_at=at(2026, 10, 6))
    assert request_approvers(published) == (other_supervisor, comms)
    assert request_approvers(published).people == {other_supervisor, comms}
    authorised = authorisation(datetime.date(2026, 10, 1), None)
    assert request_approvers(authorised) == (other_supervisor, None)
    not_yet = post(approved_at=at(2026, 10, 5))
    assert request_approvers(not_yet).people == {other_supervisor}


# --- Queries --------------------------------------------------------------------------------------------


def test_the_panel_costs_the_same_queries_however_many_requests_it_shows(
    client, supervisor, post, authorisation, concern, raise_case, staff, django_assert_max_num_queries
):
    def queries(case):
        # The navigation's counts are kept a minute in the process: counted afresh for every page compared.
        caches["process"].clear()
        with django_assert_max_num_queries(100) as counted:
            response = client.get(case.get_absolute_url())
        return len(counted), response

    case = concern()
    first = post(published_at=at(2026, 10, 6))
    client.force_login(supervisor)
    client.get(case.get_absolute_url())
    with_one, _ = queries(case)
    for account in (Account.FOCUS_FACEBOOK, Account.SERVICES4ME_FACEBOOK):
        post(account, published_at=at(2026, 10, 7))
    authorisation(datetime.date(2026, 10, 1), None)
    case_cite_business_use(case=case, request_id=first.pk, by=supervisor)
    with_four, response = queries(case)
    assert response.content.decode().count("Cite BU-") == 3
    assert with_four == with_one

    # Against a concern with no panel (about the public, seen the same day): two queries more, whether
    # anything is on record and the requests; a colleague with nothing on record costs the first alone.
    public = raise_case(staff, seen_at=SEEN)
    client.get(public.get_absolute_url())
    without, _ = queries(public)
    assert with_one - without == 2
    nothing_on_record = concern(subject_person=UserFactory())
    client.get(nothing_on_record.get_absolute_url())
    none_found, response = queries(nothing_on_record)
    assert "Cite BU-" not in response.content.decode()
    assert none_found - without == 1


def test_whoever_approved_a_cited_post_may_not_handle_the_case(client, post, concern, supervisor, other_team):
    # A supervisor standing in for staff2's own (not in their line) approved the post: once the case cites
    # it, they are excluded with that reason, and reassigning the case to them is refused.
    stand_in = UserFactory(username="standin", roles=[Role.SUPERVISOR], team=other_team)
    approved = post(published_at=at(2026, 10, 6))
    BusinessUseRequest.objects.filter(pk=approved.pk).update(approver=stand_in)
    BusinessUseEvent.objects.filter(request=approved, from_state=State.WITH_SUPERVISOR).update(actor=stand_in)
    case = concern()
    reassign = reverse("cases:reassign", args=[case.reference])
    client.force_login(supervisor)
    # Before the citation nothing keeps the stand-in from the case.
    assert all(conflict.person != stand_in for conflict in conflicts(case))

    case_cite_business_use(case=case, request_id=approved.pk, by=supervisor)

    assert [(c.person, c.reason) for c in conflicts(case) if c.person == stand_in] == [(stand_in, APPROVER)]
    response = client.post(reassign, {"to": stand_in.pk, "reason": "Knows the post."})
    assert response.status_code == 400
    assert escape(f"{stand_in} {APPROVER}, so cannot handle this case") in response.text
    case.refresh_from_db()
    assert case.handler == supervisor
