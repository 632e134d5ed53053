import functools
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.cache import caches
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.compiled import CompiledQuery
from people.models import User, members_overseen, teams_headed

from .models import (
    Acknowledgement,
    Clause,
    ClauseItem,
    Comment,
    MaterialChange,
    Policy,
    PolicyVersion,
    ReviewDateChange,
    Section,
    in_force_from_sql,
)

# Markers that cannot occur in policy text; replaced by <mark> only after the text is escaped.
_START, _STOP = "\x02", "\x03"


def policies_awaiting_acknowledgement(*, user):
    """Current versions this person has not yet confirmed they have read, each with `has_marked_changes`
    (whether its author marked material changes: policies.changes). A list: on every home page."""
    return _AWAITING.objects(user.pk)


# Compiled once (core/compiled.py). Lists of versions never show the whole document (source_text).
_AWAITING = CompiledQuery(
    lambda user_id: (
        PolicyVersion.objects.filter(status=PolicyVersion.Status.APPROVED)
        .exclude(pk__in=Acknowledgement.objects.filter(user=user_id).values("version"))
        .annotate(
            has_marked_changes=Exists(MaterialChange.objects.filter(clause__section__version=OuterRef("pk")))
        )
        .select_related("policy")
        .defer("source_text")
    )
)


def versions_ever_in_force(policy):
    """The versions of the policy that were ever approved, each with `in_force_from` (the day it took
    effect: models.in_force_from_sql), by when they took effect."""
    return (
        PolicyVersion.objects.filter(policy=policy, approved_at__isnull=False)
        .annotate(in_force_from=in_force_from_sql())
        .select_related("policy")
        .defer("source_text")
        .order_by("in_force_from", "number")
    )


def version_in_force(versions, on):
    """The version in force on the day `on`, of a policy's `versions` (versions_ever_in_force): the one
    that took effect last on or before that day (a version is in force from the day it takes effect);
    None before the first."""
    return next((version for version in reversed(versions) if version.in_force_from <= on), None)


def acknowledged_at(*, user_id, version_id):
    """When this person acknowledged this version, or None. Asked on every case and policy page: compiled
    once (core/compiled.py)."""
    return next((at for (at,) in _ACKNOWLEDGED_AT.rows(user_id, version_id)), None)


_ACKNOWLEDGED_AT = CompiledQuery(
    lambda user_id, version_id: Acknowledgement.objects.filter(user=user_id, version=version_id).values_list(
        "acknowledged_at"
    )
)


def version_for_user(*, policy, number, user):
    """A version of the policy the person may read: drafts only for those who manage the policy."""
    version = policy.versions.filter(number=number).first()
    if version is None or (version.status == PolicyVersion.Status.DRAFT and not policy.is_managed_by(user)):
        return None
    return version


def visible_versions(*, policy, user):
    return _visible_versions(policy.pk, managed=policy.is_managed_by(user))


def _visible_versions(policy_id, *, managed):
    """The policy's versions, newest first: drafts only for those who manage it."""
    versions = PolicyVersion.objects.filter(policy=policy_id).order_by("-number")
    return versions if managed else versions.exclude(status=PolicyVersion.Status.DRAFT)


def versions_for_user(*, user):
    """Every version of every policy the person may read: drafts only of the policies they manage."""
    managed = [policy.pk for policy in Policy.objects.only("pk", "owner_id") if policy.is_managed_by(user)]
    return PolicyVersion.objects.exclude(status=PolicyVersion.Status.DRAFT) | PolicyVersion.objects.filter(
        policy__in=managed
    )


def versions_to_read(*, policy, user):
    """The versions this person may read, newest first, each with who approved it, `acknowledged_at`
    (when this person acknowledged it, or None) and `review_moved` (whether its review date was ever
    moved): the policy page's versions in one query."""
    versions = _VERSIONS_TO_READ[policy.is_managed_by(user)].objects(policy.pk, user.pk)
    for version in versions:
        version.policy = policy  # as policy.versions would: no query for each version's policy
    return versions


