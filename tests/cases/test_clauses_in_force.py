"""The case page reads each cited clause as it stood on the day the posting was made or the incident
happened (Case.incident_on): the text of the version then in force, with a note where it has changed
since or did not exist then; and for those who triage and decide the case, whether the colleague it is
about had acknowledged them."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Stage
from policies.models import Acknowledgement, PolicyVersion
from tests.factories import case_moved_to, case_raised
from tests.policies.history import FIRST_DAY, NEW_5_3, OLD_5_3, SECOND_DAY, second_version, took_effect

pytestmark = pytest.mark.django_db


def day(date):
    return f"{date.day} {date:%B %Y}"


def raised(policy, staff, other_staff, incident_on, numbers=("5.2", "5.3", "10.3")):
    """staff2's posting of `incident_on`, citing `numbers` of the current version."""
    version = policy.current_version()
    return case_raised(
        policy,
        staff,
        subject_kind="colleague",
        subject_person=other_staff,
        subject_description="",
        incident_on=incident_on,
        clauses=list(version.clauses().filter(number__in=numbers)),
    )


def clause_notes(response):
    return re.findall(r'<p class="hint clause-change">(.*?)</p>', response.text, re.S)


def page(client, who, case):
    client.force_login(who)
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    return response


# --- The version in force.


def test_the_day_a_new_version_takes_effect_reads_the_new_one(
    client, policy, governance, staff, other_staff, supervisor
):
    second_version(policy, governance)
    case = raised(policy, staff, other_staff, SECOND_DAY)
    response = page(client, supervisor, case)
    assert f"As they read in version 2, in force on {day(SECOND_DAY)}" in response.text
    assert NEW_5_3 in response.text and OLD_5_3 not in response.text
    assert clause_notes(response) == []
    assert "not in force then" not in response.text


def test_the_day_before_reads_the_old_one_with_what_changed_since(
    client, policy, governance, staff, other_staff, supervisor
):
    second_version(policy, governance)
    before = SECOND_DAY - datetime.timedelta(days=1)
    case = raised(policy, staff, other_staff, before)
    response = page(client, supervisor, case)
    assert f"As they read in version 1, in force on {day(before)}" in response.text
    assert OLD_5_3 in response.text and NEW_5_3 not in response.text
    compare = reverse("policies:compare", args=[policy.slug]) + "?old=1&amp;new=2"
    # 5.2 is unchanged: no note. 5.3 changed, 10.3 is new.
    assert clause_notes(response) == [
        f'Clause 5.3 changed in version 2 on {day(SECOND_DAY)}: <a href="{compare}">see the difference</a>.',
        f'Clause 10.3 added in version 2 on {day(SECOND_DAY)}: <a href="{compare}">see the difference</a>.',
    ]
    assert "This clause did not exist in version 1" in response.text
    # 10.3 as it was cited, as version 1 had none.
    assert "Comments can be made in focuspolicy." in response.text


def test_the_difference_linked_is_the_comparison_of_the_two_versions(
    client, policy, governance, staff, other_staff, supervisor
):
    second_version(policy, governance)
    case = raised(policy, staff, other_staff, FIRST_DAY)
    client.force_login(supervisor)
    compare = client.get(reverse("policies:compare", args=[policy.slug]), {"old": 1, "new": 2})
    assert compare.status_code == 200
    kinds = {change.number: change.kind for change in compare.context["changes"]}
    assert kinds["5.3"] == "changed" and kinds["10.3"] == "added" and kinds["5.2"] == "unchanged"
    assert case.incident_on == FIRST_DAY


def test_a_version_without_an_effective_date_is_in_force_from_the_day_it_was_approved(
    client, policy, governance, staff, other_staff, supervisor
):
    second_version(policy, governance, effective=False)
    on_the_day = raised(policy, staff, other_staff, SECOND_DAY)
    the_day_before = raised(policy, staff, other_staff, SECOND_DAY - datetime.timedelta(days=1))
    assert "As they read in version 2" in page(client, supervisor, on_the_day).text
    assert "As they read in version 1" in page(client, supervisor, the_day_before).text


