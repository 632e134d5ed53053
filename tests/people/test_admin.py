import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

MANAGED = [
    "people.user",
    "people.team",
    "policies.policy",
    "policies.policyversion",
]


@pytest.mark.parametrize("model", MANAGED)
def test_administrator_manages_staff_teams_and_policies(client, administrator, model):
    app_label, model_name = model.split(".")
    client.force_login(administrator)
    assert client.get(reverse(f"admin:{app_label}_{model_name}_changelist")).status_code == 200
    if model != "policies.policyversion":  # versions come from import_policy, never typed in
        assert client.get(reverse(f"admin:{app_label}_{model_name}_add")).status_code == 200


def test_administrator_reads_the_roles_and_changes_none(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 200
    assert client.get(reverse("admin:auth_group_add")).status_code == 403


def test_staff_cannot_use_the_admin(client, staff, supervisor):
    for person in (staff, supervisor):
        client.force_login(person)
        response = client.get(reverse("admin:people_user_changelist"))
        assert response.status_code == 302
        assert "/admin/login/" in response.url


def test_administrator_adds_a_member_of_staff(client, administrator, team):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:people_user_add"),
        {
            "username": "newstarter",
            "password1": "a-long-enough-pass-2026",
            "password2": "a-long-enough-pass-2026",
            "usable_password": "true",
            "first_name": "New",
            "last_name": "Starter",
            "email": "new@focus.example",
            "job_title": "Agency Support Worker",
            "employment_type": "agency",
            "team": team.pk,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    from people.models import User

    person = User.objects.get(username="newstarter")
    assert (person.employment_type, person.team) == ("agency", team)
