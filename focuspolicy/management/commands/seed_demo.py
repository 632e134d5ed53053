"""Demo data: a small organisation with two teams, one account per role, and the Social Media Policy."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from business_use.demo import create_demo_requests
from business_use.registers.demo import create_demo_registers
from cases.demo import create_demo_cases, create_demo_playbooks
from dataprotection.demo import create_demo_data_protection
from discipline.demo import create_demo_records
from people.models import Team, User
from people.roles import Role, ensure_role_groups
from policies import services as policy_services
from policies.importer import decode_policy_bytes
from policies.models import Acknowledgement, Comment, CommentReply, PolicyVersion

DEMO_PASSWORD = "focus-demo-2026"  # noqa: S105 - published demo password, refused in production
POLICY_FILE = settings.BASE_DIR / "data" / "social-media-policy.txt"

# username: (first, last, job title, team, line manager, extra roles, employment type)
PEOPLE = {
    "governance": (
        "Grace",
        "Okafor",
        "Head of Business and Governance",
        None,
        None,
        [Role.GOVERNANCE],
        "employee",
    ),
    "headofservice": (
        "Harun",
        "Shah",
        "Head of Service",
        "Community Support",
        "governance",
        [Role.HEAD_OF_SERVICE],
        "employee",
    ),
    "supervisor": (
        "Sam",
        "Patel",
        "Support Team Supervisor",
        "Community Support",
        "headofservice",
        [Role.SUPERVISOR],
        "employee",
    ),
    "supervisor2": (
        "Sian",
        "Davies",
        "Supported Living Supervisor",
        "Supported Living",
        "headofservice",
        [Role.SUPERVISOR],
        "employee",
    ),
    "staff": ("Alex", "Morgan", "Support Worker", "Community Support", "supervisor", [], "employee"),
    "staff2": ("Jordan", "Lee", "Support Worker", "Supported Living", "supervisor2", [], "agency"),
    "infosec": (
        "Imran",
        "Ahmed",
        "Head of Information & Security",
        None,
        "governance",
        [Role.INFOSEC],
        "employee",
    ),
    "comms": (
        "Chloe",
        "Evans",
        "Digital Information Officer (CBUCP)",
        None,
        "governance",
        [Role.COMMS],
        "contractor",
    ),
    "hr": ("Hannah", "Wright", "HR Business Partner", None, "governance", [Role.HR], "employee"),
    "admin": ("Ade", "Mensah", "Systems Administrator", None, "governance", [Role.ADMINISTRATOR], "employee"),
}


def sign_in_lines(address):
    """What bin/demo ends with, once its server listens: the demo accounts, their password and the address."""
    width = max(map(len, PEOPLE))
    return [
        f"Sign in with the password {DEMO_PASSWORD} as:",
        *(f"  {username:<{width}}  {title}" for username, (_, _, title, *_) in PEOPLE.items()),
        f"focuspolicy is running at {address} (stop it with CONTROL-C)",
    ]


class Command(BaseCommand):
    help = "Create demo teams, one account per role and the approved Social Media Policy. Safe to run twice."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "seed_demo creates accounts with a published password: it refuses to run in production."
            )
        with transaction.atomic():
            ensure_role_groups()
            people = self.create_people()
            policy = self.create_policy(people)
            self.create_policy_activity(policy, people)
            create_demo_playbooks(people=people, version=policy.current_version())
            create_demo_cases(people=people, version=policy.current_version())
            create_demo_records(people=people)
            create_demo_requests(people=people)
            create_demo_registers(people=people)
            create_demo_data_protection(people=people)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(people)} accounts (password {DEMO_PASSWORD}), the {policy.title} "
                "and demo cases in every stage."
            )
        )

    def create_people(self):
        teams = {
            name: Team.objects.get_or_create(name=name)[0]
            for name in ("Community Support", "Supported Living")
        }
        people = {}
        for username, (first, last, title, team, _, roles, employment) in PEOPLE.items():
            user, created = User.objects.get_or_create(username=username)
            user.first_name, user.last_name, user.job_title = first, last, title
            user.email = f"{username}@focus.example"
            user.team = teams.get(team)
            user.employment_type = employment
            user.is_staff = Role.ADMINISTRATOR in roles
            if created:
                user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set(Group.objects.filter(name__in=[Role.STAFF, *roles]))
            people[username] = user
        for username, (*_, manager, _roles, _employment) in PEOPLE.items():
            people[username].line_manager = people.get(manager)
            people[username].save(update_fields=["line_manager"])
        for team in teams.values():
            team.head_of_service = people["headofservice"]
            team.save()
        # Clause 8.1: a registered social worker, to show the professional registration on the record.
        User.objects.filter(pk=people["staff"].pk).update(
            professional_body=User.ProfessionalBody.SWE, registration_number="SW123456"
        )
        return people

    def create_policy(self, people):
        text = decode_policy_bytes(POLICY_FILE.read_bytes())
        result = policy_services.policy_import(text=text, title="Social Media Policy", by=people["admin"])
        policy = result.version.policy
        if policy.owner_id is None:
            policy.owner = people["governance"]
            policy.save(update_fields=["owner"])
        if result.version.status == PolicyVersion.Status.DRAFT:
            policy_services.version_approve(version=result.version, by=people["governance"])
        return policy

    def create_policy_activity(self, policy, people):
        version = policy.current_version()
        for username in ("governance", "headofservice", "supervisor", "staff2", "hr"):
            Acknowledgement.objects.get_or_create(user=people[username], version=version)
        if not Comment.objects.filter(policy=policy, author=people["staff2"]).exists():
            clause = version.clauses().get(number="6.4")
            comment = policy_services.comment_add(
                version=version,
                author=people["staff2"],
                clause=clause,
                body="Could we have a list of professional forums that are already approved, so that we "
                "do not need to ask our supervisor each time?",
            )
            CommentReply.objects.create(
                comment=comment,
                author=people["governance"],
                body="Thank you — we will publish an approved list with the next review.",
            )
