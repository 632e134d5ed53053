"""A file chosen on a raise form sent back with errors is kept (sealed, for its owner only) and attached
when the form is finally sent; files nobody claims are deleted after 24 hours (test_drafts_expire.py)."""

import datetime
import re

import pytest
from cryptography.fernet import Fernet
from django.urls import reverse
from django.utils import timezone

from cases import uploads
from cases.models import Case, KeptFile
from tests.cases.test_evidence import PDF, PNG, files_under, raise_data, upload

pytestmark = pytest.mark.django_db

RAISE = "/cases/raise/"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def kept_on_page(response):
    """[(kept file id, name)] the page shows as "kept: name", each with its remove box."""
    return re.findall(
        r'<input type="hidden" name="kept_files" value="([0-9a-f-]{36})">kept: ([^<(]+) \(<input '
        r'type="checkbox" name="discarded_files" value="\1"',
        response.text,
    )


def try_with_an_error(client, policy, **extra):
    """Send the form without saying what was seen: it comes back with an error."""
    response = client.post(RAISE, raise_data(policy, description="", **extra))
    assert response.status_code == 200
    assert "What did you see?: This field is required." in response.text
    return response


def test_a_file_chosen_on_a_form_sent_back_is_kept_and_attached_on_the_next_try(
    client, staff, policy, media, settings, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    response = try_with_an_error(client, policy, evidence=[upload("screenshot.png", PNG)])
    assert "The files you chose are kept: you need not choose them again." in response.text
    [(kept_id, name)] = kept_on_page(response)
    assert name == "screenshot.png"
    kept = KeptFile.objects.get()
    assert (str(kept.pk), kept.owner, kept.content_type) == (kept_id, staff, "image/png")
    # Sealed at rest with the evidence key, under a generated name.
    [stored] = files_under(media)
    assert stored.parent.name == "kept" and "screenshot" not in stored.name
    assert PNG not in stored.read_bytes()
    assert Fernet(settings.EVIDENCE_ENCRYPTION_KEY).decrypt(stored.read_bytes()) == PNG
    assert not Case.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RAISE, raise_data(policy, kept_files=[kept_id]))
    assert response.status_code == 302
    evidence = Case.objects.get().evidence.get()
    assert (evidence.original_name, evidence.content_type, evidence.uploaded_by) == (
        "screenshot.png",
        "image/png",
        staff,
    )
    with evidence.file.open("rb") as opened:
        assert opened.read() == PNG
    # Claimed: the kept file and its stored copy are gone; only the evidence is left.
    assert not KeptFile.objects.exists()
    assert [path.parent.name for path in files_under(media)] == [Case.objects.get().reference]


def test_kept_and_newly_chosen_files_are_attached_together(client, staff, policy, media):
    client.force_login(staff)
    [(kept_id, _)] = kept_on_page(try_with_an_error(client, policy, evidence=[upload("first.png", PNG)]))
    response = try_with_an_error(client, policy, kept_files=[kept_id], evidence=[upload("second.pdf", PDF)])
    assert [name for _, name in kept_on_page(response)] == ["first.png", "second.pdf"]
    ids = [pk for pk, _ in kept_on_page(response)]
    client.post(RAISE, raise_data(policy, kept_files=ids, evidence=[upload("third.png", PNG)]))
    names = set(Case.objects.get().evidence.values_list("original_name", flat=True))
    assert names == {"first.png", "second.pdf", "third.png"}


def test_a_kept_file_can_be_removed(client, staff, policy, media, django_capture_on_commit_callbacks):
    client.force_login(staff)
    response = try_with_an_error(
        client, policy, evidence=[upload("wrong.png", PNG), upload("right.pdf", PDF)]
    )
    ids = {name: pk for pk, name in kept_on_page(response)}
    with django_capture_on_commit_callbacks(execute=True):
        response = try_with_an_error(
            client, policy, kept_files=list(ids.values()), discarded_files=[ids["wrong.png"]]
        )
    assert [name for _, name in kept_on_page(response)] == ["right.pdf"]
    assert list(KeptFile.objects.values_list("original_name", flat=True)) == ["right.pdf"]
    assert len(files_under(media)) == 1

    # Removed on the try that succeeds: not attached, and deleted.
    response = try_with_an_error(
        client, policy, kept_files=[ids["right.pdf"]], evidence=[upload("x.png", PNG)]
    )
    x_id = next(pk for pk, name in kept_on_page(response) if name == "x.png")
    client.post(RAISE, raise_data(policy, kept_files=[ids["right.pdf"], x_id], discarded_files=[x_id]))
    assert list(Case.objects.get().evidence.values_list("original_name", flat=True)) == ["right.pdf"]
    assert not KeptFile.objects.exists()


