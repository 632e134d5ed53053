"""The beat task that deletes what the raise form kept and nobody claimed: loose kept files after 24 hours,
drafts (with their files) 7 days after they were last saved."""

import datetime

import pytest
from django.utils import timezone

from cases import tasks
from cases.models import ConcernDraft, KeptFile
from reminders.schedule import SCHEDULE
from tests.cases.test_evidence import PNG, raise_data, upload

pytestmark = pytest.mark.django_db

RAISE = "/cases/raise/"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored(media):
    return sorted(path.name for path in media.rglob("*") if path.is_file())


def test_unclaimed_files_and_old_drafts_are_deleted_with_their_stored_files(
    client, staff, policy, media, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    client.post(RAISE, raise_data(policy, description="", evidence=[upload("loose.png", PNG)]))
    client.post(
        RAISE, raise_data(policy, save_draft="1", evidence=[upload("drafted.png", PNG)], description="Draft")
    )
    loose = KeptFile.objects.get(draft=None)
    drafted = KeptFile.objects.get(draft__isnull=False)
    assert len(stored(media)) == 2
    now = timezone.now()

    # Within their time: nothing goes.
    assert tasks.drafts_expire(now=now + datetime.timedelta(hours=23, minutes=59)) == 0
    assert KeptFile.objects.count() == 2

    # A day on: the loose file goes; the draft keeps its file, whatever its age.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.drafts_expire(now=now + datetime.timedelta(hours=24, minutes=1)) == 1
    assert list(KeptFile.objects.all()) == [drafted]
    assert stored(media) == [drafted.file.name.split("/")[-1]]
    assert loose.file.name.split("/")[-1] not in stored(media)

    # Seven days after the draft was saved: the draft and its file go.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.drafts_expire(now=now + datetime.timedelta(days=7, minutes=1)) == 2
    assert not ConcernDraft.objects.exists() and not KeptFile.objects.exists()
    assert stored(media) == []

    # Running again deletes nothing more.
    assert tasks.drafts_expire(now=now + datetime.timedelta(days=8)) == 0


def test_saving_a_draft_again_restarts_its_seven_days(client, staff, policy, media):
    client.force_login(staff)
    client.post(RAISE, raise_data(policy, save_draft="1", description="First go"))
    draft = ConcernDraft.objects.get()
    ConcernDraft.objects.update(saved_at=timezone.now() - datetime.timedelta(days=6))
    client.post(RAISE, raise_data(policy, save_draft="1", description="Second go", draft=draft.pk))
    assert tasks.drafts_expire(now=timezone.now() + datetime.timedelta(days=2)) == 0
    assert ConcernDraft.objects.get().data["description"] == ["Second go"]


def test_the_task_is_in_the_beat_schedule():
    [job] = [job for job in SCHEDULE if job.task == "cases.tasks.drafts_expire"]
    assert job.when == {"crontab": {"minute": "20", "hour": "*", "day_of_week": "*"}}
    assert tasks.drafts_expire.name == "cases.tasks.drafts_expire"