def test_before_the_first_version_the_clauses_read_as_cited(client, policy, staff, other_staff, supervisor):
    took_effect(policy.current_version(), FIRST_DAY)
    case = raised(policy, staff, other_staff, FIRST_DAY - datetime.timedelta(days=1), numbers=["5.3"])
    response = page(client, supervisor, case)
    assert "No version of the policy was in force on" in response.text
    assert OLD_5_3 in response.text


def test_a_draft_never_approved_is_never_in_force(client, policy, governance, staff, other_staff, supervisor):
    second_version(policy, governance)
    # A draft of a third text, dated as if it took effect: never approved, it never was.
    third = PolicyVersion.objects.create(
        policy=policy, number=3, source_text="x", content_hash="3" * 64, effective_date=SECOND_DAY
    )
    case = raised(policy, staff, other_staff, timezone.localdate())
    assert "As they read in version 2" in page(client, supervisor, case).text
    assert third.status == PolicyVersion.Status.DRAFT


# --- When it was posted or happened.


@pytest.fixture
def form_data(policy, other_staff):
    version = policy.current_version()
    return {
        "subject_kind": "colleague",
        "subject_person": other_staff.pk,
        "platform": "facebook",
        "seen_at": "2026-11-20T00:30",
        "description": "A photo of a service user.",
        "clauses": [version.clauses().get(number="5.2").pk],
        "route": "supervisor",
    }


def test_the_raise_form_takes_the_day_it_was_posted(client, staff, form_data):
    client.force_login(staff)
    response = client.post(reverse("cases:raise"), {**form_data, "incident_on": "2026-11-14"}, follow=True)
    case = response.context["case"]
    assert case.incident_on == datetime.date(2026, 11, 14)


def test_without_it_the_day_it_was_seen_is_taken(client, staff, form_data):
    client.force_login(staff)
    response = client.post(reverse("cases:raise"), form_data, follow=True)
    # 00:30 in London on 20 November: the local day, not UTC's.
    assert response.context["case"].incident_on == datetime.date(2026, 11, 20)


def test_it_cannot_be_after_the_day_it_was_seen(client, staff, form_data):
    client.force_login(staff)
    response = client.post(reverse("cases:raise"), {**form_data, "incident_on": "2026-11-21"})
    assert response.status_code == 200
    assert "That is after the day you saw it." in response.text


def test_the_anonymous_form_takes_it_too(client, policy, head_of_service):
    data = {
        "subject_kind": "public",
        "subject_description": "An account called Local News",
        "platform": "facebook",
        "seen_at": "2026-11-20T18:30",
        "incident_on": "2026-11-02",
        "description": "A photo of a service user.",
    }
    response = client.post(reverse("anonymous:report"), data)
    assert response.status_code == 200
    from cases.models import Case

    assert Case.objects.get().incident_on == datetime.date(2026, 11, 2)


# --- Whether the colleague it is about had acknowledged the clauses.


def acknowledgements_shown(response):
    table = re.search(r'<table[^>]*id="subject-acknowledgement".*?</table>', response.text, re.S)
    if table is None:
        return None
    rows = re.findall(r'<th scope="row"[^>]*>(.*?)</th>\s*<td[^>]*>(.*?)</td>', table[0], re.S)
    return dict(rows)


@pytest.fixture
def at_triage(policy, staff, other_staff, governance):
    """staff2's posting of today, cited 5.2, in triage with staff's supervisor."""
    case = raised(policy, staff, other_staff, timezone.localdate(), numbers=["5.2"])
    return case_moved_to(case, Stage.IN_TRIAGE, governance=governance)


