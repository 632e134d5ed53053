"""Who may change whose rights in the admin: only a superuser, and each change is in the audit log.

The Administrator role keeps staff records but gives nobody a right, itself included: no superuser, no
admin access, no role, no permission; nor can it take over an account by its password or e-mail address.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from audit.models import AuditEntry
from people.models import User
from people.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def permission(name):
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def change_form(person, **fields):
    """What the admin's change form posts for `person`, with `fields` changed. A flag is sent only when on."""
    data = {
        "username": person.username,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "date_joined_0": person.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": person.date_joined.strftime("%H:%M:%S"),
        "employment_type": person.employment_type,
        "job_title": person.job_title,
        "team": person.team_id or "",
        "line_manager": person.line_manager_id or "",
        "is_active": "on",
        "is_staff": "on" if person.is_staff else "",
        "is_superuser": "on" if person.is_superuser else "",
        "groups": list(person.groups.values_list("pk", flat=True)),
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value not in ("", None)}


def post_change(client, person, **fields):
    return client.post(reverse("admin:people_user_change", args=[person.pk]), change_form(person, **fields))


def rights_entries():
    return AuditEntry.objects.filter(what__contains="rights of")


def test_the_administrator_cannot_make_itself_superuser_nor_give_itself_a_role(client, administrator):
    client.force_login(administrator)
    roles = set(administrator.groups.values_list("name", flat=True))
    everything = list(Group.objects.values_list("pk", flat=True))
    response = post_change(
        client,
        administrator,
        job_title="Systems Administrator",
        is_superuser="on",
        groups=everything,
        user_permissions=[permission("cases.manage_all_cases").pk],
    )
    assert response.status_code == 302  # the rest of the form was saved
    administrator = User.objects.get(pk=administrator.pk)
    assert administrator.job_title == "Systems Administrator"
    assert not administrator.is_superuser
    assert set(administrator.groups.values_list("name", flat=True)) == roles
    assert not administrator.user_permissions.exists()
    assert not administrator.has_perm("cases.manage_all_cases")
    assert not rights_entries().exists()


def test_the_administrator_cannot_change_anyones_roles_or_admin_access(client, administrator, staff):
    client.force_login(administrator)
    page = client.get(reverse("admin:people_user_change", args=[staff.pk])).text
    assert 'name="is_superuser"' not in page and 'name="groups"' not in page and 'name="is_staff"' not in page
    hr_group = Group.objects.get(name=Role.HR)
    response = post_change(
        client, staff, job_title="Senior Support Worker", groups=[hr_group.pk], is_staff="on"
    )
    assert response.status_code == 302
    staff = User.objects.get(pk=staff.pk)
    assert staff.job_title == "Senior Support Worker"
    assert not staff.has_role(Role.HR) and not staff.is_staff
    assert not rights_entries().exists()


def test_the_administrator_adds_staff_with_no_rights(client, administrator, team):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:people_user_add"),
        {
            "username": "newstarter",
            "password1": "a-long-enough-pass-2026",
            "password2": "a-long-enough-pass-2026",
            "usable_password": "true",
            "employment_type": "employee",
            "is_superuser": "on",
            "is_staff": "on",
            "groups": [Group.objects.get(name=Role.GOVERNANCE).pk],
        },
    )
    assert response.status_code == 302
    person = User.objects.get(username="newstarter")
    assert not (person.is_superuser or person.is_staff or person.groups.exists())