def _versions_to_read(policy_id, user_id, *, managed):
    acknowledged = Acknowledgement.objects.filter(version=OuterRef("pk"), user=user_id)
    return (
        _visible_versions(policy_id, managed=managed)
        .select_related("approved_by")
        .defer("source_text")  # The whole document: the page shows its sections and clauses instead.
        .annotate(
            acknowledged_at=Subquery(acknowledged.values("acknowledged_at")[:1]),
            review_moved=Exists(ReviewDateChange.objects.filter(version=OuterRef("pk"))),
        )
    )


# On every policy page: compiled once (core/compiled.py), for those who manage the policy and the others.
_VERSIONS_TO_READ = {
    managed: CompiledQuery(functools.partial(_versions_to_read, managed=managed)) for managed in (True, False)
}


@dataclass(frozen=True)
class ClauseToRead:
    pk: int
    number: str
    text: str
    items: list  # the texts of its bullet items, in order
    url: str


# A policy's pages find it, or its version in force, by its slug on every visit: compiled once (issue 13).
_POLICY = CompiledQuery(lambda slug: Policy.objects.select_related("owner").filter(slug=slug)[:1])
_APPROVED = CompiledQuery(
    lambda slug: (
        PolicyVersion.objects.filter(policy__slug=slug, status=PolicyVersion.Status.APPROVED)
        .select_related("policy")
        .defer("source_text")[:1]  # one at most (one_approved_version_per_policy)
    )
)


def policy_by_slug(slug):
    """The policy with this slug, with its owner; None if there is none."""
    return next(iter(_POLICY.objects(slug)), None)


def approved_version_by_slug(slug):
    """The approved version of the policy with this slug, with its policy (its source text deferred); None
    if there is none."""
    return next(iter(_APPROVED.objects(slug)), None)


@dataclass(frozen=True)
class SectionToRead:
    number: int
    title: str
    intro: str
    clauses: list


# A version's whole text in three fixed queries, compiled once: the policy page shows every clause, and
# building these queries in the ORM cost more than reading them (issue 13).
_SECTIONS = CompiledQuery(
    lambda version_id: (
        Section.objects.filter(version=version_id)
        .order_by("number")
        .values_list("pk", "number", "title", "intro")
    )
)
_CLAUSES = CompiledQuery(
    lambda version_id: (
        Clause.objects.filter(section__version=version_id)
        .order_by("section_id", "position")
        .values_list("pk", "section_id", "number", "text")
    )
)
_ITEMS = CompiledQuery(
    lambda version_id: (
        ClauseItem.objects.filter(clause__section__version=version_id)
        .order_by("clause_id", "position")
        .values_list("clause_id", "text")
    )
)


# How long each web process keeps a version's text. It never changes once imported (the admin shows it
# read-only, adds nothing), and the key holds the version's content hash; ten minutes bound what a deletion
# through the admin leaves shown.
TEXT_KEPT_SECONDS = 10 * 60


def _text(version):
    """(sections, clauses, items) of the version as rows, kept in this process: the policy and clause pages
    read them on every visit."""
    return caches["process"].get_or_set(
        f"policy-text:{version.pk}:{version.content_hash}",
        lambda: (_SECTIONS.rows(version.pk), _CLAUSES.rows(version.pk), _ITEMS.rows(version.pk)),
        TEXT_KEPT_SECONDS,
    )


def version_sections(version):
    """The version's sections in order, each with its clauses and their items (SectionToRead)."""
    section_rows, clause_rows, item_rows = _text(version)
    items = defaultdict(list)
    for clause_id, text in item_rows:
        items[clause_id].append(text)
    clause_url = _clause_url_maker(version)
    clauses = defaultdict(list)
    for pk, section_id, number, text in clause_rows:
        clauses[section_id].append(ClauseToRead(pk, number, text, items[pk], clause_url(number)))
    return [SectionToRead(number, title, intro, clauses[pk]) for pk, number, title, intro in section_rows]


def clause_to_read(version, number):
    """(its SectionToRead, the ClauseToRead, all the version's ClauseToRead) for the clause with this
    number in the version, or None."""
    sections = version_sections(version)
    clauses = [clause for section in sections for clause in section.clauses]
    for section in sections:
        for clause in section.clauses:
            if clause.number == number:
                return section, clause, clauses
    return None