def test_at_triage_a_colleague_who_did_not_acknowledge_is_shown(client, at_triage, supervisor):
    assert acknowledgements_shown(page(client, supervisor, at_triage)) == {
        "5.2": "Not acknowledged (version 1)"
    }


def test_at_triage_when_the_colleague_acknowledged_is_shown(
    client, policy, at_triage, supervisor, other_staff
):
    when = timezone.make_aware(datetime.datetime(2026, 2, 3, 10))
    Acknowledgement.objects.create(user=other_staff, version=policy.current_version(), acknowledged_at=when)
    shown = acknowledgements_shown(page(client, supervisor, at_triage))
    assert shown == {"5.2": "Acknowledged version 1 on 3 February 2026"}


def test_a_clause_re_acknowledged_shows_when(client, policy, governance, staff, other_staff, supervisor):
    client.force_login(other_staff)
    client.post(reverse("policies:acknowledge", args=[policy.slug]))
    second_version(policy, governance)
    client.post(reverse("policies:acknowledge_changes", args=[policy.slug]))
    case = raised(policy, staff, other_staff, timezone.localdate(), numbers=["5.2", "5.3"])
    today = day(timezone.localdate())
    assert acknowledgements_shown(page(client, supervisor, case)) == {
        "5.2": f"Acknowledged version 2 on {today}",
        "5.3": f"Re-acknowledged its change in version 2 on {today}",
    }


def test_only_the_version_in_force_counts(client, policy, governance, staff, other_staff, supervisor):
    """The colleague acknowledged version 2 only; the posting was under version 1, and 10.3 was not in it."""
    second_version(policy, governance)
    client.force_login(other_staff)
    client.post(reverse("policies:acknowledge", args=[policy.slug]))
    case = raised(policy, staff, other_staff, FIRST_DAY)
    assert acknowledgements_shown(page(client, supervisor, case)) == {
        "5.2": "Not acknowledged (version 1)",
        "5.3": "Not acknowledged (version 1)",
        "10.3": "Not part of version 1, in force then",
    }


@pytest.mark.parametrize(
    "who, sees",
    [
        ("supervisor", True),  # the handler
        ("governance", True),
        ("infosec", False),  # reads a flagged case for the breach alone
    ],
)
def test_who_sees_the_acknowledgements(client, request, at_triage, who, sees):
    if who == "infosec":
        from cases.breach import breach_clock_start

        request.getfixturevalue("infosec")
        breach_clock_start(case=at_triage, by=at_triage.handler)
        at_triage.refresh_from_db()
    response = page(client, request.getfixturevalue(who), at_triage)
    assert (acknowledgements_shown(response) is not None) is sees


@pytest.mark.parametrize("who", ["staff", "other_staff", "outsider", "hr"])
def test_others_see_nothing_of_them(client, request, at_triage, who):
    """The reporter reads their own page; the colleague it is about and anyone else get a 404."""
    client.force_login(request.getfixturevalue(who))
    response = client.get(at_triage.get_absolute_url())
    assert response.status_code == (200 if who == "staff" else 404)
    assert "subject-acknowledgement" not in response.text
    assert "Not acknowledged" not in response.text


def test_no_table_for_a_concern_about_someone_not_on_the_staff(client, policy, staff, supervisor):
    case = case_raised(policy, staff)
    response = page(client, supervisor, case)
    assert acknowledgements_shown(response) is None
    assert "As they read in version 1" in response.text


def test_a_case_with_no_day_reads_the_clauses_as_cited(client, policy, staff, other_staff, supervisor):
    """Rows written outside the app (the benchmarks' generated cases) may have none."""
    from cases.models import Case

    case = raised(policy, staff, other_staff, timezone.localdate(), numbers=["5.3"])
    Case.objects.filter(pk=case.pk).update(incident_on=None)
    response = page(client, supervisor, case)
    assert "As they read when the concern was raised." in response.text
    assert OLD_5_3 in response.text