def test_a_refused_file_is_not_kept_but_the_good_ones_are(client, staff, policy, media):
    client.force_login(staff)
    page = upload("page.png", b"<html><script>alert(1)</script></html>")
    response = client.post(RAISE, raise_data(policy, evidence=[upload("ok.pdf", PDF), page]))
    assert "looks like a web page" in response.text
    assert [name for _, name in kept_on_page(response)] == ["ok.pdf"]
    assert list(KeptFile.objects.values_list("original_name", flat=True)) == ["ok.pdf"]


def test_the_upload_checks_and_virus_scan_run_once_per_file(client, staff, policy, media, monkeypatch):
    scanned = []
    monkeypatch.setattr(uploads, "clamd_configured", lambda: True)
    monkeypatch.setattr(uploads, "clamd_scan", lambda data: scanned.append(data))
    client.force_login(staff)
    [(kept_id, _)] = kept_on_page(try_with_an_error(client, policy, evidence=[upload("a.png", PNG)]))
    assert scanned == [PNG]
    client.post(RAISE, raise_data(policy, kept_files=[kept_id]))
    assert Case.objects.get().evidence.count() == 1
    assert scanned == [PNG]  # checked and scanned when chosen; sealed since, so not again


def test_nobody_can_claim_another_persons_kept_file(client, staff, other_staff, supervisor, policy, media):
    client.force_login(staff)
    [(kept_id, _)] = kept_on_page(try_with_an_error(client, policy, evidence=[upload("mine.png", PNG)]))

    client.force_login(other_staff)
    data = raise_data(policy, kept_files=[kept_id])
    response = client.post(RAISE, data)
    assert response.status_code == 200
    assert "A file you chose earlier is no longer kept" in response.text
    assert kept_on_page(response) == []  # not shown, not attached, and the next try goes through
    assert "mine.png" not in response.text
    assert not Case.objects.exists()
    # Nor can they remove it.
    client.post(RAISE, raise_data(policy, description="", discarded_files=[kept_id]))
    assert KeptFile.objects.filter(pk=kept_id, owner=staff).exists()
    # The owner still can.
    client.force_login(staff)
    client.post(RAISE, raise_data(policy, kept_files=[kept_id]))
    assert Case.objects.get().evidence.get().original_name == "mine.png"


def test_the_service_refuses_another_persons_kept_file_too(
    raise_case, staff, other_staff, policy, media, client
):
    from core.errors import DomainError

    client.force_login(staff)
    try_with_an_error(client, policy, evidence=[upload("mine.png", PNG)])
    with pytest.raises(DomainError, match="no longer kept"):
        raise_case(other_staff, kept_files=[KeptFile.objects.get()])
    assert not Case.objects.exists()


def test_a_kept_file_past_its_day_is_no_longer_offered(client, staff, policy, media):
    client.force_login(staff)
    [(kept_id, _)] = kept_on_page(try_with_an_error(client, policy, evidence=[upload("old.png", PNG)]))
    KeptFile.objects.update(kept_at=timezone.now() - datetime.timedelta(hours=25))
    response = client.post(RAISE, raise_data(policy, kept_files=[kept_id]))
    assert "A file you chose earlier is no longer kept (files are kept for 24 hours" in response.text
    assert not Case.objects.exists()


@pytest.mark.parametrize("value", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_a_made_up_kept_file_is_refused_clearly(client, staff, policy, media, value):
    client.force_login(staff)
    response = client.post(RAISE, raise_data(policy, kept_files=[value]))
    assert "A file you chose earlier is no longer kept" in response.text
    assert not Case.objects.exists()


def test_too_many_files_in_all_is_refused(client, staff, policy, media, settings):
    settings.EVIDENCE_MAX_FILES = 2
    client.force_login(staff)
    response = try_with_an_error(client, policy, evidence=[upload("a.png", PNG), upload("b.pdf", PDF)])
    ids = [pk for pk, _ in kept_on_page(response)]
    response = client.post(RAISE, raise_data(policy, kept_files=ids, evidence=[upload("c.png", PNG)]))
    assert "Choose at most 2 files in all." in response.text
    assert not Case.objects.exists()
    assert reverse("cases:raise") == RAISE


def test_a_kept_file_that_no_key_opens_is_a_clear_message(client, staff, policy, media, settings):
    client.force_login(staff)
    [(kept_id, _)] = kept_on_page(try_with_an_error(client, policy, evidence=[upload("a.png", PNG)]))
    settings.EVIDENCE_ENCRYPTION_KEY = Fernet.generate_key().decode()  # the key that sealed it, removed
    response = client.post(RAISE, raise_data(policy, kept_files=[kept_id]))
    assert "“a.png”, chosen earlier, can no longer be opened: tick “remove” beside it" in response.text
    assert not Case.objects.exists()
    client.post(RAISE, raise_data(policy, kept_files=[kept_id], discarded_files=[kept_id]))
    assert not Case.objects.get().evidence.exists()
