"""seed_demo fills both registers with real-looking entries, and shows the one step from a 6.6 answer."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from business_use.models import ApprovedSite, BusinessUseRequest, OfficialAccount, State, Topic
from people.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_registers(client):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # safe to run twice
    comms, infosec = User.objects.get(username="comms"), User.objects.get(username="infosec")

    accounts = {account.code: account for account in OfficialAccount.objects.all()}
    assert accounts["focus_facebook"].handle == "@focuscare"
    assert accounts["services4me_twitter"].handle == "@Services4Me_"
    assert {account.service for account in accounts.values()} == {"focus", "Services4Me"}
    in_use = [account for account in accounts.values() if account.in_use]
    assert len(in_use) == 6 and all(list(account.posters.all()) == [comms] for account in in_use)
    assert [account.name for account in accounts.values() if not account.in_use] == [
        "focus Instagram (pilot)"
    ]

    sites = {site.name: site for site in ApprovedSite.objects.all()}
    assert {"LinkedIn", "FutureNHS workspaces", "Microsoft Teams communities (focus tenant)"} <= set(sites)
    assert any(name.startswith("Skills for Care") for name in sites)
    assert all(site.approved_by == infosec and site.conditions for site in sites.values())
    assert sites["FutureNHS workspaces"].from_request.site.startswith("FutureNHS")
    assert ApprovedSite.objects.filter(withdrawn_at__isnull=False).count() == 1
    assert OfficialAccount.objects.get(code="focus_facebook").changes.get().actor == comms

    # A second answered 6.6 question is left for the Head of Information & Security to add.
    waiting = BusinessUseRequest.objects.get(
        topic=Topic.ACCEPTABLE_SITES, state=State.ANSWERED, approved_site__isnull=True
    )
    client.force_login(infosec)
    page = client.get(waiting.get_absolute_url()).content.decode()
    assert reverse("business_use:site_add_from_request", args=[waiting.pk]) in page
    registers = client.get(reverse("business_use:registers")).content.decode()
    assert "@focuscare" in registers and "LinkedIn" in registers