def _clause_url_maker(version):
    """Clause number -> its address (Clause.get_absolute_url), reversing the route once per version: every
    clause's address is the same but for its number, which ends it."""
    example = "1.1"
    if version.is_current:
        url = reverse("policies:clause", args=[version.policy.slug, example])
    else:
        url = reverse("policies:version_clause", args=[version.policy.slug, version.number, example])
    prefix = url.removesuffix(f"{example}/")
    return lambda number: f"{prefix}{number}/"


@dataclass
class SearchResult:
    clause: Clause
    headline: str
    rank: float


def search_clauses(*, query, versions=None):
    """Full-text search over clauses of the given versions (default: every current version), best first."""
    query = (query or "").strip()
    if not query:
        return []
    clauses = Clause.objects.select_related("section__version__policy")
    if versions is None:
        clauses = clauses.filter(section__version__status=PolicyVersion.Status.APPROVED)
    else:
        clauses = clauses.filter(section__version__in=versions)
    if connection.vendor == "postgresql":
        return _search_postgres(clauses, query)
    return search_clauses_simple(clauses, query)


def _search_postgres(clauses, query):
    search_query = SearchQuery(query, search_type="websearch", config="english")
    found = (
        clauses.annotate(
            rank=SearchRank(SearchVector("search_document", config="english"), search_query),
            headline=SearchHeadline(
                "search_document",
                search_query,
                config="english",
                start_sel=_START,
                stop_sel=_STOP,
                max_words=40,
                min_words=15,
            ),
        )
        .filter(rank__gt=0)
        .order_by("-rank", "section__version__policy__title", "section__number", "position")[:100]
    )
    return [SearchResult(clause=c, headline=_marked(c.headline), rank=c.rank) for c in found]


def search_clauses_simple(clauses, query):
    """The fallback for databases without full-text search: every word must appear; more hits rank higher."""
    words = [w for w in re.findall(r"\w+", query.lower()) if len(w) > 1][:10]
    if not words:
        return []
    condition = Q()
    for word in words:
        condition &= Q(search_document__icontains=word)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    results = []
    for clause in clauses.filter(condition).order_by("section__number", "position")[:100]:
        hits = len(pattern.findall(clause.search_document))
        headline = pattern.sub(
            lambda m: f"{_START}{m.group(0)}{_STOP}", _excerpt(clause.search_document, pattern)
        )
        results.append(SearchResult(clause=clause, headline=_marked(headline), rank=float(hits)))
    results.sort(key=lambda r: -r.rank)
    return results


