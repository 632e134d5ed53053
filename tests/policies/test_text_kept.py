"""Each web process keeps a version's text (policies.selectors): a second visit reads no section, clause or
item, and a newly approved version is shown with its own text at once."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from policies.services import version_approve


def _text_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    tables = ("policies_section", "policies_clause", "policies_clauseitem")
    read = [q["sql"] for q in queries if any(f'FROM "{table}"' in q["sql"] for table in tables)]
    return response, read


def test_a_second_visit_reads_none_of_the_text(client, process_cache, staff, policy):
    client.force_login(staff)
    url = reverse("policies:clause", args=[policy.slug, "5.3"])
    first, read = _text_queries(client, url)
    assert len(read) == 3
    second, read = _text_queries(client, url)
    assert read == []
    assert second.text.count("clause-5.3") == first.text.count("clause-5.3") > 0


def test_a_new_version_shows_its_own_text(client, process_cache, staff, governance, policy, draft_v2):
    client.force_login(staff)
    url = reverse("policies:policy", args=[policy.slug])
    assert 'id="clause-10.3"' not in client.get(url).text
    version_approve(version=draft_v2, by=governance)
    assert 'id="clause-10.3"' in client.get(url).text


def test_a_superseded_version_kept_drawn_links_its_clauses_to_itself(
    client, process_cache, staff, governance, policy, draft_v2
):
    # The text is drawn once per process; a clause's address is the current one's until it is superseded.
    client.force_login(staff)
    first = policy.current_version()
    version_url = reverse("policies:version", args=[policy.slug, first.number])
    current_link = reverse("policies:clause", args=[policy.slug, "5.3"])
    versioned_link = reverse("policies:version_clause", args=[policy.slug, first.number, "5.3"])
    assert f'href="{current_link}"' in client.get(version_url).text
    version_approve(version=draft_v2, by=governance)
    page = client.get(version_url).text
    assert f'href="{versioned_link}"' in page
    assert f'href="{current_link}"' not in page
