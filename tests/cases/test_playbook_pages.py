"""The playbook pages: the list of playbooks by clause, a clause's playbook (its steps and the form that
adds one), a step's change and delete. Only the Head of Business and Governance (cases.manage_all_cases)
gets past the door; everyone else gets a 404, as for the other governance pages. Every change is audited."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from cases.models import ActionKind, PlaybookStep

pytestmark = pytest.mark.django_db

ROLES = ["staff", "supervisor", "head_of_service", "hr", "infosec", "comms", "administrator", "outsider"]
NEW_STEP = {
    "label": "Send a removal request",
    "action": ActionKind.REMOVAL_REQUEST,
    "requirement": PlaybookStep.Requirement.REQUIRED,
    "working_days": "2",
    "starts_from": PlaybookStep.Start.REFERRED,
}


@pytest.fixture
def removal_step(policy):
    return PlaybookStep.objects.create(
        policy=policy,
        clause_number="2.5",
        action=ActionKind.REMOVAL_REQUEST,
        label="Send a removal request",
        working_days=2,
    )


def pages(policy, step):
    """(name, method, address, data) of every playbook page."""
    slug = policy.slug
    return [
        ("list", "get", reverse("cases:playbooks"), None),
        ("playbook", "get", reverse("cases:playbook", args=[slug, "2.5"]), None),
        ("add a step", "post", reverse("cases:playbook", args=[slug, "2.5"]), NEW_STEP),
        ("step", "get", reverse("cases:playbook_step", args=[slug, "2.5", step.pk]), None),
        ("change a step", "post", reverse("cases:playbook_step", args=[slug, "2.5", step.pk]), NEW_STEP),
        ("delete a step", "post", reverse("cases:playbook_step_delete", args=[slug, "2.5", step.pk]), {}),
    ]


PAGE_NAMES = ["list", "playbook", "add a step", "step", "change a step", "delete a step"]


@pytest.mark.parametrize("page", PAGE_NAMES)
@pytest.mark.parametrize("who", ROLES)
def test_only_the_governance_head_opens_the_playbook_pages(client, request, policy, removal_step, who, page):
    client.force_login(request.getfixturevalue(who))
    _, method, url, data = next(p for p in pages(policy, removal_step) if p[0] == page)
    response = getattr(client, method)(url, data) if method == "post" else client.get(url)
    assert response.status_code == 404
    assert PlaybookStep.objects.get() == removal_step
    assert PlaybookStep.objects.get().working_days == 2


@pytest.mark.parametrize("page", PAGE_NAMES)
def test_the_governance_head_opens_every_playbook_page(client, governance, policy, removal_step, page):
    client.force_login(governance)
    _, method, url, data = next(p for p in pages(policy, removal_step) if p[0] == page)
    response = getattr(client, method)(url, data) if method == "post" else client.get(url)
    assert response.status_code == (302 if method == "post" else 200)


def test_an_unknown_clause_or_a_step_of_another_clause_is_a_404(client, governance, policy, removal_step):
    client.force_login(governance)
    assert client.get(reverse("cases:playbook", args=[policy.slug, "99.9"])).status_code == 404
    url = reverse("cases:playbook_step", args=[policy.slug, "2.4", removal_step.pk])
    assert client.get(url).status_code == 404


def test_the_list_shows_each_clause_and_its_steps(client, governance, removal_step):
    client.force_login(governance)
    page = client.get(reverse("cases:playbooks")).text
    assert "Clause 2.5" in page and "Clause 10.1" in page
    assert "Send a removal request (required, within 2 working days of the referral)" in page


def test_the_clause_page_links_to_its_playbook_for_the_governance_head_only(
    client, governance, staff, policy
):
    url = reverse("policies:clause", args=[policy.slug, "2.5"])
    playbook = reverse("cases:playbook", args=[policy.slug, "2.5"])
    client.force_login(governance)
    assert playbook in client.get(url).text
    client.force_login(staff)
    assert playbook not in client.get(url).text


def audited(governance, text):
    return AuditEntry.objects.filter(actor=governance, action=AuditEntry.Action.CHANGE, what__contains=text)


def test_adding_changing_and_deleting_a_step_is_audited(client, governance, policy):
    client.force_login(governance)
    response = client.post(reverse("cases:playbook", args=[policy.slug, "2.5"]), NEW_STEP)
    assert response.status_code == 302
    step = PlaybookStep.objects.get()
    assert (step.clause_number, step.working_days, step.policy) == ("2.5", 2, policy)
    assert audited(governance, "added a step to the clause 2.5 playbook of the Social Media Policy").exists()

    changed = {**NEW_STEP, "working_days": "3"}
    client.post(reverse("cases:playbook_step", args=[policy.slug, "2.5", step.pk]), changed)
    step.refresh_from_db()
    assert step.working_days == 3
    entry = audited(governance, "changed a step of the clause 2.5 playbook").get()
    assert "within 2 working days" in entry.details["before"]
    assert "within 3 working days" in entry.what

    client.post(reverse("cases:playbook_step_delete", args=[policy.slug, "2.5", step.pk]))
    assert not PlaybookStep.objects.exists()
    assert audited(governance, "deleted a step of the clause 2.5 playbook").exists()


def test_a_required_step_must_name_its_action(client, governance, policy):
    client.force_login(governance)
    response = client.post(reverse("cases:playbook", args=[policy.slug, "2.5"]), {**NEW_STEP, "action": ""})
    assert response.status_code == 400
    assert "A required step names the action" in response.text
    assert not PlaybookStep.objects.exists()
    assert not audited(governance, "playbook").exists()


def test_a_step_to_consider_may_name_no_action(client, governance, policy):
    client.force_login(governance)
    data = {**NEW_STEP, "action": "", "requirement": PlaybookStep.Requirement.CONSIDER, "label": "Think"}
    assert client.post(reverse("cases:playbook", args=[policy.slug, "2.3"]), data).status_code == 302
    assert PlaybookStep.objects.get().action == ""
