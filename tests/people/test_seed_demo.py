import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from people.models import User
from policies.models import Policy

pytestmark = pytest.mark.django_db

ACCOUNTS = [
    "staff",
    "supervisor",
    "headofservice",
    "governance",
    "infosec",
    "comms",
    "hr",
    "admin",
    "staff2",
    "supervisor2",
]


def test_seed_demo_creates_every_account_and_the_approved_policy(client):
    call_command("seed_demo")
    assert set(User.objects.values_list("username", flat=True)) >= set(ACCOUNTS)
    for username in ACCOUNTS:
        assert client.login(username=username, password="focus-demo-2026"), username
    policy = Policy.objects.get(slug="social-media-policy")
    assert policy.current_version().number == 1
    assert policy.owner.username == "governance"
    assert User.objects.get(username="staff").line_manager.username == "supervisor"
    assert User.objects.get(username="staff2").team.name != User.objects.get(username="staff").team.name


def test_seed_demo_is_safe_to_run_twice():
    call_command("seed_demo")
    counts = (User.objects.count(), Policy.objects.get().versions.count())
    call_command("seed_demo")
    assert (User.objects.count(), Policy.objects.get().versions.count()) == counts


def test_every_demo_role_sees_its_own_navigation(client):
    call_command("seed_demo")
    client.login(username="supervisor", password="focus-demo-2026")
    page = client.get("/policies/social-media-policy/")
    assert "Who has acknowledged it" in page.text
    client.login(username="staff", password="focus-demo-2026")
    assert "Who has acknowledged it" not in client.get("/policies/social-media-policy/").text
    assert "Policies to read and acknowledge" in client.get(reverse("home")).text


def test_seed_demo_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="refuses to run in production"):
        call_command("seed_demo")
    assert not User.objects.exists()
