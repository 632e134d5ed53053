"""Finding a case by a word (`q`): on All cases and the API alike, in what was seen, the links, a reference,
a person's name or an evidence file name; combined with the other filters; each result says why it matched;
and the search never shows a case the list would not."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cases.models import Platform, SubjectKind
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ALL = reverse("cases:all")
API = reverse("api:case-list")


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def found(settings, tmp_path, raise_case, staff, other_staff, governance):
    settings.MEDIA_ROOT = tmp_path / "media"
    return {
        "rota": raise_case(staff, description="A post mocking the night shift rota and a named resident."),
        "party": raise_case(
            staff,
            description="Photos from a party.",
            platform=Platform.LINKEDIN,
            evidence_files=[SimpleUploadedFile("christmas-party.png", png(), content_type="image/png")],
        ),
        "link": raise_case(staff, links="https://tiktok.example/@nightcarer\nhttps://x.example/1"),
        "colleague": raise_case(
            staff, subject_kind=SubjectKind.COLLEAGUE, subject_person=other_staff, subject_description=""
        ),
        # About the governance head: never in their list, whatever it matches.
        "about_governance": raise_case(
            staff,
            subject_kind=SubjectKind.COLLEAGUE,
            subject_person=governance,
            subject_description="",
            description="Their post about the night shift rota.",
        ),
    }


def listed(client, **query):
    response = client.get(ALL, query)
    assert response.status_code == 200
    return response, re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def test_words_of_what_was_seen_find_the_case_and_say_so(client, governance, found):
    client.force_login(governance)
    response, references = listed(client, q="rota")
    assert references == [found["rota"].reference]
    assert "Matched: what was seen" in response.content.decode()


def test_no_match_lists_nothing(client, governance, found):
    client.force_login(governance)
    response, references = listed(client, q="zebra crossing")
    assert references == []
    assert "No cases to show." in response.content.decode()


@pytest.mark.parametrize(
    ("key", "query", "reason"),
    [
        ("link", "nightcarer", "links"),
        ("party", "christmas-party", "evidence: christmas-party.png"),
    ],
)
def test_links_and_evidence_file_names_are_searched(client, governance, found, key, query, reason):
    client.force_login(governance)
    response, references = listed(client, q=query)
    assert references == [found[key].reference]
    assert f"Matched: {reason}" in response.content.decode()


def test_a_persons_name_finds_the_cases_about_them(client, governance, found, other_staff):
    client.force_login(governance)
    response, references = listed(client, q=other_staff.get_full_name())
    assert references == [found["colleague"].reference]
    assert "Matched: subject&#x27;s name" in response.content.decode()


def test_part_of_a_reference_finds_the_case(client, governance, found):
    client.force_login(governance)
    reference = found["party"].reference
    response, references = listed(client, q=reference[-6:])
    assert reference in references
    assert "Matched: reference" in response.content.decode()


def test_search_combines_with_the_other_filters(client, governance, found):
    client.force_login(governance)
    _, with_platform = listed(client, q="party", platform=Platform.LINKEDIN)
    _, other_platform = listed(client, q="party", platform=Platform.FACEBOOK)
    assert with_platform == [found["party"].reference]
    assert other_platform == []


def test_a_case_about_the_reader_is_never_found(client, governance, found):
    client.force_login(governance)
    _, references = listed(client, q="night shift rota")
    assert found["about_governance"].reference not in references
    assert references == [found["rota"].reference]


def test_the_api_searches_only_the_cases_its_reader_handles(client, supervisor, found, raise_case):
    # staff's concerns go to their supervisor; someone else's (another team) go elsewhere.
    elsewhere = raise_case(UserFactory(), description="Another night shift rota post.")
    client.force_login(supervisor)
    response = client.get(API, {"q": "rota"})
    assert response.status_code == 200
    references = {row["reference"] for row in response.json()["results"]}
    assert found["rota"].reference in references
    assert elsewhere.reference not in references
    assert found["about_governance"].reference in references  # Supervisor handles it; it is not about them.


def test_too_short_a_search_is_refused_with_a_message_and_the_list_kept(client, governance, found):
    client.force_login(governance)
    response, references = listed(client, q="ro")
    assert "Search: Ensure this value has at least 3 characters" in response.content.decode()
    assert len(references) == 4  # Every case but the one about the reader.


# --- Saved filters and the remembered sort ------------------------------------------------------------------

SAVE = reverse("cases:save_filters")


def test_filters_saved_under_a_name_are_listed_and_open_the_list_filtered(client, governance, found):
    client.force_login(governance)
    response = client.post(SAVE, {"name": "  Rota   posts ", "query": "q=rota&cursor=abc"}, follow=True)
    assert response.status_code == 200
    assert "Filters saved as “Rota posts”." in response.text
    saved = governance.saved_case_filters.get()
    assert saved.query == "q=rota"  # Where the list was is not kept.
    _, references = listed(client, q="rota")
    page = client.get(ALL).text
    assert f'href="{ALL}?q=rota">Rota posts</a>' in page
    assert references == [found["rota"].reference]


def test_saving_under_the_same_name_replaces_and_a_bad_set_is_refused(client, governance, found):
    client.force_login(governance)
    client.post(SAVE, {"name": "Mine", "query": "q=rota"})
    client.post(SAVE, {"name": "Mine", "query": "q=party"})
    assert list(governance.saved_case_filters.values_list("name", "query")) == [("Mine", "q=party")]
    refused = client.post(SAVE, {"name": "Bad", "query": "stage=lost"}, follow=True)
    assert "Correct the filters before saving them." in refused.text
    empty = client.post(SAVE, {"name": "Nothing", "query": ""}, follow=True)
    assert "Choose some filters first" in empty.text
    assert governance.saved_case_filters.count() == 1


@pytest.mark.parametrize("role", ["staff", "supervisor", "hr"])
def test_only_those_who_see_all_cases_save_filters(client, request, found, role):
    client.force_login(request.getfixturevalue(role))
    assert client.post(SAVE, {"name": "Mine", "query": "q=rota"}).status_code == 404


def test_a_saved_filter_is_deleted_only_by_its_owner(client, governance, found):
    from tests.factories import make_second_governance_head

    client.force_login(governance)
    client.post(SAVE, {"name": "Mine", "query": "q=rota"})
    saved = governance.saved_case_filters.get()
    delete = reverse("cases:delete_saved_filter", args=[saved.pk])
    other = make_second_governance_head()
    client.force_login(other)
    assert client.post(delete).status_code == 404
    assert "Mine" not in client.get(ALL).text  # Nobody sees another's saved filters.
    client.force_login(governance)
    assert client.post(delete).status_code == 302
    assert not governance.saved_case_filters.exists()


def test_the_list_opens_again_in_the_last_sort_chosen(client, governance, found):
    client.force_login(governance)
    _, newest_first = listed(client)
    _, by_reference = listed(client, sort="reference")
    assert by_reference == sorted(newest_first)
    _, again = listed(client)
    assert again == by_reference
    response, _ = listed(client)
    assert "matching the filters" not in response.text  # A sort is not a filter.
