"""Reads for the case lists. Every list starts from a queryset of cases.access, the one door, so that who
may see what is decided in the database in one place; the subject of a concern is in none of them."""

import datetime
import functools
from collections import defaultdict

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core.compiled import CompiledQuery
from core.counts import at_most
from core.pagination import CompiledPages
from policies.models import clause_number_order
from reminders.calendar import is_working_day, working_days_after
from reminders.models import Limits

from . import access
from .drafts import DRAFT_DAYS, ConcernDraft
from .models import (
    AWAITING_DECISION,
    CLOSED_STAGES,
    GOVERNANCE_STAGES,
    TRIAGE_STAGES,
    Case,
    CaseClause,
    CaseEvent,
    DisciplinaryReferral,
    SavedFilter,
    Stage,
)

# The columns the full list may be sorted by, and what each means in the database. `stage` sorts in
# workflow order (Case.stage_order), `age` from the youngest case to the oldest. Each ends with the primary
# key, in the direction of the column before it, so that every row has one place (keyset pages) and the
# order is that of an index: reference's unique one, created_at's, case_stage_order_idx.
SORTS = {
    "reference": ["reference"],
    "stage": ["stage_order", "created_at"],
    "raised": ["created_at"],
    "age": ["-created_at"],
    # The soonest deadline first (Case.due_on); cases with none, the closed ones, after.
    "due": ["due_soonest"],
}
# Sorts whose reverse is not the same columns reversed: the latest deadline first, but still those with
# none last, on a column of its own (Case.due_latest) so that it is one index range too.
REVERSED_SORTS = {"due": ["-due_latest"]}
DEFAULT_SORT = "-raised"
# The sorts of the queues (triage, governance): their own order (the longest waiting first), or by deadline.
QUEUE_ORDER = "waiting"
QUEUE_SORTS = ("due", "-due")
AGE_CHOICES = (7, 30, 90)
ONE_DAY = datetime.timedelta(days=1)


def _case_clauses(*fields):
    # Only what a list shows of each clause, in the policy's order, without joining the case again.
    clauses = CaseClause.objects.only("id", "case_id", "number", *fields)
    return clauses.order_by("clause__section__number", "clause__position", "pk")


def my_reports(*, user):
    """The concerns this person raised, newest first. Nothing about who handles them."""
    if not user.is_active:
        return Case.objects.none()
    return _my_reports_of(user.pk)


def _my_reports_of(user_id):
    return (
        access.cases_reported_by_id(user_id)
        .only("id", "reference", "stage", "created_at", "due_on")
        .order_by("-created_at", "-pk")
    )


def open_reports_counted(user):
    """What counts the open concerns this active person raised (core.counts.count_each): every one."""
    return _OPEN_REPORTS.part(user.pk)


def governance_queue_counted(user):
    """What counts the governance head's queue (governance_queue), up to core.counts.MOST + 1."""
    return _GOVERNANCE_QUEUE_IDS.part(user.pk)


# The home page counts both on every visit: compiled once (core/compiled.py).
_OPEN_REPORTS = CompiledQuery(
    lambda user_id: (
        access.cases_reported_by_id(user_id).exclude(stage__in=CLOSED_STAGES).order_by().values("pk")
    )
)
_GOVERNANCE_QUEUE_IDS = CompiledQuery(
    lambda user_id: at_most(
        access.cases_handled_by_id(user_id, every_case=True).filter(stage__in=GOVERNANCE_STAGES)
    )
)


def concern_drafts(*, user):
    """This person's drafts of a concern that are still kept, the latest saved first."""
    since = timezone.now() - datetime.timedelta(days=DRAFT_DAYS)
    return ConcernDraft.objects.filter(reporter=user, saved_at__gt=since).order_by("-saved_at", "-pk")


def _queue_order(sort, default):
    """A queue's ORDER BY: by deadline for a sort in QUEUE_SORTS, else its own `default` order."""
    return sort_fields(sort=sort) if sort in QUEUE_SORTS else default


