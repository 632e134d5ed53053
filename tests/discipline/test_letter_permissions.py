"""Who may edit the letter templates and produce a record's letters: every role × every letter page. Only
HR; everyone else gets a 404, and nobody produces a letter about themselves."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from discipline.models import LetterTemplate, Step

pytestmark = pytest.mark.django_db

ROLES = [
    "hr",
    "governance",
    "employee",
    "supervisor",
    "head_of_service",
    "staff",
    "outsider",
    "administrator",
]
KIND = LetterTemplate.Kind.INVITATION
CHANGED = "Changed {{ employee_name }}"


def pages(record):
    """(method, url, data) of every letter page."""
    edit = reverse("discipline:letter_template", args=[KIND])
    return {
        "templates": ("get", reverse("discipline:letter_templates"), None),
        "edit": ("get", edit, None),
        "save": ("post", edit, {"subject": CHANGED, "body": "Dear {{ employee_name }}"}),
        "pdf": ("get", reverse("discipline:letter_pdf", args=[record.reference, KIND]), None),
        "text": ("get", reverse("discipline:letter_text", args=[record.reference, KIND]), None),
    }


@pytest.fixture
def invited(make_record):
    return make_record(Step.INVITED, start=timezone.localdate() - datetime.timedelta(days=30))


@pytest.mark.parametrize("page", ["templates", "edit", "save", "pdf", "text"])
@pytest.mark.parametrize("role", ROLES)
def test_letter_pages_by_role(client, request, invited, role, page):
    user = invited.employee if role == "employee" else request.getfixturevalue(role)
    method, url, data = pages(invited)[page]
    client.force_login(user)
    subject = LetterTemplate.objects.get(kind=KIND).subject
    response = getattr(client, method)(url, data)
    if role == "hr":
        assert response.status_code == (302 if method == "post" else 200), (role, page)
        if page in ("pdf", "text"):
            assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, actor=user).exists()
        if page == "save":
            assert LetterTemplate.objects.get(kind=KIND).subject == CHANGED
    else:
        assert response.status_code == 404, (role, page, response.status_code)
        assert LetterTemplate.objects.get(kind=KIND).subject == subject
        assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


@pytest.mark.parametrize("kind_of_page", ["pdf", "text"])
def test_hr_cannot_produce_a_letter_about_themselves(client, make_record, other_hr, kind_of_page):
    record = make_record(
        Step.INVITED, employee=other_hr, start=timezone.localdate() - datetime.timedelta(days=30)
    )
    client.force_login(other_hr)
    response = client.get(reverse(f"discipline:letter_{kind_of_page}", args=[record.reference, KIND]))
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_anonymous_visitors_are_sent_to_log_in(client, invited):
    for method, url, data in pages(invited).values():
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
