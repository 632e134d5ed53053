from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.models import Kind
from notifications.services import notify_many
from people.roles import Role
from people.selectors import role_holders
from reminders.services import claim

from . import chain
from .context import client_ip, requested_path
from .models import AuditEntry


def _entry(*, actor, action, what, case=None, details=None):
    return AuditEntry(
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        case=case,
        what=what[:300],
        details=details or {},
        ip_address=client_ip.get(),
    )


def audit_record(*, actor, action, what, case=None, details=None):
    """Write one audit entry; the address comes from the request being served, if any."""
    (entry,) = chain.append([_entry(actor=actor, action=action, what=what, case=case, details=details)])
    return entry


@transaction.atomic
def step_record(event, *, actor, what, case=None, details=None):
    """Record a step: save its timeline entry (an unsaved CaseEvent, BusinessUseEvent or RecordEvent) and
    write the audit entry of the change, in one transaction. Returns the saved timeline entry."""
    event.save(force_insert=True)
    audit_record(actor=actor, action=AuditEntry.Action.CHANGE, what=what, case=case, details=details)
    return event


def audit_refused(*, actor, what, case=None, details=None):
    """The entry of a 404 given for lack of a right to a case, record, referral or file: who asked, for
    what (in `what` and `details`), and the path they asked for. Written by the doors that refuse (see
    cases.access), which views call before any transaction starts: a 404 raised inside transaction.atomic
    would roll its entry back with it."""
    details = {**(details or {}), "path": requested_path.get()}
    return audit_record(actor=actor, action=AuditEntry.Action.REFUSED, what=what, case=case, details=details)


def audit_record_many(entries):
    """Several audit entries in one insert: entries are dicts of audit_record's arguments."""
    return chain.append(_entry(**entry) for entry in entries)


# Records about a person, such as their disciplinary record: the app that owns them registers how to find a
# person's own, so that the audit log never tells its reader of them (audit imports no such app).
_OWN_RECORD_FINDERS = []


def audit_hide_own_records(finder):
    """Register finder(user) -> a queryset of the references of records about `user` (a user or their id:
    the log's first page is compiled with an id). Audit entries whose details["record"] is one of them are
    hidden from that user."""
    _OWN_RECORD_FINDERS.append(finder)
    return finder


def own_record_references(user):
    return [finder(user) for finder in _OWN_RECORD_FINDERS]


# Which cases a reader may open: the cases app registers how to tell (audit imports no such app), so that
# the log links an entry's case only for a reader who may open its page, and names it without a link else.
_CASE_OPENERS = []


def audit_link_cases(finder):
    """Register finder(user, cases) -> the ids of those of `cases` whose page `user` may open, in at most
    one query however many cases (the log asks once for a page of entries)."""
    _CASE_OPENERS.append(finder)
    return finder


def cases_open_to_reader(user, cases):
    cases = {case.pk: case for case in cases}.values()
    if not cases:
        return set()
    return set().union(*(finder(user, cases) for finder in _CASE_OPENERS))


def audit_chain_check(*, now=None):
    """The daily check: walk the chain and, if it is broken, tell the Head of Business and Governance and
    the Head of Information & Security which entry. Returns how many entries were read.

    Once a day however often it is called (beat runs it daily; `run_reminders` from cron, every few
    minutes): the day's claim is taken first, so a second call that day reads nothing and tells nobody.
    """
    day = timezone.localdate(now or timezone.now())
    with transaction.atomic():
        if not claim({f"audit-chain-check:{day.isoformat()}": None}, now=now or timezone.now()):
            return 0
        verdict = chain.verify()
        if not verdict.whole:
            notify_many(
                recipients=role_holders([Role.GOVERNANCE, Role.INFOSEC]),
                kind=Kind.ESCALATION,
                title=f"The audit trail failed its daily check at entry {verdict.broken_at}: "
                "an entry was changed, inserted or removed",
                link=reverse("audit:log"),
            )
    return verdict.entries
