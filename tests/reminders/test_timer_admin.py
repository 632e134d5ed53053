"""The timers in the admin, as a superuser sees them: each with its kind's label, as registered by the
app that handles it, and its subject."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_timer_list_shows_each_kind_by_label_and_its_subject(admin_client, raise_case, staff):
    case = raise_case(staff)

    page = admin_client.get(reverse("admin:reminders_timer_changelist")).content.decode()

    assert "Remind the handler to triage" in page
    assert case.reference in page
    timer = case.timers.get(kind="triage_reminder")
    assert str(timer).startswith("Remind the handler to triage at ")
    assert admin_client.get(reverse("admin:reminders_timer_change", args=[timer.pk])).status_code == 200
