"""Material changes (MaterialChange) and re-acknowledgement: reads. When a new version changes clauses
materially, its author marks them on the draft; once it is approved, staff who acknowledged the version
before it read only those clauses' changes and confirm (services.changes_acknowledge), which acknowledges
the new version. Staff who never acknowledged the version before read the whole policy."""

from django.db.models import Exists, OuterRef, Q, Subquery

from core.compiled import CompiledQuery

from .comparison import compare_versions
from .models import Acknowledgement, MaterialChange, PolicyVersion


def previous_version(version):
    """The version in force before this one: the latest approved before it, or None for the first."""
    earlier = version.policy.versions.filter(number__lt=version.number, approved_at__isnull=False)
    return earlier.defer("source_text").order_by("-number").first()


def changes_since_previous(version):
    """The clauses this version changed or added since the version before it (comparison.ClauseChange,
    in policy order): what its author may mark as material. None for a first version."""
    previous = previous_version(version)
    if previous is None:
        return None
    return [change for change in compare_versions(previous, version) if change.kind in ("changed", "added")]


def marked_numbers(version):
    """The numbers of the clauses of this version marked as material changes."""
    return set(
        MaterialChange.objects.filter(clause__section__version=version).values_list(
            "clause__number", flat=True
        )
    )


def reads_changes_only(user_id):
    """The condition, on PolicyVersion, that the person `user_id` may acknowledge the version by reading its
    material changes alone: its author marked some, and they acknowledged the version in force before it."""
    before = PolicyVersion.objects.filter(
        policy=OuterRef(OuterRef("policy")),
        number__lt=OuterRef(OuterRef("number")),
        approved_at__isnull=False,
    ).order_by("-number")
    acknowledged_before = Acknowledgement.objects.filter(
        user=user_id, version=Subquery(before.values("pk")[:1])
    )
    marked = MaterialChange.objects.filter(clause__section__version=OuterRef("pk"))
    return Q(Exists(marked)) & Q(Exists(acknowledged_before))


def with_changes_only(versions, user):
    """`versions` (with `has_marked_changes`, as selectors.policies_awaiting_acknowledgement gives them),
    each with `changes_only`: whether `user` may acknowledge it by reading its changes. Asked only of the
    versions with changes marked: the home page lists them for everyone, and building the condition cost
    more than the rest of the page's queries (benchmarks/pages.py)."""
    marked = {version.pk for version in versions if version.has_marked_changes}
    if marked:
        may_read_changes = PolicyVersion.objects.filter(pk__in=marked).filter(reads_changes_only(user.pk))
        marked = set(may_read_changes.values_list("pk", flat=True))
    for version in versions:
        version.changes_only = version.pk in marked
    return versions


def changes_to_acknowledge(*, version, user):
    """The material changes (comparison.ClauseChange: old and new text) this person, who has not
    acknowledged the current version yet, may read to acknowledge it; or None when they acknowledge it
    whole. Both callers know already that they have not (the policy page's versions carry it, and
    acknowledging reads it first), so it is not read again here."""
    if not version.is_current or not user.has_perm("policies.add_acknowledgement"):
        return None
    # Compiled once (core/compiled.py): asked on the policy page of everyone yet to acknowledge it.
    if not _MAY_READ_CHANGES.rows(version.pk, user.pk):
        return None
    numbers = marked_numbers(version)
    return [change for change in changes_since_previous(version) or [] if change.number in numbers]


_MAY_READ_CHANGES = CompiledQuery(
    lambda version_id, user_id: (
        PolicyVersion.objects.filter(pk=version_id).filter(reads_changes_only(user_id)).values_list("pk")
    )
)
