"""Cases, records and requests made at a known moment, for the retention schedule's boundaries."""

import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from cases.evidence import evidence_add
from cases.models import Stage


def at(year, month, day, hour=12):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), "red").save(buffer, "PNG")
    return SimpleUploadedFile("screenshot.png", buffer.getvalue())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def closed_case(raise_case, move_to, staff, media):
    """closed_case(stage, when, **fields): a concern raised by `staff` with a screenshot, closed (at triage
    or after review) at `when`."""

    def _make(stage, when, **fields):
        with time_machine.travel(when - datetime.timedelta(days=2), tick=False):
            case = raise_case(staff, **fields)
            evidence_add(case=case, by=case.handler, files=[png()])
        with time_machine.travel(when, tick=False):
            return move_to(case, stage)

    return _make


@pytest.fixture
def actors(staff, supervisor, comms, head_of_service):
    """Who makes each move of a business use request (tests/business_use/conftest.py)."""
    return {"requester": staff, "approver": supervisor, "communications": comms, "adviser": head_of_service}


CLOSED_STAGES = [Stage.CLOSED_AT_TRIAGE, Stage.CLOSED]
