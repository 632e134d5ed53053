import io

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


@pytest.fixture(scope="class")
def demo(build_once):
    """The demo data, made once for TestTheDemo (seed_demo is slow); each test's changes are rolled back."""
    yield from build_once(lambda: call_command("seed_demo", stdout=io.StringIO()))


def test_seed_demo_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="refuses to run in production"):
        call_command("seed_demo")
    assert not User.objects.exists()


class TestTheDemo:
    """seed_demo is slow: the demo is made once for these tests (and run once more by those that run it
    twice)."""

    def test_seed_demo_creates_every_account_and_the_approved_policy(self, client, demo):
        assert set(User.objects.values_list("username", flat=True)) >= set(ACCOUNTS)
        for username in ACCOUNTS:
            assert client.login(username=username, password="focus-demo-2026"), username
        policy = Policy.objects.get(slug="social-media-policy")
        assert policy.current_version().number == 1
        assert policy.owner.username == "governance"
        assert User.objects.get(username="staff").line_manager.username == "supervisor"
        assert User.objects.get(username="staff2").team.name != User.objects.get(username="staff").team.name

    def test_the_demo_audit_trail_verifies(self, demo):
        out = io.StringIO()
        call_command("verify_audit", stdout=out)
        assert out.getvalue().startswith("Audit chain whole:")
        assert "no entries yet" not in out.getvalue()

    def test_seed_demo_is_safe_to_run_twice(self, demo):
        counts = (User.objects.count(), Policy.objects.get().versions.count())
        call_command("seed_demo")
        assert (User.objects.count(), Policy.objects.get().versions.count()) == counts

    def test_every_demo_role_sees_its_own_navigation(self, client, demo):
        client.login(username="supervisor", password="focus-demo-2026")
        page = client.get("/policies/social-media-policy/")
        assert "Who has acknowledged it" in page.text
        client.login(username="staff", password="focus-demo-2026")
        assert "Who has acknowledged it" not in client.get("/policies/social-media-policy/").text
        assert "Policies to read and acknowledge" in client.get(reverse("home")).text

    def test_demo_cases_cover_every_stage_and_each_role_sees_its_own_slice(self, client, demo):
        from cases.access import case_relation
        from cases.models import Case, Stage

        call_command("seed_demo")  # the second run, on top of the module's first
        cases = list(Case.objects.all())
        assert {case.stage for case in cases} == set(Stage.values)
        staff2 = User.objects.get(username="staff2")
        about_staff2 = [case for case in cases if case.subject_person_id == staff2.pk]
        assert about_staff2 and all(case_relation(staff2, case) is None for case in about_staff2)
        assert any(
            case.reporter == staff2 and case.subject_person.team.name == "Community Support" for case in cases
        )
        slices = {
            username: {case.pk for case in cases if case_relation(User.objects.get(username=username), case)}
            for username in (
                "staff",
                "staff2",
                "supervisor",
                "supervisor2",
                "headofservice",
                "governance",
                "hr",
            )
        }
        by_reporter = {
            name: {c.pk for c in cases if c.reporter.username == name} for name in ("staff", "staff2")
        }
        assert slices["staff"] == by_reporter["staff"]
        assert slices["staff2"] == by_reporter["staff2"]
        assert slices["supervisor"] and slices["supervisor"] < by_reporter["staff"]
        assert slices["headofservice"] == by_reporter["staff"] - slices["supervisor"]
        assert slices["supervisor2"] == by_reporter["staff2"]
        assert slices["governance"] == {c.pk for c in cases}
        assert slices["hr"] == set()
        client.login(username="staff2", password="focus-demo-2026")
        for case in about_staff2:
            assert client.get(case.get_absolute_url()).status_code == 404

    def test_the_demo_has_playbooks_a_checklist_and_a_clause_flagged_for_review(self, client, demo):
        from cases.models import Case, PlaybookStep
        from policies.models import ClauseFlag

        assert sorted(PlaybookStep.objects.values_list("clause_number", flat=True)) == ["2.3", "2.4", "2.5"]
        flag = ClauseFlag.objects.get()
        assert (flag.clause_number, flag.reason) == ("2.3", ClauseFlag.Reason.POLICY_UNCLEAR)
        client.login(username="governance", password="focus-demo-2026")
        case = Case.objects.filter(clauses__number="2.4").get()
        page = client.get(case.get_absolute_url()).text
        assert "Playbook checklist" in page and "Consider a disciplinary referral to HR" in page