def triage_queue(*, user, sort=None):
    """Cases assigned to this person that are waiting for triage, the longest waiting first (or by
    deadline: `sort` "due" or "-due").

    Filtered on handler as well: for the Head of Business and Governance cases_handled_by is every case,
    but their triage queue is only the cases routed to them.
    """
    if not user.is_active:
        return Case.objects.none()
    return _triage_queue_of(user.pk, every_case=manages_all_cases(user), sort=sort)


def _triage_queue_of(user_id, *, every_case, sort):
    return (
        access.cases_handled_by_id(user_id, every_case=every_case)
        .filter(stage__in=TRIAGE_STAGES, handler=user_id)
        .select_related("reporter_team")
        .order_by(*_queue_order(sort, ["created_at", "pk"]))
    )


def governance_queue(*, user, sort=None):
    """Referred cases and those under review or in action, for the Head of Business and Governance; the
    longest in their stage first (or by deadline, as the triage queue)."""
    if not user.is_active or not user.has_perm("cases.manage_all_cases"):
        return Case.objects.none()
    return _governance_queue_of(user.pk, every_case=True, sort=sort)


def list_pages(select, *, user, sort=None, size, narrowed=None):
    """The readers of the pages (core.pagination.CompiledPages) of the list my_reports, triage_queue,
    governance_queue or all_cases (`select`) gives this person in this `sort`, compiled once per process for
    each shape: these lists are opened far more often than they are filtered. `narrowed`, if given, is
    (narrow, shape, arguments): the list filtered further by narrow(list, shape, arguments), filters whose
    SQL a compiled query may hold (cases.filters.compiled_filters)."""
    narrow, shape, arguments = narrowed or (None, (), ())
    pages = _list_pages(select.__name__, manages_all_cases(user), sort, size, narrow, shape)
    return pages.readers(user.pk, *arguments)


@functools.cache
def _list_pages(name, every_case, sort, size, narrow=None, shape=()):
    def build(user_id, *arguments):
        cases = _LISTS_BY_ID[name](user_id, every_case=every_case, sort=sort)
        return narrow(cases, shape, arguments) if narrow else cases

    return CompiledPages(build, size)


def _governance_queue_of(user_id, *, every_case, sort):
    return (
        access.cases_handled_by_id(user_id, every_case=every_case)
        .filter(stage__in=GOVERNANCE_STAGES)
        .select_related("handler", "reporter_team")
        .order_by(*_queue_order(sort, ["stage_changed_at", "pk"]))
    )


def leavers_open_cases(*, user):
    """Open cases whose handler has left, for the Head of Business and Governance to reassign; the oldest
    first. A handler whose leaving date has come counts before the sweep has carried it out."""
    if not manages_all_cases(user):
        return Case.objects.none()
    return leavers_open_cases_of(user.pk, timezone.localdate())


def leavers_open_cases_of(user_id, today):
    """leavers_open_cases of the governance head with this id, on `today`: what the compiled queries of the
    governance queue and of the home page's queue are made of (core/compiled.py)."""
    left = Q(handler__is_active=False) | Q(handler__left_on__lte=today)
    return (
        access.cases_handled_by_id(user_id, every_case=True)
        .exclude(stage__in=CLOSED_STAGES)
        .filter(left)
        .select_related("handler", "reporter_team")
        .order_by("created_at", "pk")
    )


def leavers_cases_to_reassign(*, user):
    """leavers_open_cases as a list, for the governance queue: its query compiled once per process."""
    if not manages_all_cases(user):
        return []
    return _LEAVERS.objects(user.pk, timezone.localdate())


_LEAVERS = CompiledQuery(leavers_open_cases_of)


def triage_limit(limits):
    """The working days a case may wait for triage before it is past the limit (and escalated)."""
    return limits.triage_escalation_working_days


def decision_limit(limits):
    """The working days a referred case may wait for the governance head's decision."""
    return limits.governance_reminder_working_days


