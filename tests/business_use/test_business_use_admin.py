"""Business use requests in the Django admin: read-only, and only for the Head of Business and Governance."""

import pytest
from django.urls import reverse

from business_use.models import Kind, State

pytestmark = pytest.mark.django_db


def test_the_governance_head_reads_requests_in_the_admin_and_changes_nothing(
    client, make_request, governance
):
    request = make_request(Kind.OFFICIAL_POST, State.PUBLISHED)
    governance.is_staff = True
    governance.save()
    client.force_login(governance)
    changelist = client.get(reverse("admin:business_use_businessuserequest_changelist"))
    assert changelist.status_code == 200
    assert request.reference in changelist.content.decode()
    page = client.get(reverse("admin:business_use_businessuserequest_change", args=[request.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.get(reverse("admin:business_use_businessuserequest_add")).status_code == 403


def test_an_administrator_does_not_see_requests_in_the_admin(client, make_request, administrator):
    make_request(Kind.OFFICIAL_POST)
    client.force_login(administrator)
    response = client.get(reverse("admin:business_use_businessuserequest_changelist"))
    assert response.status_code == 403
