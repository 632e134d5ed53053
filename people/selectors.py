"""Who holds a role: the one place that answers "the people who hold role X", for everyone or for a person.

A role held by a group (the Head of Business and Governance, HR, the communications team, ...) is held by
every active member of the group. Two roles are also relations to a person (clause 9.1): their supervisor is
their line manager, and their Head of Service is the head of their team.
"""

from django.db.models import Count, Q

from .models import ANONYMISED_USERNAME, User
from .roles import Role


def staff_members():
    """Everyone who is or was a member of staff (2.1): those who have left keep their record, inactive. Not
    the account that anonymised records point to, which is nobody."""
    people = User.objects.filter(Q(groups__name=Role.STAFF) | Q(is_active=False)).distinct()
    return people.exclude(username=ANONYMISED_USERNAME)


def staff_in_post_by_team():
    """{team pk or None: how many}: the active members of staff (2.1) today, by their team, in one query.
    What "per 100 employees" divides by (reports.selectors.clauses)."""
    people = User.objects.filter(groups__name=Role.STAFF, is_active=True)
    people = people.exclude(username=ANONYMISED_USERNAME)
    return dict(people.order_by().values_list("team").annotate(n=Count("pk", distinct=True)))


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


def people_matching(people, text, *, limit):
    """Up to `limit` of `people` whose first name, last name or username contains every word of `text`,
    by name; and whether there were more. No words, nobody: a search field lists no one until typed in."""
    words = text.split()[:5]
    if not words:
        return [], False
    for word in words:
        people = people.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(username__icontains=word)
        )
    found = list(people.order_by("last_name", "first_name", "pk")[: limit + 1])
    return found[:limit], len(found) > limit