# The spans of working days taken that the reports' timings count, and that All cases filters by
# (`time_to_triage`, `time_to_decision`): within the reminder, after it and within the limit, within the
# limit, over it.
WITHIN_REMINDER, AFTER_REMINDER, WITHIN_LIMIT, OVER_LIMIT = (
    "within_reminder",
    "after_reminder",
    "within_limit",
    "over_limit",
)


def timing_span(timing, span, limits):
    """(more than, up to) working days of `span` of the triage or decision timing; None: no bound. The
    triage reminder is never later than the escalation; the governance head is reminded at the limit."""
    limit = triage_limit(limits) if timing == "triage" else decision_limit(limits)
    reminder = min(limits.triage_reminder_working_days, limit) if timing == "triage" else limit
    return {
        WITHIN_REMINDER: (None, reminder),
        AFTER_REMINDER: (reminder, limit),
        WITHIN_LIMIT: (None, limit),
        OVER_LIMIT: (limit, None),
    }[span]


def taken_within(cases, *, timing, span, limits=None):
    """Of `cases`, those whose first triage or decision ("triage", "decision") is done and took the
    working days of `span` (Case.triage_working_days, decision_working_days) against the limits now."""
    more_than, up_to = timing_span(timing, span, limits or Limits.current())
    return taken_between(cases, timing=timing, more_than=more_than, up_to=up_to)


def taken_between(cases, *, timing, more_than, up_to):
    """Of `cases`, those whose first triage or decision is done and took more than `more_than` and at
    most `up_to` working days (None: no bound)."""
    field = f"{timing}_working_days"
    cases = cases.filter(**{f"{field}__isnull": False})
    if more_than is not None:
        cases = cases.filter(**{f"{field}__gt": more_than})
    if up_to is not None:
        cases = cases.filter(**{f"{field}__lte": up_to})
    return cases


def _never_left(stages):
    """A case never moved out of these stages: no stage event from one of them to any other stage."""
    left = CaseEvent.objects.filter(case=OuterRef("pk"), kind=CaseEvent.Kind.STAGE, from_stage__in=stages)
    return ~Exists(left.exclude(to_stage__in=stages))


def _at(stages):
    # By the stages' places in the workflow, which case_stage_order_idx serves.
    return Q(stage_order__in=[Stage.values.index(stage) for stage in stages])


def _local_midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _started_past(field, *, limit, now):
    """Q: a clock started at `field`, still running, is past `limit` working days at `now`, as the reports
    judge it (reports.selectors.timings): more than `limit` working days from its day to today, or exactly
    `limit` and either today is not a working day or it started earlier in its day than the time now.
    As ranges of the moment, which an index on it serves."""
    local_now = timezone.localtime(now)
    today, day, on_the_limit = local_now.date(), local_now.date(), []
    while (taken := working_days_after(day, today)) <= limit:
        if taken == limit:
            on_the_limit.append(day)
        day -= datetime.timedelta(days=1)
    past = Q(**{f"{field}__lt": _local_midnight(day + datetime.timedelta(days=1))})
    for day in on_the_limit:
        until = datetime.datetime.combine(day, local_now.time().replace(tzinfo=None))
        end = timezone.make_aware(until) if is_working_day(today) else _local_midnight(day + ONE_DAY)
        past |= Q(**{f"{field}__gte": _local_midnight(day), f"{field}__lt": end})
    return past


def triage_not_done(cases, *, past_limit_at=None, limits=None):
    """Of `cases`, those not triaged yet: never closed at triage nor referred (cases.timers). A case
    reopened into triage was triaged once, and is not among them: the reports measure the first triage
    (reports.selectors.timings). Only cases at a triage stage are looked at, so few events are probed.
    With `past_limit_at` (a moment), only those past the triage limit then."""
    cases = cases.filter(_at(TRIAGE_STAGES), _never_left(TRIAGE_STAGES))
    if past_limit_at is None:
        return cases
    limit = triage_limit(limits or Limits.current())
    return cases.filter(_started_past("created_at", limit=limit, now=past_limit_at))


