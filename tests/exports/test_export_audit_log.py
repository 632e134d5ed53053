"""The audit log shows what each export held: its format, filters and number of rows."""

import pytest
from django.urls import reverse

from discipline.models import Outcome

pytestmark = pytest.mark.django_db


def test_the_audit_log_shows_an_exports_format_filters_and_rows(client, hr, governance, make_record, staff):
    make_record(staff, decided=Outcome.INFORMAL_ACTION)
    client.force_login(hr)
    b"".join(
        client.get(reverse("discipline:export_csv"), {"outcome": Outcome.INFORMAL_ACTION}).streaming_content
    )
    client.force_login(governance)
    b"".join(client.get(reverse("cases:export_xlsx")).streaming_content)

    text = " ".join(client.get(reverse("audit:log"), {"action": "export"}).text.split())
    assert "exported disciplinary records as CSV (1 row)" in text
    assert "<dt>Format</dt><dd>CSV</dd>" in text
    assert "<dt>Filters</dt><dd>Outcome: informal_action</dd>" in text
    assert "<dt>Rows</dt><dd>1</dd>" in text
    assert "exported cases as Excel (0 rows)" in text
    assert "<dt>Format</dt><dd>Excel</dd>" in text
    assert "<dt>Filters</dt><dd>Sort: -raised</dd>" in text
