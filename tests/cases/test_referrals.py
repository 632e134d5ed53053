"""HR see the disciplinary referrals made to them: the referral, not the case behind it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from cases import selectors
from cases.models import DisciplinaryReferral, Stage, SubjectKind
from tests.keyset import assert_walks_in_pages

pytestmark = pytest.mark.django_db


def refer(case, *, by, person, severity=DisciplinaryReferral.Severity.MISCONDUCT, allegation=None):
    referral = DisciplinaryReferral.objects.create(
        case=case,
        recorded_by=by,
        person=person,
        allegation=allegation or f"{person} posted about a service user on Facebook.",
        severity=severity,
    )
    referral.clauses_breached.add(case.clauses.first())
    return referral


@pytest.fixture
def referred(case_about_colleague, move_to):
    return move_to(case_about_colleague, Stage.UNDER_REVIEW)


@pytest.fixture
def referral(referred, governance, other_staff):
    return refer(referred, by=governance, person=other_staff)


def test_hr_see_the_referral_list(client, hr, referral, other_staff):
    client.force_login(hr)
    response = client.get(reverse("cases:referrals"))
    assert response.status_code == 200
    assert str(other_staff) in response.text
    assert "Misconduct" in response.text
    assert "5.2" in response.text
    assert referral.case.reference in response.text
    # The list does not lead to the case.
    assert referral.case.get_absolute_url() not in response.text
    assert reverse("cases:referral", args=[referral.pk]) in response.text


def test_the_list_gives_the_clauses_breached_in_the_policys_order(client, hr, referral):
    case = referral.case
    clauses = case.policy_version.clauses()
    for number in ("10.1", "2.4"):  # cited after 5.2, and out of order
        clause = clauses.get(number=number)
        referral.clauses_breached.add(case.clauses.create(clause=clause, number=number, text=clause.text))
    client.force_login(hr)
    page = client.get(reverse("cases:referrals")).text
    assert '<td data-label="Clauses breached">2.4, 5.2, 10.1</td>' in page


def test_hr_see_the_referral_but_not_the_case(client, hr, referral, governance, other_staff):
    client.force_login(hr)
    response = client.get(reverse("cases:referral", args=[referral.pk]))
    assert response.status_code == 200
    text = response.text
    assert str(other_staff) in text
    assert referral.allegation in text
    assert "Misconduct" in text
    assert str(governance) in text
    assert referral.case.reference in text
    clause = referral.clauses_breached.get()
    assert clause.number in text
    assert clause.text.splitlines()[0][:60] in text
    # Nothing of the case itself: no link to it, not its description, not who reported it.
    assert referral.case.get_absolute_url() not in text
    assert referral.case.description not in text
    assert str(referral.case.reporter) not in text
    # And the case page stays closed to HR.
    assert client.get(referral.case.get_absolute_url()).status_code == 404


def test_the_referral_page_gives_its_own_clauses_breached_in_the_policys_order(
    client, hr, referral, governance, other_staff
):
    case = referral.case
    clauses = case.policy_version.clauses()
    cited = {
        number: case.clauses.create(
            clause=clauses.get(number=number), number=number, text=f"Text of {number}"
        )
        for number in ("10.1", "2.4", "3.1")
    }
    referral.clauses_breached.add(cited["10.1"], cited["2.4"])  # added after 5.2, and out of order
    # Cited on the case, and breached in another referral on it: not this referral's.
    refer(case, by=governance, person=other_staff).clauses_breached.set([cited["3.1"]])
    client.force_login(hr)
    page = client.get(reverse("cases:referral", args=[referral.pk])).text
    shown = [
        number
        for number in ("2.4", "3.1", "5.2", "10.1")
        if f'<h3 class="clause-number">{number}</h3>' in page
    ]
    assert shown == ["2.4", "5.2", "10.1"]
    assert page.index('">2.4</h3>') < page.index('">5.2</h3>') < page.index('">10.1</h3>')
    assert "Text of 10.1" in page and "Text of 3.1" not in page


def test_the_clause_text_is_the_snapshot_taken_when_the_concern_was_raised(client, hr, referral):
    clause = referral.clauses_breached.get()
    clause.text = "The clause as it read on the day."
    clause.save()
    client.force_login(hr)
    assert (
        "The clause as it read on the day." in client.get(reverse("cases:referral", args=[referral.pk])).text
    )


def test_governance_see_the_referral_with_a_link_to_the_case(client, governance, referral):
    client.force_login(governance)
    response = client.get(reverse("cases:referral", args=[referral.pk]))
    assert response.status_code == 200
    assert referral.case.get_absolute_url() in response.text


def test_opening_a_referral_is_audited(client, hr, referral):
    client.force_login(hr)
    client.get(reverse("cases:referral", args=[referral.pk]), REMOTE_ADDR="192.0.2.7")
    entry = AuditEntry.objects.filter(actor=hr).get()
    assert entry.action == AuditEntry.Action.VIEW
    assert entry.case == referral.case
    assert entry.ip_address == "192.0.2.7"


@pytest.mark.parametrize(
    "who",
    [
        "staff",
        "other_staff",
        "supervisor",
        "other_supervisor",
        "head_of_service",
        "outsider",
        "administrator",
    ],
)
def test_others_get_404(client, request, who, referral):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("cases:referrals")).status_code == 404
    response = client.get(reverse("cases:referral", args=[referral.pk]))
    assert response.status_code == 404
    assert referral.allegation not in response.text


def test_comms_get_404(client, referral, comms):
    client.force_login(comms)
    assert client.get(reverse("cases:referrals")).status_code == 404
    assert client.get(reverse("cases:referral", args=[referral.pk])).status_code == 404


def test_a_missing_referral_is_404_like_a_forbidden_one(client, hr, referral):
    client.force_login(hr)
    assert client.get(reverse("cases:referral", args=[referral.pk + 1000])).status_code == 404


def test_login_required(client, referral):
    for url in (reverse("cases:referrals"), reverse("cases:referral", args=[referral.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


def test_hr_never_see_a_referral_about_themselves(
    client, raise_case, move_to, staff, governance, hr, other_hr, referral
):
    """A member of HR who is referred, or is the subject of the case, sees neither list entry nor page."""
    about_hr = move_to(
        raise_case(staff, subject_kind=SubjectKind.COLLEAGUE, subject_person=hr, subject_description=""),
        Stage.UNDER_REVIEW,
    )
    own = refer(about_hr, by=governance, person=hr)
    client.force_login(hr)
    response = client.get(reverse("cases:referrals"))
    assert about_hr.reference not in response.text
    assert referral.case.reference in response.text
    assert client.get(reverse("cases:referral", args=[own.pk])).status_code == 404
    assert list(selectors.referrals_to_hr(user=hr)) == [referral]
    assert set(selectors.referrals_to_hr(user=other_hr)) == {referral, own}


def test_newest_first(hr, governance, referred, other_staff, staff):
    first = refer(referred, by=governance, person=other_staff)
    second = refer(referred, by=governance, person=other_staff, severity="gross_misconduct")
    assert list(selectors.referrals_to_hr(user=hr)) == [second, first]


def test_the_list_costs_the_same_however_many_referrals(
    client, hr, governance, referred, other_staff, django_assert_max_num_queries
):
    client.force_login(hr)
    refer(referred, by=governance, person=other_staff)
    # Session, user, permissions (2), count, navigation (2), referrals, their clauses.
    with django_assert_max_num_queries(10):
        client.get(reverse("cases:referrals"))
    for _ in range(10):
        refer(referred, by=governance, person=other_staff)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("cases:referrals"))
    assert response.text.count(str(other_staff)) >= 11


def test_the_referral_page_costs_a_fixed_number_of_queries(
    client, hr, governance, staff, other_staff, policy, referral, raise_case, move_to
):
    """The same cost for a referral of one clause as for one of three, and the page is really shown:
    a refused or failed page costs less than any limit, so the limit alone proves nothing."""
    numbers = ["5.1", "5.2", "5.3"]
    larger_case = move_to(
        raise_case(
            staff,
            subject_kind=SubjectKind.COLLEAGUE,
            subject_person=other_staff,
            subject_description="",
            clauses=list(policy.current_version().clauses().filter(number__in=numbers)),
        ),
        Stage.UNDER_REVIEW,
    )
    larger = refer(larger_case, by=governance, person=other_staff)
    larger.clauses_breached.set(larger_case.clauses.all())
    client.force_login(hr)

    def cost(shown):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("cases:referral", args=[shown.pk]))
        assert response.status_code == 200
        assert shown.allegation in response.text
        return response, len(queries)

    _, one_clause = cost(referral)
    response, three_clauses = cost(larger)
    for number in numbers:
        assert f'<h3 class="clause-number">{number}</h3>' in response.text
    # Session, user, permissions (2), the referral, its clauses, the audit entry, whether HR may open the
    # case (guardian: 4), navigation (2).
    assert three_clauses == one_clause <= 14


def test_the_list_comes_in_keyset_pages_each_referral_once_both_ways(
    client, hr, referred, governance, other_staff, monkeypatch
):
    """Referrals to HR in pages of four, newest first (ties by id), by the Next links and back by the
    Previous links: the pages after the first are read by compiled queries too."""
    import datetime

    from django.utils import timezone

    from cases.views import queues

    monkeypatch.setattr(queues, "PER_PAGE", 4)
    now = timezone.now()
    for days in (9, 6, 6, 6, 3, 3, 1, 1, 0):  # ties: the same moment referred
        referral = refer(referred, by=governance, person=other_staff)
        DisciplinaryReferral.objects.filter(pk=referral.pk).update(
            recorded_at=now - datetime.timedelta(days=days)
        )
    expected = list(DisciplinaryReferral.objects.order_by("-recorded_at", "-pk").values_list("pk", flat=True))
    client.force_login(hr)
    assert_walks_in_pages(client, reverse("cases:referrals"), expected, pages=3)
