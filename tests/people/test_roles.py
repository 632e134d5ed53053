import pytest
from django.contrib.auth.models import Group

from people.roles import ROLE_PERMISSIONS, Role, ensure_role_groups

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group_with_exactly_its_permissions():
    for role, perms in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role.value)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert granted == set(perms)


def test_ensuring_roles_again_changes_nothing_and_repairs_drift():
    staff = Group.objects.get(name=Role.STAFF)
    staff.permissions.clear()
    ensure_role_groups()
    ensure_role_groups()
    assert Group.objects.filter(name__in=Role.values).count() == len(Role)
    assert staff.permissions.count() == len(ROLE_PERMISSIONS[Role.STAFF])


def test_a_person_may_hold_several_roles(supervisor):
    supervisor.groups.add(Group.objects.get(name=Role.HR))
    supervisor = type(supervisor).objects.get(pk=supervisor.pk)
    assert supervisor.has_role(Role.SUPERVISOR) and supervisor.has_role(Role.HR)
    assert supervisor.has_perm("policies.view_team_acknowledgements")


def test_a_person_who_has_left_holds_no_role(supervisor):
    supervisor.is_active = False
    assert not supervisor.has_role(Role.SUPERVISOR)
    assert not supervisor.has_perm("policies.view_team_acknowledgements")