def decision_not_made(cases, *, past_limit_at=None, limits=None):
    """Of `cases`, those referred to the Head of Business and Governance and not decided yet: never moved
    on to action or closed since the referral (cases.timers). A closed case reopened for review was decided
    once, and is not among them, as the reports measure the first decision. With `past_limit_at`, only
    those past the decision limit then, counted from the referral (a case waiting was referred once)."""
    cases = cases.filter(_at(AWAITING_DECISION), _never_left(AWAITING_DECISION))
    if past_limit_at is None:
        return cases
    limit = decision_limit(limits or Limits.current())
    referred = CaseEvent.objects.filter(
        _started_past("at", limit=limit, now=past_limit_at),
        case=OuterRef("pk"),
        kind=CaseEvent.Kind.STAGE,
        to_stage=Stage.REFERRED,
    )
    return cases.filter(Exists(referred))


def sort_fields(*, sort):
    """The ORDER BY for a sort key such as "stage" or "-raised"; unknown keys give the default."""
    key = sort.removeprefix("-") if sort else ""
    if key not in SORTS:
        return sort_fields(sort=DEFAULT_SORT)
    fields = SORTS[key]
    if sort.startswith("-"):
        fields = REVERSED_SORTS.get(key) or [
            field.removeprefix("-") if field.startswith("-") else f"-{field}" for field in fields
        ]
    return [*fields, "-pk" if fields[-1].startswith("-") else "pk"]


def sorted_by(cases, *, sort):
    """`cases`, a list of this module, in the order of a sort key (sort_fields): cheaper than building the
    list again for the sort."""
    return cases.order_by(*sort_fields(sort=sort))


# What All cases shows of a case: building 25 rows of every column (the description, every field of the
# handler) cost the page more Python than drawing them. Exports and the API choose their own columns.
ALL_CASES_FIELDS = [
    "id",
    "reference",
    "stage",
    "stage_order",  # sort keys: the next page's cursor reads them from the last row
    "due_on",
    "due_soonest",
    "due_latest",
    "stage_changed_at",
    "created_at",
    "subject_kind",
    "platform",
    "platform_other",
    "handler__username",
    "handler__first_name",
    "handler__last_name",
    "reporter_team__name",
]


def all_cases(*, user, sort=DEFAULT_SORT):
    """Every case the person may manage, sorted, with what the list shows; none for anyone else.

    Filtered by cases.filters.CaseFilter, the filters of the page, its downloads and the API alike.
    """
    if not user.is_active or not user.has_perm("cases.manage_all_cases"):
        return Case.objects.none()
    return _all_cases_of(user.pk, every_case=True, sort=sort)


def _all_cases_of(user_id, *, every_case, sort):
    return (
        access.cases_handled_by_id(user_id, every_case=every_case)
        .select_related("handler", "reporter_team")
        .only(*ALL_CASES_FIELDS)
        .order_by(*sort_fields(sort=sort))
    )


# The lists list_pages reads, by their selector's name: the same queryset from the person's id and shape.
_LISTS_BY_ID = {
    "my_reports": lambda user_id, *, every_case, sort: _my_reports_of(user_id),
    "triage_queue": _triage_queue_of,
    "governance_queue": _governance_queue_of,
    "all_cases": _all_cases_of,
}


def with_clause_numbers(cases):
    """Set `clause_numbers` on each of `cases` (a page of a list): the numbers of the clauses it cites, in
    the policy's reading order. One small query, read from case_clause_numbers_idx alone; a prefetch of the
    clauses cost All cases more Python than the rest of its query (issue 13)."""
    return _set_numbers(cases, _CITED_NUMBERS, "clause_numbers")


