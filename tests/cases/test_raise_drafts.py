"""Drafts: a half-written concern is saved for its reporter for 7 days, and reopened from the raise page or
My concerns; raising it deletes the draft. Nobody else can open, raise from or delete it."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, ConcernDraft, KeptFile
from tests.cases.test_evidence import PNG, raise_data, upload

pytestmark = pytest.mark.django_db

RAISE = reverse("cases:raise")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def save_draft(client, data):
    return client.post(RAISE, {**data, "save_draft": "1"}, follow=True)


def half_written(policy):
    """Only some fields: what was seen, and the clause 5.2; no date, no platform."""
    return raise_data(
        policy, seen_at="", platform="", description="Someone posted a photo from the day centre."
    )


def test_a_half_written_concern_is_saved_and_reopened(client, staff, policy, media):
    client.force_login(staff)
    data = half_written(policy)
    response = save_draft(client, {**data, "evidence": [upload("photo.png", PNG)]})
    draft = ConcernDraft.objects.get()
    assert response.redirect_chain[-1][0] == f"{RAISE}?draft={draft.pk}"
    kept_until = (timezone.localtime(draft.saved_at) + datetime.timedelta(days=7)).strftime("%-d %B")
    assert f"Your draft is saved. It is kept until {kept_until}" in response.text
    assert "There is a problem" not in response.text  # a draft may be incomplete
    assert not Case.objects.exists()
    # Reopened as it was written, with the file kept with it.
    assert "Someone posted a photo from the day centre.</textarea>" in response.text
    assert re.search(r'value="public"[^>]*checked', response.text)
    clause = policy.current_version().clauses().get(number="5.2")
    assert re.search(rf'value="{clause.pk}"[^>]*checked', response.text)
    assert f'name="draft" value="{draft.pk}"' in response.text
    assert "kept: photo.png" in response.text
    assert KeptFile.objects.get().draft == draft

    # Finished and raised: the case has the file, and the draft and its kept file are gone.
    kept = KeptFile.objects.get()
    data.update(seen_at=(timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    data.update(platform="instagram", draft=draft.pk, kept_files=[kept.pk])
    response = client.post(RAISE, data)
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    assert case.platform_name() == "Instagram"
    assert list(case.evidence.values_list("original_name", flat=True)) == ["photo.png"]
    assert not ConcernDraft.objects.exists() and not KeptFile.objects.exists()


def test_saving_again_updates_the_same_draft(client, staff, policy, media):
    client.force_login(staff)
    save_draft(client, half_written(policy))
    draft = ConcernDraft.objects.get()
    save_draft(client, {**half_written(policy), "description": "More detail now.", "draft": draft.pk})
    draft.refresh_from_db()
    assert ConcernDraft.objects.count() == 1
    assert draft.data["description"] == ["More detail now."]
    assert draft.summary() == "More detail now."


def test_drafts_are_listed_on_the_raise_page_and_my_concerns(client, staff, other_staff, policy):
    client.force_login(staff)
    save_draft(client, half_written(policy))
    draft = ConcernDraft.objects.get()
    for page in (RAISE, reverse("cases:my_reports")):
        text = client.get(page).text
        assert f'<a href="{RAISE}?draft={draft.pk}">Someone posted a photo from the day centre.</a>' in text
    # Not to anyone else.
    client.force_login(other_staff)
    for page in (RAISE, reverse("cases:my_reports")):
        assert "Someone posted a photo" not in client.get(page).text


def test_nobody_else_can_open_raise_from_or_delete_a_draft(client, staff, other_staff, policy, media):
    client.force_login(staff)
    save_draft(client, {**half_written(policy), "evidence": [upload("photo.png", PNG)]})
    draft = ConcernDraft.objects.get()

    client.force_login(other_staff)
    assert client.get(f"{RAISE}?draft={draft.pk}").status_code == 404
    assert client.post(reverse("cases:delete_draft", args=[draft.pk])).status_code == 404
    # Naming it on their own concern raises a new one: the draft and its file stay with their owner.
    client.post(RAISE, raise_data(policy, draft=draft.pk))
    assert Case.objects.get().reporter == other_staff and not Case.objects.get().evidence.exists()
    assert ConcernDraft.objects.filter(pk=draft.pk, reporter=staff).exists()
    assert KeptFile.objects.filter(draft=draft).count() == 1
    # Saving a draft naming it makes a draft of their own.
    save_draft(client, {**half_written(policy), "draft": draft.pk})
    assert ConcernDraft.objects.filter(reporter=other_staff).count() == 1
    assert ConcernDraft.objects.get(pk=draft.pk).data["description"] == [half_written(policy)["description"]]


def test_the_reporter_deletes_a_draft(client, staff, policy, media, django_capture_on_commit_callbacks):
    client.force_login(staff)
    save_draft(client, {**half_written(policy), "evidence": [upload("photo.png", PNG)]})
    draft = ConcernDraft.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cases:delete_draft", args=[draft.pk]), follow=True)
    assert "The draft has been deleted." in response.text
    assert not ConcernDraft.objects.exists() and not KeptFile.objects.exists()
    assert not list(media.rglob("*.png"))
    assert client.get(reverse("cases:delete_draft", args=[draft.pk])).status_code == 405


def test_a_draft_older_than_seven_days_is_not_offered(client, staff, policy):
    client.force_login(staff)
    save_draft(client, half_written(policy))
    draft = ConcernDraft.objects.get()
    ConcernDraft.objects.update(saved_at=timezone.now() - datetime.timedelta(days=7, minutes=1))
    assert "Your drafts" not in client.get(RAISE).text
    assert "day centre" not in client.get(reverse("cases:my_reports")).text
    assert client.get(f"{RAISE}?draft={draft.pk}").status_code == 404


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "-1"])
def test_a_bad_draft_number_is_a_404(client, staff, policy, value):
    client.force_login(staff)
    assert client.get(RAISE, {"draft": value}).status_code == 404


def test_anonymous_visitors_cannot_delete_drafts(client, staff, policy):
    client.force_login(staff)
    save_draft(client, half_written(policy))
    client.logout()
    response = client.post(reverse("cases:delete_draft", args=[ConcernDraft.objects.get().pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert ConcernDraft.objects.exists()
