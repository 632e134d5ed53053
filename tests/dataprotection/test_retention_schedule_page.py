"""The retention schedule: its defaults as rows, shown to the governance head, changed by administrators in
the admin (the kinds of record fixed)."""

import pytest
from django.urls import reverse

from dataprotection.models import RecordKind, RetentionRule

pytestmark = pytest.mark.django_db


def test_the_page_shows_every_kind_with_its_default_period(client, governance):
    client.force_login(governance)

    page = client.get(reverse("dataprotection:retention")).content.decode()

    for line in [
        'Concerns closed at triage with no further action</td><td data-label="Kept">1 year after closing',
        'Other closed cases</td><td data-label="Kept">6 years after closing',
        'Disciplinary records</td><td data-label="Kept">6 years after the employee leaving',
        'Audit entries</td><td data-label="Kept">7 years after the entry',
        'Business use requests</td><td data-label="Kept">2 years after the decision (or withdrawal)',
        'Evidence</td><td data-label="Kept">With its case',
    ]:
        assert line in page
    # Read only for the governance head: the admin is for administrators.
    assert reverse("admin:dataprotection_retentionrule_changelist") not in page


def test_an_administrator_changes_a_period_in_the_admin_and_the_page_follows(client, administrator):
    client.force_login(administrator)
    rule = RetentionRule.objects.get(kind=RecordKind.BUSINESS_USE_REQUEST)
    change = reverse("admin:dataprotection_retentionrule_change", args=[rule.pk])

    response = client.post(change, {"months": "30"})

    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.kind, rule.months) == (RecordKind.BUSINESS_USE_REQUEST, 30)
    assert (
        "2 years 6 months after the decision"
        in client.get(reverse("dataprotection:retention")).content.decode()
    )
    assert client.get(reverse("admin:dataprotection_retentionrule_add")).status_code == 403


def test_a_period_of_none_is_refused_in_the_admin(client, administrator):
    client.force_login(administrator)
    rule = RetentionRule.objects.get(kind=RecordKind.CLOSED_CASE)

    response = client.post(
        reverse("admin:dataprotection_retentionrule_change", args=[rule.pk]), {"months": ""}
    )

    assert response.status_code == 200
    assert "Every kind of record but evidence needs a period." in response.content.decode()
    rule.refresh_from_db()
    assert rule.months == 72
