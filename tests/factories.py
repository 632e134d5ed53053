"""Test data: factories for the models, and one recipe for each of the base set of people, the policy and
cases, which the fixtures in tests/conftest.py and the data sets built once for a module share."""

import datetime

import factory
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from cases import services
from cases.models import Outcome, Platform, Stage, SubjectKind
from people.models import Team, User
from people.roles import Role
from policies import services as policy_services

PASSWORD = "correct-horse-battery"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A member of staff. `roles=[Role.SUPERVISOR]` adds roles on top of Staff."""

    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@focus.example")
    job_title = "Support Worker"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        names = [Role.STAFF, *(extracted or [])]
        self.groups.set(Group.objects.filter(name__in=names))


# --- The base set of people, one recipe each. tests/conftest.py gives each person as a fixture; data sets
# built once for a module, which cannot use those fixtures, take everyone at once from base_people().

TEAM, OTHER_TEAM = "Community Support", "Supported Living"


def make_head_of_service(teams):
    """The Head of Service over `teams`, a member of the first."""
    person = UserFactory(username="headofservice", roles=[Role.HEAD_OF_SERVICE], team=teams[0])
    for team in teams:
        team.head_of_service = person
        team.save()
    return person


def make_governance():
    """The Head of Business and Governance."""
    return UserFactory(
        username="governance", roles=[Role.GOVERNANCE], job_title="Head of Business and Governance"
    )


def make_second_governance_head():
    """A second Head of Business and Governance, besides the one of the base set."""
    return UserFactory(username="governance2", roles=[Role.GOVERNANCE])


def make_supervisor(team, head_of_service, username="supervisor"):
    return UserFactory(username=username, roles=[Role.SUPERVISOR], team=team, line_manager=head_of_service)


def make_staff(team, supervisor, username="staff"):
    return UserFactory(username=username, team=team, line_manager=supervisor)


def make_hr(username="hr"):
    return UserFactory(username=username, roles=[Role.HR])


def make_administrator():
    return UserFactory(username="admin", roles=[Role.ADMINISTRATOR], is_staff=True)


def make_outsider():
    """Staff with no relation to anything under test."""
    return UserFactory(username="outsider")


def make_comms():
    """The Central Business Unit Digital Information Team (CBUCP)."""
    return UserFactory(username="comms", roles=[Role.COMMS])


def make_infosec():
    """The Head of Information & Security."""
    return UserFactory(username="infosec", roles=[Role.INFOSEC], first_name="Iris", last_name="Sec")


def make_agency_worker():
    """A member of agency staff, in the Bank Staff team."""
    return UserFactory(
        username="agency", team=TeamFactory(name="Bank Staff"), employment_type=User.EmploymentType.AGENCY
    )


def base_people():
    """Everyone in the base set, by the name of the fixture that gives each in tests/conftest.py."""
    team, other_team = TeamFactory(name=TEAM), TeamFactory(name=OTHER_TEAM)
    head = make_head_of_service([team, other_team])
    supervisor = make_supervisor(team, head)
    other_supervisor = make_supervisor(other_team, head, username="supervisor2")
    return {
        "team": team,
        "other_team": other_team,
        "head_of_service": head,
        "governance": make_governance(),
        "supervisor": supervisor,
        "other_supervisor": other_supervisor,
        "staff": make_staff(team, supervisor),
        "other_staff": make_staff(other_team, other_supervisor, username="staff2"),
        "hr": make_hr(),
        "administrator": make_administrator(),
        "outsider": make_outsider(),
        "comms": make_comms(),
        "infosec": make_infosec(),
    }


# --- The policy.

SEED = settings.BASE_DIR / "data" / "social-media-policy.txt"


def make_policy(governance, text=None, title="Social Media Policy"):
    """The Social Media Policy (or another of the same text, by `title`), imported and approved, owned by
    the Head of Business and Governance."""
    text = SEED.read_text(encoding="utf-8") if text is None else text
    version = policy_services.policy_import(text=text, title=title).version
    version.policy.owner = governance
    version.policy.save()
    policy_services.version_approve(version=version, by=governance)
    return version.policy


def make_draft_v2(text=None):
    """A second text of the policy, still a draft: 5.3 reworded and a new clause 10.3."""
    text = SEED.read_text(encoding="utf-8") if text is None else text
    text = text.replace(
        "Staff should therefore avoid making controversial comments",
        "Staff must therefore avoid making controversial or unkind comments",
    ).replace(
        "by contacting the Head of Business and Governance.",
        "by contacting the Head of Business and Governance.\n- 10.3 Comments can be made in focuspolicy.",
    )
    return policy_services.policy_import(text=text, title="Social Media Policy").version


# --- Cases: raised through the service, then moved along the workflow as people would.

# The moves, and who makes them, that take a newly raised case to each stage.
PATH = {
    Stage.SUBMITTED: [],
    Stage.IN_TRIAGE: [("start_triage", "handler")],
    Stage.CLOSED_AT_TRIAGE: [("close_at_triage", "handler")],
    Stage.REFERRED: [("start_triage", "handler"), ("refer", "handler")],
    Stage.UNDER_REVIEW: [("start_triage", "handler"), ("refer", "handler"), ("start_review", "governance")],
    Stage.ACTION_IN_PROGRESS: [
        ("start_triage", "handler"),
        ("refer", "handler"),
        ("start_review", "governance"),
        ("start_action", "governance"),
    ],
    Stage.CLOSED: [
        ("start_triage", "handler"),
        ("refer", "handler"),
        ("start_review", "governance"),
        ("close", "governance"),
    ],
}


def _start_of_today():
    return timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))


def case_raised(policy, reporter, **fields):
    """A concern about a posting, raised by `reporter` under the current version of `policy` through the
    service, as the form would."""
    version = policy.current_version()
    defaults = {
        "subject_kind": SubjectKind.PUBLIC,
        "subject_description": "A Facebook account called 'Concerned Neighbour'",
        "platform": Platform.FACEBOOK,
        "links": "https://facebook.example/posts/1",
        # Seen a little earlier, the same day: the policy's version came into force today, and a posting
        # seen before midnight fell on a day no version was in force (between midnight and three).
        "seen_at": max(timezone.now() - datetime.timedelta(hours=3), _start_of_today()),
        "description": "A post naming a service user and describing their care.",
        "clauses": [version.clauses().get(number="5.2")],
    }
    defaults.update(fields)
    return services.case_raise(reporter=reporter, policy_version=version, **defaults)


def concern_about_colleague(policy, reporter, colleague):
    """`reporter` reports `colleague`'s posting; it goes to the reporter's supervisor."""
    return case_raised(
        policy, reporter, subject_kind=SubjectKind.COLLEAGUE, subject_person=colleague, subject_description=""
    )


def case_moved_to(case, stage, *, governance):
    """The moves that take `case` to `stage`, each made by the person allowed (its handler, or
    `governance`)."""
    for name, who in PATH[stage]:
        by = case.handler if who == "handler" else governance
        extra = {"reason": "Recorded for the test."}
        if name == "close":
            extra["outcome"] = Outcome.NO_BREACH
        case = services.case_move(case=case, by=by, move=name, **extra)
    return case
