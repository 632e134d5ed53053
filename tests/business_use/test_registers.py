"""The registers of section 6 through their pages: adding, changing and retiring entries with every change
in the entry's history, the official-post form offering the accounts in use, bad input shown as form errors,
and an answered 6.6 question added to the register of approved sites in one step."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from business_use.models import Account, ApprovedSite, BusinessUseRequest, Kind, OfficialAccount, State, Topic

pytestmark = pytest.mark.django_db


def test_the_register_starts_with_the_accounts_of_6_1():
    names = dict(OfficialAccount.objects.values_list("code", "name"))
    assert names == {account.value: account.label for account in Account}


def test_the_communications_team_add_an_account_and_name_who_may_post_on_it(client, comms):
    client.force_login(comms)
    data = {
        "name": "focus LinkedIn",
        "service": "focus",
        "platform": "LinkedIn",
        "handle": "focus-care",
        "link": "https://linkedin.example/company/focus-care",
        "posters": [comms.pk],
    }
    response = client.post(reverse("business_use:account_add"), data)
    account = OfficialAccount.objects.get(name="focus LinkedIn")
    assert response.status_code == 302 and response["Location"] == account.get_absolute_url()
    assert account.code == "focus_linkedin" and list(account.posters.all()) == [comms]
    (change,) = account.changes.all()
    assert (change.label, change.actor) == ("Added", comms)
    assert {"field": "handle", "from": "", "to": "focus-care"} in change.changes
    assert AuditEntry.objects.filter(what__contains="focus LinkedIn: added", actor=comms).exists()


def test_a_change_is_recorded_with_who_when_and_what_and_shown_on_the_entry(client, comms, staff):
    account = OfficialAccount.objects.get(code=Account.FOCUS_TWITTER)
    client.force_login(comms)
    data = {
        "name": "focus X",
        "service": "focus",
        "platform": "X",
        "handle": "@focus_care",
        "posters": [comms.pk],
    }
    assert client.post(reverse("business_use:account_edit", args=[account.pk]), data).status_code == 302
    account.refresh_from_db()
    assert (account.code, account.name) == (Account.FOCUS_TWITTER, "focus X")
    (change,) = account.changes.all()
    assert change.actor == comms and change.label == "Changed"
    assert {"field": "name", "from": "focus Twitter", "to": "focus X"} in change.changes
    assert {"field": "who may post on it", "from": "", "to": str(comms)} in change.changes
    client.force_login(staff)
    page = client.get(account.get_absolute_url()).content.decode()
    assert "History" in page and "“focus Twitter” → “focus X”" in page and str(comms) in page


def test_saving_an_entry_unchanged_changes_nothing(client, comms):
    account = OfficialAccount.objects.get(code=Account.FOCUS_BLOG)
    client.force_login(comms)
    data = {"name": account.name, "service": account.service, "platform": account.platform}
    response = client.post(reverse("business_use:account_edit", args=[account.pk]), data)
    assert response.status_code == 400 and "Nothing was changed." in response.content.decode()
    assert not account.changes.exists()


def test_a_retired_account_is_no_longer_offered_for_a_post(client, comms, staff):
    account = OfficialAccount.objects.get(code=Account.SERVICES4ME_TWITTER)
    client.force_login(comms)
    response = client.post(reverse("business_use:account_retire", args=[account.pk]), {"note": "Closed."})
    assert response.status_code == 302
    account.refresh_from_db()
    assert not account.in_use
    assert account.changes.get().note == "Closed."

    client.force_login(staff)
    form = client.get(reverse("business_use:new", args=["official-post"])).content.decode()
    assert 'value="focus_facebook"' in form and 'value="services4me_twitter"' not in form
    data = {"account": Account.SERVICES4ME_TWITTER, "content": "News."}
    response = client.post(reverse("business_use:new", args=["official-post"]), data)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not BusinessUseRequest.objects.exists()


def test_a_new_account_is_offered_for_a_post_and_the_request_names_it(client, comms, staff):
    client.force_login(comms)
    client.post(
        reverse("business_use:account_add"),
        {"name": "focus LinkedIn", "service": "focus", "platform": "LinkedIn"},
    )
    client.force_login(staff)
    data = {"account": "focus_linkedin", "content": "Our new service opens in March."}
    response = client.post(reverse("business_use:new", args=["official-post"]), data)
    request = BusinessUseRequest.objects.get()
    assert response.status_code == 302 and request.account == "focus_linkedin"
    assert request.account_name() == "focus LinkedIn"
    assert "focus LinkedIn" in client.get(request.get_absolute_url()).content.decode()
    assert "focus LinkedIn" in client.get(reverse("business_use:list")).content.decode()


@pytest.mark.parametrize(
    "page, data, errors",
    [
        (
            "business_use:account_add",
            {"name": "", "service": "", "platform": ""},
            ["This field is required."],
        ),
        (
            "business_use:account_add",
            {"name": "X", "service": "focus", "platform": "X", "link": "not a link"},
            ["Enter a valid URL."],
        ),
        (
            "business_use:account_add",
            {"name": "X" * 101, "service": "focus", "platform": "X"},
            ["at most 100"],
        ),
    ],
)
def test_bad_input_to_the_accounts_register_is_shown_on_the_form(client, comms, page, data, errors):
    client.force_login(comms)
    response = client.post(reverse(page), data)
    assert response.status_code == 400
    assert all(error in response.content.decode() for error in errors)
    assert OfficialAccount.objects.count() == len(Account)


def test_only_the_communications_team_may_post_on_an_official_account(client, comms, staff):
    client.force_login(comms)
    data = {"name": "focus LinkedIn", "service": "focus", "platform": "LinkedIn", "posters": [staff.pk]}
    response = client.post(reverse("business_use:account_add"), data)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not OfficialAccount.objects.filter(name="focus LinkedIn").exists()


SITE = {
    "name": "FutureNHS",
    "link": "https://future.nhs.uk",
    "purpose": "Workspaces with the NHS.",
    "conditions": "Your focus e-mail address only.",
    "approved_on": "2026-11-01",
    "review_on": "2027-11-01",
}


def test_the_head_of_information_and_security_approve_a_site(client, infosec):
    client.force_login(infosec)
    response = client.post(reverse("business_use:site_add"), SITE)
    site = ApprovedSite.objects.get()
    assert response.status_code == 302 and response["Location"] == site.get_absolute_url()
    assert (site.approved_by, str(site.approved_on), site.from_request) == (infosec, "2026-11-01", None)
    assert site.changes.get().label == "Added"


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"review_on": "2026-10-01"}, "The review date cannot be before the approval."),
        ({"conditions": ""}, "This field is required."),
        ({"approved_on": "yesterday"}, "Enter a valid date."),
        ({"link": "javascript:alert(1)"}, "Enter a valid URL."),
        ({"purpose": "x" * 20_001}, "Write at most 20000 characters here"),
    ],
)
def test_bad_input_to_the_sites_register_is_shown_on_the_form(client, infosec, changes, error):
    client.force_login(infosec)
    response = client.post(reverse("business_use:site_add"), {**SITE, **changes})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not ApprovedSite.objects.exists()


def test_a_withdrawn_site_stays_in_the_register_marked_withdrawn(client, infosec, staff):
    client.force_login(infosec)
    client.post(reverse("business_use:site_add"), SITE)
    site = ApprovedSite.objects.get()
    response = client.post(reverse("business_use:site_withdraw", args=[site.pk]), {"note": "Closed to care."})
    assert response.status_code == 302
    client.force_login(staff)
    page = client.get(reverse("business_use:registers")).content.decode()
    assert "Sites and tools no longer approved" in page and "FutureNHS" in page
    assert "Withdrawn" in client.get(site.get_absolute_url()).content.decode()
    assert [change.label for change in site.changes.all()] == ["Added", "Withdrawn"]


# One step from the answer to a 6.6 question to the register.


@pytest.fixture
def answered(make_request):
    return make_request(Kind.ADVICE, State.ANSWERED, site="FutureNHS", links="https://future.nhs.uk")


def test_the_keeper_adds_an_answered_6_6_question_to_the_register_in_one_step(
    client, infosec, staff, answered
):
    client.force_login(infosec)
    request_page = client.get(answered.get_absolute_url()).content.decode()
    add = reverse("business_use:site_add_from_request", args=[answered.pk])
    assert "Add to the approved sites register" in request_page and add in request_page

    form = client.get(add)
    assert form.status_code == 200
    assert form.context["form"].initial == {
        "name": "FutureNHS",
        "link": "https://future.nhs.uk",
        "purpose": answered.content,
        "conditions": answered.decision_text,
    }
    data = {**SITE, "purpose": answered.content, "conditions": answered.decision_text}
    response = client.post(add, data)
    site = ApprovedSite.objects.get()
    assert response.status_code == 302 and response["Location"] == site.get_absolute_url()
    assert site.from_request == answered and site.conditions == answered.decision_text
    assert site.changes.get().note == f"From the answer to {answered.reference}."

    # Linked both ways, for everyone who may see each page.
    site_page = client.get(site.get_absolute_url()).content.decode()
    assert answered.get_absolute_url() in site_page
    client.force_login(staff)
    request_page = client.get(answered.get_absolute_url()).content.decode()
    assert site.get_absolute_url() in request_page and add not in request_page

    # Once only.
    client.force_login(infosec)
    again = client.get(add)
    assert again.status_code == 302 and again["Location"] == answered.get_absolute_url()
    assert client.post(add, data).status_code == 302
    assert ApprovedSite.objects.count() == 1


@pytest.mark.parametrize(
    "role, status",
    [("comms", 403), ("head_of_service", 403), ("governance", 403), ("staff", 403), ("outsider", 404)],
)
def test_only_the_keeper_may_add_an_answer_to_the_register(request, client, answered, role, status):
    client.force_login(request.getfixturevalue(role))
    add = reverse("business_use:site_add_from_request", args=[answered.pk])
    if status == 403:
        assert add not in client.get(answered.get_absolute_url()).content.decode()
    assert client.get(add).status_code == status
    assert client.post(add, SITE).status_code == status
    assert not ApprovedSite.objects.exists()


@pytest.mark.parametrize(
    "kind, state, fields",
    [
        (Kind.ADVICE, State.WITH_COMMUNICATIONS, {}),
        (Kind.ADVICE, State.WITHDRAWN, {}),
    ],
)
def test_a_question_not_yet_answered_cannot_be_added(client, infosec, make_request, kind, state, fields):
    question = make_request(kind, state, **fields)
    client.force_login(infosec)
    assert (
        "Add to the approved sites register" not in client.get(question.get_absolute_url()).content.decode()
    )
    add = reverse("business_use:site_add_from_request", args=[question.pk])
    assert client.post(add, SITE)["Location"] == question.get_absolute_url()
    assert not ApprovedSite.objects.exists()


def test_an_answer_about_using_social_media_is_not_for_the_register(
    client, infosec, governance, make_request
):
    question = make_request(Kind.ADVICE, State.ANSWERED, topic=Topic.USING_SOCIAL_MEDIA)
    infosec.groups.add(*governance.groups.all())  # so that the request is open to them
    client.force_login(infosec)
    page = client.get(question.get_absolute_url())
    assert page.status_code == 200 and "Add to the approved sites register" not in page.content.decode()
    add = reverse("business_use:site_add_from_request", args=[question.pk])
    assert client.post(add, SITE)["Location"] == question.get_absolute_url()
    assert not ApprovedSite.objects.exists()


def test_an_approval_due_for_review_says_so(client, infosec, staff):
    client.force_login(infosec)
    client.post(
        reverse("business_use:site_add"), {**SITE, "approved_on": "2025-01-01", "review_on": "2026-01-01"}
    )
    client.post(reverse("business_use:site_add"), {**SITE, "name": "Later", "review_on": "2099-01-01"})
    client.force_login(staff)
    page = client.get(reverse("business_use:registers")).content.decode()
    assert page.count("<strong>due</strong>") == 1
