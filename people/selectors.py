"""Who holds a role: the one place that answers "the people who hold role X", for everyone or for a person.

A role held by a group (the Head of Business and Governance, HR, the communications team, ...) is held by
every active member of the group. Two roles are also relations to a person (clause 9.1): their supervisor is
their line manager, and their Head of Service is the head of their team.
"""

from django.db.models import Q

from .models import User
from .roles import Role


def staff_members():
    """Everyone who is or was a member of staff (2.1): those who have left keep their record, inactive."""
    return User.objects.filter(Q(groups__name=Role.STAFF) | Q(is_active=False)).distinct()


def role_holders(role, *, of=None):
    """The active people who hold `role` (or any of a list of roles), in a stable order (by pk).

    With `of` (a person), those who hold it for that person: for Role.SUPERVISOR their line manager, for
    Role.HEAD_OF_SERVICE the head of their team; for any other role, everyone who holds it.
    """
    people = User.objects.filter(is_active=True)
    if of is not None and role == Role.SUPERVISOR:
        return people.filter(pk=of.line_manager_id)
    if of is not None and role == Role.HEAD_OF_SERVICE:
        return people.filter(headed_teams=of.team_id) if of.team_id else people.none()
    roles = [role] if isinstance(role, str) else list(role)
    return people.filter(groups__name__in=roles).distinct().order_by("pk")