def _set_numbers(objects, numbers_of, attribute):
    """Set `attribute` on each of `objects`: the clause numbers `numbers_of` (a compiled query of pairs of
    an object's id and a number, given the ids) reads for it, in the policy's reading order."""
    numbers = defaultdict(list)
    if objects:
        for pk, number in numbers_of.rows(*[each.pk for each in objects]):
            numbers[pk].append(number)
    for each in objects:
        setattr(each, attribute, sorted(numbers[each.pk], key=clause_number_order))
    return objects


# Compiled once for each number of cases (core/compiled.py): a page of a list is always 25 but the last.
_CITED_NUMBERS = CompiledQuery(
    lambda *case_ids: CaseClause.objects.filter(case__in=case_ids).order_by().values_list("case_id", "number")
)


def referrals_to_hr(*, user):
    """Disciplinary referrals made to HR, newest first, for those who may see them (the numbers of the
    clauses breached: with_breached_numbers).

    Nobody sees a referral about themselves, or one on a case they are the subject of.
    """
    if not sees_referrals(user):
        return DisciplinaryReferral.objects.none()
    return _referrals_to_hr_of(user.pk)


def _referrals_to_hr_of(user_id):
    return referrals_seen_by(user_id).order_by("-recorded_at", "-pk")


def referral_pages(*, user, size):
    """The readers of the pages of referrals_to_hr for this person, compiled once per process
    (core.pagination.CompiledPages); none to read for someone who may see none."""
    if not sees_referrals(user):
        return {}
    return _referral_pages(size).readers(user.pk)


@functools.cache
def _referral_pages(size):
    return CompiledPages(_referrals_to_hr_of, size)


def with_breached_numbers(referrals):
    """Set `breached_numbers` on each of `referrals` (a page of the list): the numbers of the clauses it
    says were breached, in the policy's reading order, in one small query (a prefetch of the clauses cost
    the list more Python than the rest of its page: issue 13)."""
    return _set_numbers(referrals, _BREACHED_NUMBERS, "breached_numbers")


_BREACHED_NUMBERS = CompiledQuery(
    lambda *referral_ids: (
        DisciplinaryReferral.clauses_breached.through.objects.filter(disciplinaryreferral__in=referral_ids)
        .order_by()
        .values_list("disciplinaryreferral_id", "caseclause__number")
    )
)


def sees_referrals(user):
    return user.is_active and user.has_perm("cases.view_referrals_to_hr")


def referrals_seen_by(user_id):
    return (
        DisciplinaryReferral.objects.exclude(person=user_id)
        .exclude(case__subject_person=user_id)
        .select_related("case", "person", "recorded_by", "disciplinary_record")
    )


def referral_for_user(*, user, pk):
    """One referral to HR, or None if it does not exist or the person may not see it."""
    if not sees_referrals(user):
        return None
    return next(iter(_REFERRAL.objects(user.pk, pk)), None)


# On every referral page: compiled once (core/compiled.py). One id: no ordering.
_REFERRAL = CompiledQuery(lambda user_id, pk: referrals_seen_by(user_id).filter(pk=pk).order_by()[:1])


def breached_clauses(referral):
    """The clauses a referral says were breached, as they read when the concern was raised, in the
    policy's order: its page's one list, compiled once (a prefetch built its query on each visit)."""
    return _BREACHED.objects(referral.pk)


_BREACHED = CompiledQuery(
    lambda referral_id: _case_clauses("text").filter(
        pk__in=DisciplinaryReferral.clauses_breached.through.objects.filter(
            disciplinaryreferral=referral_id
        ).values("caseclause")
    )
)


# On every page of All cases: compiled once (core/compiled.py); most people have none.
_SAVED_FILTERS = CompiledQuery(lambda owner_id: SavedFilter.objects.filter(owner=owner_id))


def saved_filters(owner):
    """The person's saved filters of All cases, by name."""
    return _SAVED_FILTERS.objects(owner.pk)


def manages_all_cases(user):
    """Whether the person manages every case (the governance head): the shape of their lists' queries."""
    return user.has_perm("cases.manage_all_cases")
