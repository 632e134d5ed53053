"""The clauses a case cites, read as they stood on the day it was posted or happened: the text of the
version then in force, each change since (with the comparison that shows it), and whether the colleague
it is about had acknowledged them.

A fixed number of queries whatever the number of clauses or versions: the case page shows them on every
visit (tests/test_query_counts.py)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, OuterRef, Subquery

from core.compiled import CompiledQuery

from . import selectors
from .comparison import compare_url, full_text
from .models import Clause, ClauseItem, ClauseReacknowledgement, PolicyVersion
from .selectors import version_in_force, versions_ever_in_force


@dataclass(frozen=True)
class ClauseChangeNote:
    """A later version changed, added or removed the clause."""

    kind: str  # "changed", "added" or "removed"
    version: int
    on: datetime.date  # the day that version took effect
    url: str  # the comparison of the version before it with it


@dataclass(frozen=True)
class ClauseInForce:
    number: str
    text: str  # as the version in force had it; as cited when it was not part of that version
    existed: bool  # whether the version in force had it
    changes: list = field(default_factory=list)  # ClauseChangeNote, oldest first
    # When the colleague the concern is about confirmed reading this clause's material change in the
    # version in force (policies.services.changes_acknowledge), or None.
    reacknowledged_at: datetime.datetime | None = None


@dataclass(frozen=True)
class CitedInForce:
    on: datetime.date | None
    version: PolicyVersion | None  # the version in force on `on`, with `in_force_from`; None before any
    clauses: list  # ClauseInForce, in the order cited
    # When the colleague the concern is about acknowledged the version in force; None if they did not
    # (or the concern is about nobody on the staff).
    acknowledged_at: datetime.datetime | None = None


def cited_in_force(*, policy_version_id, on, cited, subject_id=None):
    """The clauses `cited` (ClauseAsCited: number and text as cited) of the policy of the version
    `policy_version_id`, as they stood on the day `on` (CitedInForce). With `subject_id`, whether that
    person had acknowledged the version in force, and each clause's re-acknowledgement."""
    versions = _EVER_IN_FORCE.objects(policy_version_id) if on is not None and cited else []
    version = version_in_force(versions, on)
    if version is None:
        return CitedInForce(on, None, [ClauseInForce(c.number, c.text, existed=False) for c in cited])
    later = [v for v in versions if v.number > version.number]
    texts, reacknowledged = _texts(version, [c.number for c in cited], subject_id)
    clauses = []
    for cited_clause in cited:
        text = texts[version.number].get(cited_clause.number)
        clauses.append(
            ClauseInForce(
                cited_clause.number,
                cited_clause.text if text is None else text,
                existed=text is not None,
                changes=_changes(version, later, texts, cited_clause.number),
                reacknowledged_at=reacknowledged.get(cited_clause.number),
            )
        )
    acknowledged_at = None
    if subject_id is not None:
        acknowledged_at = selectors.acknowledged_at(user_id=subject_id, version_id=version.pk)
    return CitedInForce(on, version, clauses, acknowledged_at)


# On every case page: compiled once (core/compiled.py). The versions ever in force of the policy of the
# version a case was raised under, in the order they took effect.
_EVER_IN_FORCE = CompiledQuery(
    lambda version_id: versions_ever_in_force(
        Subquery(PolicyVersion.objects.filter(pk=version_id).values("policy")[:1])
    )
)


def _texts(version, numbers, subject_id):
    """({version number: {clause number: full text}} of the version in force and the later ones, for the
    clauses numbered; {clause number: when the subject re-acknowledged it in the version in force})."""
    clauses = Clause.objects.filter(
        section__version__policy=version.policy_id,
        section__version__approved_at__isnull=False,
        section__version__number__gte=version.number,
        number__in=numbers,
    ).annotate(version_number=F("section__version__number"))
    columns = ["pk", "version_number", "number", "text"]
    if subject_id is not None:
        reacknowledged = ClauseReacknowledgement.objects.filter(clause=OuterRef("pk"), user=subject_id)
        clauses = clauses.annotate(reacknowledged_at=Subquery(reacknowledged.values("acknowledged_at")[:1]))
        columns.append("reacknowledged_at")
    rows = list(clauses.order_by().values_list(*columns))
    items = defaultdict(list)
    if rows:
        found = ClauseItem.objects.filter(clause__in=[row[0] for row in rows])
        for clause_id, text in found.order_by("clause_id", "position").values_list("clause_id", "text"):
            items[clause_id].append(text)
    texts, when = defaultdict(dict), {}
    for pk, version_number, number, text, *reacknowledged_at in rows:
        texts[version_number][number] = full_text(text, items[pk])
        if version_number == version.number and reacknowledged_at and reacknowledged_at[0]:
            when[number] = reacknowledged_at[0]
    return texts, when


def _changes(version, later, texts, number):
    """Each later version whose text of the clause differs from the one before it."""
    notes = []
    before, before_number = texts[version.number].get(number), version.number
    for newer in later:
        after = texts[newer.number].get(number)
        if after != before:
            kind = "added" if before is None else "removed" if after is None else "changed"
            url = compare_url(version.policy, before_number, newer.number)
            notes.append(ClauseChangeNote(kind, newer.number, newer.in_force_from, url))
        before, before_number = after, newer.number
    return notes