def _excerpt(text, pattern, width=240):
    match = pattern.search(text)
    start = max(0, (match.start() if match else 0) - width // 3)
    excerpt = text[start : start + width]
    return ("… " if start else "") + excerpt + (" …" if start + width < len(text) else "")


def _marked(text):
    return mark_safe(escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308 - escaped above


def people_overseen(*, viewer):
    """Active staff whose acknowledgements this person may see: everyone, or those they supervise."""
    if viewer.has_perm("policies.view_all_acknowledgements"):
        return _everyone()
    if viewer.has_perm("policies.view_team_acknowledgements"):
        return members_overseen(viewer.pk, teams_headed(viewer.pk))
    return User.objects.none()


def _everyone():
    return User.objects.filter(is_active=True)


# Counting every active person's acknowledgements of each current version cost each home page of the
# governance head 3 ms of the database at 10,000 staff (issue 13); a figure a minute old serves as well.
SUMMARY_KEPT_SECONDS = 60


def acknowledgement_summary(*, viewer):
    """For each current version: how many of the people overseen have not yet acknowledged it.

    One query however many versions (and one for the teams a supervisor heads), the people overseen and
    each version's acknowledgements by them counted in it. On the home page of everyone who oversees
    anyone, so compiled once (core/compiled.py) for everyone's and for those of a supervisor or Head of
    Service (line reports and the members of the teams they head, once for each number of teams).
    Everyone's, the same for all who see it, is kept by each web process for a minute
    (SUMMARY_KEPT_SECONDS). None for those who oversee nobody's acknowledgements."""
    if viewer.has_perm("policies.view_all_acknowledgements"):
        versions = caches["process"].get_or_set(
            "acknowledgement-summary:everyone", _OF_EVERYONE.objects, SUMMARY_KEPT_SECONDS
        )
    elif viewer.has_perm("policies.view_team_acknowledgements"):
        versions = _OF_OVERSEEN.objects(viewer.pk, *teams_headed(viewer.pk))
    else:
        return []
    return [(version, version.overseen - version.acknowledged, version.overseen) for version in versions]


def _summary(people):
    """The current versions, each with how many of `people` there are (`overseen`) and how many of them
    acknowledged it (`acknowledged`)."""
    acknowledged = (
        Acknowledgement.objects.filter(version=OuterRef("pk"), user__in=people.values("pk"))
        .order_by()
        .values("version")
        .annotate(n=Count("pk"))
        .values("n")
    )
    overseen = people.order_by().values("is_active").annotate(n=Count("pk")).values("n")
    return (
        PolicyVersion.objects.filter(status=PolicyVersion.Status.APPROVED)
        .select_related("policy")
        .defer("source_text")
        .annotate(acknowledged=Coalesce(Subquery(acknowledged), 0), overseen=Coalesce(Subquery(overseen), 0))
    )


_OF_EVERYONE = CompiledQuery(lambda: _summary(_everyone()))
_OF_OVERSEEN = CompiledQuery(lambda user_id, *teams: _summary(members_overseen(user_id, teams=list(teams))))


def acknowledgement_status(*, version, viewer, team=None, status=None):
    """The staff this viewer may oversee, each with `acknowledged_at` (when they acknowledged `version`, or
    None), by name: one query for a page of them, however many staff. `status` is "outstanding",
    "acknowledged" or None for both."""
    people = people_overseen(viewer=viewer)
    if team is not None:
        people = people.filter(team=team)
    acknowledged = Acknowledgement.objects.filter(version=version, user=OuterRef("pk"))
    # The filter as EXISTS, which the database answers as one (anti-)join, not a subquery per person.
    if status == "outstanding":
        people = people.filter(~Exists(acknowledged))
    elif status == "acknowledged":
        people = people.filter(Exists(acknowledged))
    people = people.annotate(acknowledged_at=Subquery(acknowledged.values("acknowledged_at")[:1]))
    # Plain fields ending with the primary key, as keyset pages need.
    return people.select_related("team", "line_manager").order_by("last_name", "first_name", "pk")


def acknowledgement_counts(*, version, viewer, team=None):
    """(how many of the staff overseen have acknowledged `version`, how many there are), counted in SQL."""
    people = people_overseen(viewer=viewer)
    if team is not None:
        people = people.filter(team=team)
    done = version.acknowledgements.filter(user__in=people.values("pk")).count()
    return done, people.count()


def comments_for_user(*, policy, user):
    """All comments for those who manage the policy; otherwise the person's own."""
    comments = policy.comments.select_related("author", "clause", "version").annotate(
        reply_count=Count("replies")
    )
    if not policy.is_managed_by(user):
        comments = comments.filter(author=user)
    return comments


def comment_for_user(*, policy, pk, user):
    comment = (
        Comment.objects.filter(policy=policy, pk=pk).select_related("author", "clause", "version").first()
    )
    if comment is None or not comment.is_visible_to(user):
        return None
    return comment


class ClauseAsCited(NamedTuple):
    """A clause as a case or a disciplinary record cited it: its number and text as they stood then."""

    number: str
    text: str


def cited_clauses(model, owner):
    """The clauses one case or record cites, in reading order, from `model` (CaseClause, RecordClause) by
    its `owner` field: compiled once (core.compiled), for the pages that show them on every visit."""
    query = CompiledQuery(
        lambda owner_id: (
            model.objects.filter(**{owner: owner_id})
            .order_by("clause__section__number", "clause__position")
            .values_list("number", "text")
        )
    )
    return lambda owner_id: [ClauseAsCited(*row) for row in query.rows(owner_id)]


def latest_clause(policy, number):
    """The clause of that number as the latest version that has it writes it (a clause's number is the
    policy's across versions: playbooks and the clause figures are kept by it), or None."""
    return (
        Clause.objects.filter(section__version__policy=policy, number=number)
        .select_related("section__version")
        .order_by("-section__version__number")
        .first()
    )
