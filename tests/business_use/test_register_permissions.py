"""Who may open and change the registers: every role × every register page × entries in use and not.
Everyone signed in reads both registers; only the communications team keep the official accounts, and only
the Head of Information & Security the approved sites. Others are refused with a 403 (the entries are no
secret), and an entry no longer in use cannot be changed by anyone (404)."""

import pytest
from django.urls import reverse

from business_use.models import OfficialAccount

pytestmark = pytest.mark.django_db

ROLES = [
    "staff",
    "supervisor",
    "head_of_service",
    "governance",
    "hr",
    "administrator",
    "outsider",
    "comms",
    "infosec",
]
KEEPER = {"account": "comms", "site": "infosec"}

# page: (register, entries it is tried with (None: a page of no entry), whether only the keeper may open it)
PAGES = {
    "business_use:registers": (None, [None], False),
    "business_use:account": ("account", ["account", "retired_account"], False),
    "business_use:account_add": ("account", [None], True),
    "business_use:account_edit": ("account", ["account", "retired_account"], True),
    "business_use:account_retire": ("account", ["account", "retired_account"], True),
    "business_use:site": ("site", ["site", "withdrawn_site"], False),
    "business_use:site_add": ("site", [None], True),
    "business_use:site_edit": ("site", ["site", "withdrawn_site"], True),
    "business_use:site_withdraw": ("site", ["site", "withdrawn_site"], True),
}
CASES = [(page, entry) for page, (_, entries, _) in PAGES.items() for entry in entries]


def expected_status(role, page, entry):
    register, _, keeper_only = PAGES[page]
    if not keeper_only:
        return 200
    if role != KEEPER[register]:
        return 403
    # A retired account or a withdrawn site is kept as it was.
    return 404 if entry in ("retired_account", "withdrawn_site") else 200


def url(page, register, entry):
    return reverse(page, args=[register[entry].pk]) if entry else reverse(page)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("page", "entry"), CASES)
def test_who_may_open_each_register_page(request, client, register, role, page, entry):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url(page, register, entry)).status_code == expected_status(role, page, entry)


@pytest.mark.parametrize(("page", "entry"), CASES)
def test_anonymous_visitors_are_sent_to_sign_in(client, register, page, entry):
    response = client.get(url(page, register, entry))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


CHANGES = {
    "business_use:account_edit": ("account", {"name": "Changed", "service": "focus", "platform": "Facebook"}),
    "business_use:account_retire": ("account", {"note": "No longer used."}),
    "business_use:site_edit": (
        "site",
        {"name": "Changed", "purpose": "x", "conditions": "y", "approved_on": "2026-12-01"},
    ),
    "business_use:site_withdraw": ("site", {"note": "No longer approved."}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", CHANGES)
def test_only_the_keeper_can_change_an_entry(request, client, register, role, page):
    entry_name, data = CHANGES[page]
    entry = register[entry_name]
    before = (entry.name, entry.in_use, entry.changes.count())
    client.force_login(request.getfixturevalue(role))
    response = client.post(reverse(page, args=[entry.pk]), data)
    entry.refresh_from_db()
    if role == KEEPER[entry_name]:
        assert response.status_code == 302
        assert (entry.name, entry.in_use, entry.changes.count()) != before
    else:
        assert response.status_code == 403
        assert (entry.name, entry.in_use, entry.changes.count()) == before


@pytest.mark.parametrize("role", ROLES)
def test_only_the_keepers_see_the_buttons_to_change_the_registers(request, client, register, role):
    client.force_login(request.getfixturevalue(role))
    page = client.get(reverse("business_use:registers")).content.decode()
    account = client.get(register["account"].get_absolute_url()).content.decode()
    site = client.get(register["site"].get_absolute_url()).content.decode()
    assert (reverse("business_use:account_add") in page) == (role == "comms")
    assert (reverse("business_use:account_edit", args=[register["account"].pk]) in account) == (
        role == "comms"
    )
    assert (reverse("business_use:site_add") in page) == (role == "infosec")
    assert (reverse("business_use:site_edit", args=[register["site"].pk]) in site) == (role == "infosec")


def test_everyone_reads_both_registers_from_the_navigation(client, staff, register):
    client.force_login(staff)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("business_use:registers")}"' in home
    page = client.get(reverse("business_use:registers")).content.decode()
    assert "focus Facebook" in page and "LinkedIn" in page
    assert OfficialAccount.objects.get(pk=register["retired_account"].pk).name in page
