"""The home page's cost: each role's queues are counted in one query (a queue that lists fewer rows than
QUEUE_ROWS counts itself), so its queries do not grow with the number of queues or of cases; and a queue
longer than it lists still shows its whole count, capped at 99 ("99+")."""

import re

import pytest
from django.urls import reverse

from cases.models import Stage
from reminders.due import QUEUE_ROWS
from tests.factories import case_raised

pytestmark = pytest.mark.django_db

# What each role's home page may cost, with one case raised: the session, the person, their roles, the
# navigation's probe and badge (as every page), one query for each of their queues' rows (and the limits
# the rows' deadlines need), one counting the long queues with the page's other counts, the policies to
# acknowledge and the summary of those the person oversees. A query per queue more (each counting
# itself again) fails here.
HOME_QUERIES = {
    "staff": 7,
    "supervisor": 14,
    "head_of_service": 13,
    "governance": 14,
    "hr": 10,
    "comms": 8,
    "infosec": 10,
    "outsider": 7,
}


def home(client, user=None):
    """The home page's text, signed in as `user` (or as before)."""
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.text


def shown_count(page, key):
    """The count in a queue's heading, as shown: "3", "99+"."""
    found = re.search(rf'<h2 id="queue-{key}">[^<]+<span class="count">\(([^)]+)\)</span>', page)
    assert found, f"No queue {key!r} on the page."
    return found.group(1)


def rows_shown(page, key):
    section = re.search(rf'<h2 id="queue-{key}">.*?</section>', page, re.S)
    return len(re.findall(r"<tr[ >]", section.group(0))) - 1  # less the header's row


@pytest.mark.parametrize("who", HOME_QUERIES)
def test_each_roles_home_counts_its_queues_together(
    client, request, policy, staff, django_assert_max_num_queries, who
):
    user = request.getfixturevalue(who)
    case_raised(policy, staff)
    home(client, user)
    with django_assert_max_num_queries(HOME_QUERIES[who]):
        home(client)


def test_long_queues_are_counted_in_the_same_one_query(
    client, policy, staff, supervisor, django_assert_max_num_queries
):
    case_raised(policy, staff)
    home(client, supervisor)
    with django_assert_max_num_queries(HOME_QUERIES["supervisor"]) as short:
        home(client)
    for _ in range(QUEUE_ROWS):
        case_raised(policy, staff)
    with django_assert_max_num_queries(len(short)):
        page = home(client)
    # Both of the supervisor's case queues are now longer than they list.
    assert shown_count(page, "triage") == shown_count(page, "reporter_feedback") == str(QUEUE_ROWS + 1)


def test_a_queue_longer_than_it_lists_shows_its_whole_count(client, policy, staff, supervisor):
    for _ in range(QUEUE_ROWS + 1):
        case_raised(policy, staff)
    page = home(client, supervisor)
    assert shown_count(page, "triage") == str(QUEUE_ROWS + 1)
    assert rows_shown(page, "triage") == QUEUE_ROWS
    assert f"Your triage queue</a>: {QUEUE_ROWS + 1} to triage" in page
    assert f"Your concerns</a>: {QUEUE_ROWS + 1} open" in home(client, staff)


def test_a_queue_of_exactly_the_rows_it_lists_counts_them(client, policy, staff, supervisor):
    for _ in range(QUEUE_ROWS):
        case_raised(policy, staff)
    page = home(client, supervisor)
    assert shown_count(page, "triage") == str(QUEUE_ROWS)
    assert rows_shown(page, "triage") == QUEUE_ROWS


def test_past_99_the_count_is_capped(client, policy, staff, supervisor, governance):
    for _ in range(100):
        case_raised(policy, staff)
    page = home(client, supervisor)
    assert shown_count(page, "triage") == shown_count(page, "reporter_feedback") == "99+"
    assert "Your triage queue</a>: 99+ to triage" in page
    assert rows_shown(page, "triage") == QUEUE_ROWS
    # The navigation's count of the person's work, refreshed by the home page: capped too.
    assert '>Home <span class="badge">99+<' in page
    # The line about leavers' cases is not capped: they are to be reassigned, every one.
    supervisor.is_active = False
    supervisor.save()
    page = home(client, governance)
    assert shown_count(page, "leavers") == "99+"
    assert "Open cases of people who have left</a>: 100 to reassign" in page


def test_a_short_queue_counts_the_rows_it_lists(client, policy, staff, supervisor, move_to):
    cases = [case_raised(policy, staff) for _ in range(3)]
    move_to(cases[0], Stage.CLOSED_AT_TRIAGE)
    page = home(client, supervisor)
    assert shown_count(page, "triage") == "2"
    assert rows_shown(page, "triage") == 2
    assert "Your triage queue</a>: 2 to triage" in page


def test_the_leavers_line_counts_every_open_case_of_a_leaver(client, policy, staff, supervisor, governance):
    for _ in range(QUEUE_ROWS + 1):
        case_raised(policy, staff)
    supervisor.is_active = False
    supervisor.save()
    page = home(client, governance)
    assert shown_count(page, "leavers") == str(QUEUE_ROWS + 1)
    assert f"Open cases of people who have left</a>: {QUEUE_ROWS + 1} to reassign" in page
