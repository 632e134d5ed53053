"""Who may download a record's ACAS bundle, in full or as the employee's redacted copy: every role × both
copies × records about different people. HR and the Head of Business and Governance, who may read records;
nobody about themselves, not even in HR (the employee is given the redacted copy by HR); everyone else a 404.
"""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from discipline.models import DisciplinaryRecord
from tests.discipline.test_record_permissions import READERS, ROLES, person, world_made

pytestmark = pytest.mark.django_db

COPIES = {"full": "discipline:acas_bundle", "redacted": "discipline:acas_bundle_redacted"}


@pytest.fixture(scope="class")
def records_world(build_once):
    yield from build_once(lambda: world_made(with_records=True))


class TestBundleDownloads:
    @pytest.mark.parametrize("which", ["about staff2", "about an HR officer"])
    @pytest.mark.parametrize("copy", list(COPIES))
    @pytest.mark.parametrize("role", ROLES)
    def test_bundle_by_role(self, client, records_world, which, copy, role):
        record = DisciplinaryRecord.objects.get(pk=records_world["records"][which])
        user = person(role, record, records_world["people"])
        client.force_login(user)
        exports = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, details__record=record.reference)
        before = exports.count()
        response = client.get(reverse(COPIES[copy], args=[record.reference]))
        if role in READERS and user != record.employee:
            assert response.status_code == 200, (role, copy, which, response.status_code)
            assert response.content.startswith(b"%PDF")
            entry = exports.latest("pk")
            assert (entry.actor, entry.details["copy"]) == (user, copy)
        else:
            assert response.status_code == 404, (role, copy, which, response.status_code)
            assert record.reference.encode() not in response.content
            assert exports.count() == before


@pytest.mark.parametrize("copy", list(COPIES))
def test_anonymous_visitors_are_sent_to_log_in(client, copy):
    response = client.get(reverse(COPIES[copy], args=["DR-2026-0001"]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_record_page_offers_both_copies_to_its_readers(client, records_world):
    record = DisciplinaryRecord.objects.get(pk=records_world["records"]["about staff2"])
    client.force_login(records_world["people"]["governance"])
    page = client.get(record.get_absolute_url()).text
    assert "ACAS bundle (PDF)" in page and "Redacted copy for the employee (PDF)" in page
    for name in COPIES.values():
        assert reverse(name, args=[record.reference]) in page
