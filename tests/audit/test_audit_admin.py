"""The audit log in the admin shows what its page shows: nothing about the reader's own case."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from cases.models import SubjectKind

pytestmark = pytest.mark.django_db


def test_the_admin_hides_entries_about_a_case_on_the_reader_as_the_page_does(
    client, raise_case, staff, outsider, governance
):
    about_governance = raise_case(
        staff, subject_kind=SubjectKind.COLLEAGUE, subject_person=governance, subject_description=""
    )
    other = raise_case(staff)
    governance.is_staff = True
    governance.save()
    client.force_login(governance)

    listing = client.get(reverse("admin:audit_auditentry_changelist"))
    assert listing.status_code == 200
    assert other.reference in listing.text
    assert about_governance.reference not in listing.text
    hidden = AuditEntry.objects.filter(case=about_governance).first()
    response = client.get(reverse("admin:audit_auditentry_change", args=[hidden.pk]))
    assert response.status_code == 302  # the admin's "does not exist" redirect, like any missing entry
