from django.contrib.auth.models import AbstractUser, Group, Permission
from django.db import models
from django.db.models import CharField, Q, Value
from django.utils import timezone

from core.compiled import CompiledQuery

# Marks a role's row among the permissions' rows of one query: no app's label is empty.
_ROLE_ROW = ""

# The one inactive account that anonymised records point to where they must name someone
# (dataprotection.anonymise): parentheses are not allowed in usernames, so no real person can have it.
ANONYMISED_USERNAME = "(anonymised)"


class Team(models.Model):
    """A team or service of the organisation. Its Head of Service is the senior route for concerns (9.1)."""

    name = models.CharField(max_length=120, unique=True)
    head_of_service = models.ForeignKey(
        "people.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="headed_teams"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A member of staff (clause 2.1: employees, contractors and agency staff) and their login.

    `is_active` False means the person has left (with `left_on`); they can no longer log in but their
    record stays for the history of policies and cases.
    """

    class EmploymentType(models.TextChoices):
        EMPLOYEE = "employee", "Employee"
        CONTRACTOR = "contractor", "Contractor"
        AGENCY = "agency", "Agency staff"

    class ProfessionalBody(models.TextChoices):
        # Clause 8.1: professional organisations whose social-media guidance registered staff should read.
        HCPC = "hcpc", "Health and Care Professions Council (HCPC)"
        NMC = "nmc", "Nursing and Midwifery Council (NMC)"
        SWE = "swe", "Social Work England"
        GMC = "gmc", "General Medical Council (GMC)"
        OTHER = "other", "Other"

    job_title = models.CharField(max_length=120, blank=True)
    employment_type = models.CharField(
        max_length=20, choices=EmploymentType.choices, default=EmploymentType.EMPLOYEE
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    line_manager = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="line_reports",
        help_text="The person's supervisor.",
    )
    left_on = models.DateField(null=True, blank=True, help_text="The date the person left focus.")
    # Set once, when leaving has been carried out (people.services.person_leave): claimed with a
    # conditional update, so that a request and the daily sweep never both do it.
    access_ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    professional_body = models.CharField(max_length=10, choices=ProfessionalBody.choices, blank=True)
    registration_number = models.CharField(max_length=40, blank=True)
    # Set when the person signs out: every session they signed in to before then has ended.
    sessions_ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The identity provider's unchanging id for the person (the ID token's `sub`), kept at their first
    # sign-in with the organisation's account (signin.oidc): later sign-ins find them by it, whatever their
    # e-mail address has become.
    oidc_subject = models.CharField(
        "identity provider subject", max_length=255, null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        indexes = [
            # Lists of staff by name (acknowledgements, 100 a page as keyset pages) read 10,000 people in
            # this order without sorting them all.
            models.Index(fields=["last_name", "first_name", "id"], name="user_name_order"),
            # The leavers (no longer active, or a leaving date set): few among 10,000, found by these two
            # instead of reading every person (the governance head's home page: the leavers' open cases).
            models.Index(fields=["id"], condition=Q(is_active=False), name="user_inactive_idx"),
            models.Index(fields=["left_on"], condition=Q(left_on__isnull=False), name="user_leaving_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_number="") | ~Q(professional_body=""),
                name="registration_number_needs_body",
                violation_error_message="A registration number needs its professional body.",
            ),
            models.CheckConstraint(
                condition=~Q(line_manager=models.F("pk")),
                name="not_own_line_manager",
                violation_error_message="A person cannot be their own supervisor.",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def display_name(self):
        return str(self)

    def role_names(self):
        # Cached per request: navigation and permission checks ask repeatedly. Read with the role-wide
        # permissions, in one query (people/backends.py); a superuser's permissions are every one there is.
        if not hasattr(self, "_role_names"):
            role_names, perms = self.roles_and_permissions()
            if not self.is_superuser:
                self._perm_cache = perms
            self._role_names = role_names
        return self._role_names

    def roles_and_permissions(self):
        """({role names}, {"app_label.codename" of their role-wide permissions}), in one query."""
        role_names, perms = set(), set()
        for label, name in _ROLES_AND_PERMISSIONS.rows(self.pk):
            if label == _ROLE_ROW:
                role_names.add(name)
            else:
                perms.add(f"{label}.{name}")
        return role_names, perms

    def has_left(self, today=None):
        """True once the person has left: unticked as active, or their leaving date has come."""
        today = today or timezone.localdate()
        return not self.is_active or (self.left_on is not None and self.left_on <= today)

    def has_role(self, role):
        return self.is_active and role in self.role_names()

    def team_members(self):
        """The staff whose acknowledgement status this person oversees as supervisor or Head of Service."""
        return members_overseen(self.pk, teams_headed(self.pk))


def teams_headed(user_id):
    """The ids of the teams this person is the Head of Service of (one probe of their index)."""
    return [team_id for (team_id,) in _TEAMS_HEADED.rows(user_id)]


def members_overseen(user_id, teams):
    """User.team_members() of the person `user_id`, heading the teams `teams` (ids): their line reports and
    the members of those teams. With the teams as a list, PostgreSQL answers the OR from the line manager
    and team indexes; joined to the teams, it read every member of staff."""
    members = User.objects.filter(Q(line_manager=user_id) | Q(team__in=teams), is_active=True)
    return members.exclude(pk=user_id)


_TEAMS_HEADED = CompiledQuery(
    lambda user_id: Team.objects.filter(head_of_service=user_id).order_by().values_list("pk")
)


def _roles_and_permissions(user_id):
    own = Permission.objects.filter(user=user_id).values("pk")
    of_roles = Permission.objects.filter(group__user=user_id).values("pk")
    permissions = (
        Permission.objects.filter(Q(pk__in=own) | Q(pk__in=of_roles))
        .order_by()
        .values_list("content_type__app_label", "codename")
    )
    roles = Group.objects.filter(user=user_id).order_by().values_list(Value(_ROLE_ROW, CharField()), "name")
    return permissions.union(roles, all=True)


# Asked on every page: compiled once (core/compiled.py).
_ROLES_AND_PERMISSIONS = CompiledQuery(_roles_and_permissions)


class LoginSession(models.Model):
    """A session a person signed in with, recorded at login, so that their sessions can be ended when they
    leave without reading every session in the store."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user} since {self.created_at:%Y-%m-%d %H:%M}"
