"""The governance queue lists the open cases of handlers who have left, for reassignment."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Stage
from people.roles import Role
from people.tasks import leavers_sweep
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("cases:governance_queue")
SECTION = "Open cases of people who have left: reassign"


@pytest.fixture
def handled(raise_case, move_to, staff, supervisor):
    """Two cases the supervisor handles, one open and one closed."""
    return {"open": raise_case(staff), "closed": move_to(raise_case(staff), Stage.CLOSED_AT_TRIAGE)}


@pytest.fixture
def left(supervisor, handled):
    supervisor.left_on = timezone.localdate() - datetime.timedelta(days=1)
    supervisor.save()
    leavers_sweep()
    return supervisor


def test_the_governance_head_sees_the_open_cases_of_a_handler_who_left(client, governance, handled, left):
    open_case, closed = handled["open"], handled["closed"]
    assert open_case.handler == closed.handler == left
    client.force_login(governance)
    page = client.get(QUEUE).text
    assert SECTION in page
    section = page.split(SECTION)[1]
    assert f'href="{open_case.get_absolute_url()}"' in section
    assert closed.reference not in section


def test_the_case_of_a_handler_still_here_is_not_listed(client, governance, case_about_colleague):
    client.force_login(governance)
    assert SECTION not in client.get(QUEUE).text


def test_the_governance_head_reassigns_a_leavers_case(client, governance, case_about_colleague, supervisor):
    # Not staff2's own supervisor, who manages the subject (cases.conflicts).
    other_supervisor = UserFactory(username="supervisor3", roles=[Role.SUPERVISOR])
    supervisor.left_on = timezone.localdate()
    supervisor.save()  # Listed before the sweep has run.
    client.force_login(governance)
    assert case_about_colleague.reference in client.get(QUEUE).text.split(SECTION)[1]
    client.post(
        reverse("cases:reassign", args=[case_about_colleague.reference]),
        {"to": other_supervisor.pk, "reason": "Supervisor has left."},
    )
    assert SECTION not in client.get(QUEUE).text


def test_nobody_else_sees_the_list(client, staff, left):
    client.force_login(staff)
    assert client.get(QUEUE).status_code == 404


def test_the_home_page_counts_them_for_the_governance_head(client, governance, left):
    client.force_login(governance)
    assert "Open cases of people who have left</a>: 1 to reassign" in client.get(reverse("home")).text
