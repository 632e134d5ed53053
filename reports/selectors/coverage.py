"""Who has acknowledged a policy's version, team by team (clause 10.4's record of acknowledgement)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from policies.models import Acknowledgement, PolicyVersion
from policies.selectors import people_overseen

from .door import NO_TEAM

# --- Acknowledgements ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamCoverage:
    team: str
    staff: int
    acknowledged: int

    @property
    def outstanding(self):
        return self.staff - self.acknowledged

    @property
    def percent(self):
        return round(100 * self.acknowledged / self.staff) if self.staff else 0


@dataclass(frozen=True)
class Coverage:
    """Who has acknowledged one version, team by team, among the people the viewer oversees."""

    version: PolicyVersion
    teams: list = field(default_factory=list)

    @property
    def total(self):
        return TeamCoverage(
            "All teams", sum(t.staff for t in self.teams), sum(t.acknowledged for t in self.teams)
        )


def acknowledgement_coverage(*, viewer, versions=None):
    """For each version (default: every policy's current version), its acknowledgement by team.

    The people counted are those of the acknowledgement report (policies.selectors.people_overseen):
    everyone for the governance head. Three queries however many versions, teams or people.
    """
    if versions is None:
        versions = PolicyVersion.objects.filter(status=PolicyVersion.Status.APPROVED)
    versions = list(versions.select_related("policy").order_by("policy__title"))
    people = people_overseen(viewer=viewer)
    staff = dict(people.order_by().values_list("team__name").annotate(n=Count("pk")))
    acknowledged = defaultdict(dict)
    rows = (
        Acknowledgement.objects.filter(version__in=versions, user__in=people.values("pk"))
        .order_by()
        .values_list("version", "user__team__name")
        .annotate(n=Count("pk"))
    )
    for version_id, team, n in rows:
        acknowledged[version_id][team] = n
    teams = sorted(staff, key=lambda name: (name is None, name or ""))
    return [
        Coverage(
            version,
            [
                TeamCoverage(team or NO_TEAM, staff[team], acknowledged[version.pk].get(team, 0))
                for team in teams
            ],
        )
        for version in versions
    ]
