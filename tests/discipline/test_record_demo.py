"""The demo disciplinary records that seed_demo makes."""

import pytest
from django.core.management import call_command

from cases.models import DisciplinaryReferral
from discipline.models import DisciplinaryRecord, Step

pytestmark = pytest.mark.django_db


def test_the_demo_has_records_at_several_steps_with_a_live_and_an_expired_warning(client):
    call_command("seed_demo")
    records = DisciplinaryRecord.objects.all()
    assert len({record.step for record in records}) >= 4
    assert DisciplinaryRecord.objects.live_warnings().exists()
    assert DisciplinaryRecord.objects.expired_warnings().exists()
    assert {record.opened_by.username for record in records} == {"hr"}
    referral = DisciplinaryReferral.objects.get()
    assert referral.disciplinary_record.step == Step.INVITED
    # The timeline reads as if the steps happened on their dates.
    expired = DisciplinaryRecord.objects.expired_warnings().get()
    assert expired.events.get(step=Step.DECIDED).at.date() == expired.decided_on
    for username in ("hr", "governance"):
        client.login(username=username, password="focus-demo-2026")
        for record in records:
            assert client.get(record.get_absolute_url()).status_code == 200


def test_the_demo_records_are_made_once(client):
    call_command("seed_demo")
    references = set(DisciplinaryRecord.objects.values_list("reference", flat=True))
    call_command("seed_demo")
    assert set(DisciplinaryRecord.objects.values_list("reference", flat=True)) == references
