"""Each person's work queues, by the roles they hold: what the home page lists and the navigation counts.

Each queue's query lives in the app that owns the work (cases, discipline, business_use selectors); this
module only says who sees which, in the order the home page shows them. A person with several roles sees
each of their queues. Messages from reporters wait for an answer in the queue of those who answer them
(the case's handler, and the governance head while a case is with them).
"""

from django.core.cache import caches

from business_use import selectors as business_use_selectors
from cases import work as case_work
from cases.access import handles_any_case
from core.counts import MOST, capped, count_each
from discipline import selectors as discipline_selectors
from people.roles import Role


def handles_cases(user):
    """Supervisors and Heads of Service, and anyone a concern has been routed to (one probe of the
    handler index, on every page). Kept on the user for the request, as their roles are: the home page
    asks for its queues and the navigation again."""
    if not hasattr(user, "_handles_cases"):
        user._handles_cases = (
            user.has_role(Role.SUPERVISOR) or user.has_role(Role.HEAD_OF_SERVICE) or handles_any_case(user)
        )
    return user._handles_cases


def _queue_makers(user):
    makers = []
    if user.has_perm("cases.manage_all_cases"):
        makers += [
            case_work.governance_review_work,
            case_work.removal_deadlines_work,
            case_work.breach_decisions_work,
            case_work.leavers_work,
            case_work.reporter_messages_work,
        ]
    elif user.has_role(Role.INFOSEC):
        makers.append(case_work.breach_decisions_work)
    if handles_cases(user):
        # For the governance head: the cases escalated or routed to them.
        makers += [case_work.triage_work, case_work.reporter_feedback_work]
        if case_work.reporter_messages_work not in makers:
            makers.append(case_work.reporter_messages_work)
    if user.has_perm("discipline.manage_disciplinary_records"):
        makers += [
            case_work.referrals_awaiting_record_work,
            discipline_selectors.hearings_and_appeals_work,
            discipline_selectors.warnings_expiring_work,
        ]
    if any(user.has_role(role) for role in _DECIDERS):
        makers.append(business_use_selectors.decisions_work)
    return makers


# Who may have business use requests waiting for them (access.requests_waiting_for).
_DECIDERS = (Role.SUPERVISOR, Role.HEAD_OF_SERVICE, Role.COMMS, Role.INFOSEC)


def work_queues(user, *, also_count=()):
    """The person's queues, each its most urgent rows soonest first with a capped count. Also refreshes
    the navigation's count, so that it is right after the person looks at their work.

    The rows are read first: a queue with fewer than QUEUE_ROWS has counted itself. The others are counted
    in one query, with `also_count` (querysets, as core.counts.count_each takes them), whose counts come
    back beside the queues."""
    queues = _queues(user)
    for queue in queues:
        queue.items  # noqa: B018 - reads the rows
    uncounted = [queue for queue in queues if not queue.counted]
    counts = count_each([queue.counted_ids() for queue in uncounted] + list(also_count))
    for queue, count in zip(uncounted, counts, strict=False):
        queue.count = capped(count)
    # Kept for the navigation of this page too, which need not rely on the cache.
    user._work_count = _total(queues)
    caches["process"].set(_key(user), user._work_count, timeout=WORK_COUNT_SECONDS)
    caches["process"].set(_key(user, "handles-cases"), handles_cases(user), timeout=WORK_COUNT_SECONDS)
    return queues, counts[len(uncounted) :]


def _queues(user):
    return [queue for make in _queue_makers(user) if (queue := make(user=user)) is not None]


def _total(queues):
    return capped(sum(MOST + 1 if isinstance(q.count, str) else q.count for q in queues))


# The navigation's count is kept this long per person in each web process's memory (like the clause
# filter's choices): a minute old at most, and the home page counts afresh and puts its total there, so it
# is right after the person looks at their work. Asking Redis for it would cost about what the one query
# costs.
WORK_COUNT_SECONDS = 60


def work_count(user):
    """How much work is waiting for this person across their queues, capped ("99+"): on a miss of the
    cache, one query that counts at most MOST + 1 index entries of each queue; none for those with no
    queues."""
    if hasattr(user, "_work_count"):  # the home page has just counted
        return user._work_count
    return caches["process"].get_or_set(
        _key(user), lambda: _count_together(_queues(user)), WORK_COUNT_SECONDS
    )


def offers_triage(user):
    """Whether the navigation offers the triage queue: handles_cases, kept in the process's memory as the
    work count is (its query ran on every page of everyone who is not a supervisor); the home page asks
    afresh and puts its answer there. The queue itself checks who may open it."""
    return caches["process"].get_or_set(
        _key(user, "handles-cases"), lambda: handles_cases(user), WORK_COUNT_SECONDS
    )


def _count_together(queues):
    """Every queue's capped count in one query, added up."""
    return capped(sum(count_each([queue.counted_ids() for queue in queues])))


def _key(user, what="work-count"):
    return f"{what}:{user.pk}"