def test_the_administrator_cannot_change_what_a_role_allows(client, administrator):
    client.force_login(administrator)
    group = Group.objects.get(name=Role.ADMINISTRATOR)
    before = set(group.permissions.values_list("pk", flat=True))
    url = reverse("admin:auth_group_change", args=[group.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.text
    response = client.post(
        url, {"name": group.name, "permissions": [*before, permission("cases.manage_all_cases").pk]}
    )
    assert response.status_code == 403
    assert set(group.permissions.values_list("pk", flat=True)) == before
    assert client.post(reverse("admin:auth_group_add"), {"name": "Readers"}).status_code == 403
    assert (
        client.post(reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"}).status_code == 403
    )
    assert Group.objects.filter(name=Role.ADMINISTRATOR).exists()


def test_the_administrator_cannot_take_over_an_account(client, administrator, governance, superuser):
    client.force_login(administrator)
    # Not by setting a password...
    password = reverse("admin:auth_user_password_change", args=[governance.pk])
    assert client.get(password).status_code == 403
    new = {"password1": "taken-over-2026-x", "password2": "taken-over-2026-x", "usable_password": "true"}
    assert client.post(password, new).status_code == 403
    # ...nor by sending the password reset to an address of its own...
    post_change(client, governance, email="administrator@elsewhere.example")
    governance = User.objects.get(pk=governance.pk)
    assert governance.email != "administrator@elsewhere.example"
    assert not governance.check_password("taken-over-2026-x")
    # ...nor by changing a superuser at all.
    page = client.get(reverse("admin:people_user_change", args=[superuser.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.text
    assert post_change(client, superuser, is_active="", job_title="x").status_code == 403
    assert User.objects.get(pk=superuser.pk).is_active


def test_a_superuser_changes_rights_and_each_change_is_audited(client, superuser, staff):
    client.force_login(superuser)
    hr_group = Group.objects.get(name=Role.HR)
    response = post_change(
        client,
        staff,
        groups=[*staff.groups.values_list("pk", flat=True), hr_group.pk],
        is_staff="on",
        user_permissions=[permission("discipline.export_disciplinary_records").pk],
    )
    assert response.status_code == 302
    staff = User.objects.get(pk=staff.pk)
    assert staff.has_role(Role.HR) and staff.is_staff

    entry = rights_entries().get()
    assert entry.actor == superuser and entry.action == AuditEntry.Action.CHANGE
    assert entry.details == {
        "person": "staff",
        "person_id": staff.pk,
        "is_staff": [False, True],
        "roles_added": ["HR"],
        "permissions_added": ["discipline.export_disciplinary_records"],
    }
    assert "staff" in entry.what and "HR" in entry.what

    # Taking them away, and making a superuser, are recorded the same way.
    post_change(client, staff, groups=[], is_staff="on", is_superuser="on")
    latest = rights_entries().first()
    assert latest.details["roles_removed"] == ["HR", "Staff"]
    assert latest.details["is_superuser"] == [False, True]
    assert latest.details["permissions_removed"] == ["discipline.export_disciplinary_records"]
    assert rights_entries().count() == 2


def test_saving_someone_without_changing_their_rights_writes_no_rights_entry(client, superuser, staff):
    client.force_login(superuser)
    assert post_change(client, staff, job_title="Support Worker II").status_code == 302
    assert not rights_entries().exists()


def test_a_superuser_changes_a_roles_permissions_and_it_is_audited(client, superuser):
    client.force_login(superuser)
    group = Group.objects.get(name=Role.COMMS)
    before = list(group.permissions.values_list("pk", flat=True))
    url = reverse("admin:auth_group_change", args=[group.pk])
    response = client.post(
        url, {"name": group.name, "permissions": [*before, permission("audit.view_auditentry").pk]}
    )
    assert response.status_code == 302
    assert group.permissions.filter(codename="view_auditentry").exists()
    entry = AuditEntry.objects.get(details__group=Role.COMMS)
    assert entry.actor == superuser
    assert entry.details["permissions_added"] == ["audit.view_auditentry"]

    client.post(reverse("admin:auth_group_add"), {"name": "Auditors"})
    client.post(
        reverse("admin:auth_group_delete", args=[Group.objects.get(name="Auditors").pk]), {"post": "yes"}
    )
    assert [e.what for e in AuditEntry.objects.filter(details__group="Auditors").order_by("pk")] == [
        "created the group Auditors",
        "deleted the group Auditors, held by 0 people",
    ]


def test_a_password_set_by_a_superuser_is_audited(client, superuser, staff):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[staff.pk]),
        {"password1": "a-new-pass-2026-x", "password2": "a-new-pass-2026-x", "usable_password": "true"},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(what="set the password of staff")
    assert entry.actor == superuser and entry.details["person_id"] == staff.pk


def test_nobody_makes_an_api_token_for_someone_else_in_the_admin(client, administrator, superuser):
    assert not any(administrator.has_perm(f"authtoken.{a}_tokenproxy") for a in ("add", "view", "delete"))
    for person in (administrator, superuser):
        client.force_login(person)
        assert client.get("/admin/authtoken/tokenproxy/").status_code == 404
        assert client.get("/admin/authtoken/tokenproxy/add/").status_code == 404
