"""Cases, evidence, messages, business use requests and disciplinary records are not in the admin, for
anyone: they are read only on the site's pages, through the doors that check the right and audit the read.

The admin matrix: every role that may use the admin × every model holding that content × its pages.
"""

import pytest
from django.apps import apps
from django.contrib import admin

from people.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Every model of these apps holds case, evidence, message, business use or HR content (a model added
# later is included by itself), except the reference data named here.
CONTENT_APPS = ["cases", "business_use", "discipline"]
REFERENCE_DATA = {"discipline.warningperiods"}
CONTENT_MODELS = [
    model
    for label in CONTENT_APPS
    for model in apps.get_app_config(label).get_models()
    if model._meta.label_lower not in REFERENCE_DATA
]


def test_the_content_models_are_the_ones_the_issue_names():
    labels = {model._meta.label_lower for model in CONTENT_MODELS}
    assert {
        "cases.case",
        "cases.evidence",
        "cases.caseevent",  # notes and messages
        "cases.removalrequest",
        "cases.breachdecision",
        "cases.disciplinaryreferral",
        "business_use.businessuserequest",
        "business_use.businessuseevent",
        "discipline.disciplinaryrecord",
        "discipline.recordevent",
    } <= labels


def test_no_content_model_is_in_the_admin_nor_shown_inside_another():
    inlines = {
        inline.model for model_admin in admin.site._registry.values() for inline in model_admin.inlines
    }
    assert [m for m in CONTENT_MODELS if m in admin.site._registry or m in inlines] == []


def test_every_other_model_of_the_project_is_in_the_admin():
    ours = {"people", "policies", "notifications", "reminders", "discipline"}
    inlines = {
        inline.model for model_admin in admin.site._registry.values() for inline in model_admin.inlines
    }
    rest = [m for m in apps.get_models() if m._meta.app_label in ours and m not in CONTENT_MODELS]
    assert rest
    assert [m for m in rest if m not in admin.site._registry and m not in inlines] == []


@pytest.fixture
def admin_users(administrator, governance, hr):
    """Everyone who may use the admin; the governance head and HR as if they had been let in too."""
    for person in (governance, hr):
        person.is_staff = True
        person.save()
    return {
        "administrator": administrator,
        "governance": governance,
        "hr": hr,
        "hr and administrator": UserFactory(
            username="hradmin", roles=[Role.HR, Role.ADMINISTRATOR], is_staff=True
        ),
        "superuser": UserFactory(username="root", is_staff=True, is_superuser=True),
    }


@pytest.mark.parametrize("who", ["administrator", "governance", "hr", "hr and administrator", "superuser"])
def test_the_admin_shows_no_case_evidence_message_or_record(client, admin_users, who, case_about_colleague):
    case = case_about_colleague
    client.force_login(admin_users[who])
    index = client.get("/admin/")
    assert index.status_code == 200
    shown = []
    for model in CONTENT_MODELS:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        obj = model.objects.first()
        for url in (base, f"{base}add/", f"{base}{obj.pk if obj else 1}/change/"):
            response = client.get(url)
            if response.status_code != 404:
                shown.append((url, response.status_code))
        assert f'href="{base}"' not in index.text
    assert shown == []
    assert case.reference not in index.text
