"""The ACAS bundle of a record just opened, with no case behind it: every later section says so rather than
being left out, so that the index and the numbering stay the same for every record."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from discipline.models import Step
from tests.discipline.test_acas_bundle import SECTIONS, pdf_pages, section

pytestmark = pytest.mark.django_db


def test_a_record_with_no_case_and_no_steps_says_none_recorded(client, hr, make_record):
    record = make_record(Step.OPENED, start=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(hr)
    pages, _, _ = pdf_pages(client.get(reverse("discipline:acas_bundle", args=[record.reference])).content)
    assert "no case is linked" in section(pages, "1. The allegation")
    assert "No case is linked to this record" in section(pages, "4. The evidence")
    assert "Not acknowledged" in section(pages, "3. The employee's acknowledgements of the policy")
    for heading in SECTIONS[4:]:
        assert "None recorded." in section(pages, heading), heading
