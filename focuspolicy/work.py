"""Each person's work queues, by the roles they hold: what the home page lists and the navigation counts.

Each queue's query lives in the app that owns the work (cases, discipline, business_use selectors); this
module only says who sees which, in the order the home page shows them. A person with several roles sees
each of their queues. Messages from reporters wait for an answer in the queue of those who answer them
(the case's handler, and the governance head while a case is with them).
"""

from django.core.cache import caches
from django.db import connection

from business_use import selectors as business_use_selectors
from cases import selectors as case_selectors
from cases.access import handles_any_case
from core.counts import MOST, capped
from discipline import selectors as discipline_selectors
from people.roles import Role


def handles_cases(user):
    """Supervisors and Heads of Service, and anyone a concern has been routed to (one probe of the
    handler index, on every page)."""
    if user.has_role(Role.SUPERVISOR) or user.has_role(Role.HEAD_OF_SERVICE):
        return True
    return handles_any_case(user)


def _queue_makers(user):
    makers = []
    if user.has_perm("cases.manage_all_cases"):
        makers += [
            case_selectors.governance_review_work,
            case_selectors.removal_deadlines_work,
            case_selectors.breach_decisions_work,
            case_selectors.leavers_work,
            case_selectors.reporter_messages_work,
        ]
    elif user.has_role(Role.INFOSEC):
        makers.append(case_selectors.breach_decisions_work)
    if handles_cases(user):
        # For the governance head: the cases escalated or routed to them.
        makers += [case_selectors.triage_work, case_selectors.reporter_feedback_work]
        if case_selectors.reporter_messages_work not in makers:
            makers.append(case_selectors.reporter_messages_work)
    if user.has_perm("discipline.manage_disciplinary_records"):
        makers += [
            case_selectors.referrals_awaiting_record_work,
            discipline_selectors.hearings_and_appeals_work,
            discipline_selectors.warnings_expiring_work,
        ]
    if any(user.has_role(role) for role in _DECIDERS):
        makers.append(business_use_selectors.decisions_work)
    return makers


# Who may have business use requests waiting for them (access.requests_waiting_for).
_DECIDERS = (Role.SUPERVISOR, Role.HEAD_OF_SERVICE, Role.COMMS, Role.INFOSEC)


def work_queues(user):
    """The person's queues, each its most urgent rows soonest first with a capped count. Also refreshes
    the navigation's count, so that it is right after the person looks at their work."""
    queues = _queues(user)
    caches["process"].set(_key(user), _total(queues), timeout=WORK_COUNT_SECONDS)
    return queues


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
    return caches["process"].get_or_set(
        _key(user), lambda: _count_together(_queues(user)), WORK_COUNT_SECONDS
    )


def _count_together(queues):
    """Every queue's capped count in one query: a scalar subquery each, added up by the database."""
    if not queues:
        return 0
    parts, params = [], []
    for index, queue in enumerate(queues):
        sql, queue_params = queue.waiting.order_by().values("pk")[: MOST + 1].query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS queue_{index})")  # noqa: S608 - compiled SQL
        params += queue_params
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {' + '.join(parts)}", params)  # noqa: S608 - compiled SQL
        return capped(cursor.fetchone()[0])


def _key(user):
    return f"work-count:{user.pk}"
