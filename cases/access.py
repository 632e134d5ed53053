"""One door for access to cases (clause 7.1, UK GDPR): who may see a case, and as what.

Role-wide rights (the Head of Business and Governance sees every case) are model permissions on the
role's group; per-case rights (the reporter follows their case, the assigned handler handles it) are
django-guardian object permissions in CaseUserObjectPermission, a direct foreign-key table, so that
lists filter in the database. The subject of a concern never sees it, whatever else they are.

Every refusal (a 404 for a case, referral or evidence file that does not exist or is not theirs to see) is
written to the audit log here, with who asked for what: the audit log then shows attempts as well as reads.

The Head of Information & Security sees only the cases flagged as a possible personal data breach: the
breach clock grants them `decide_breach` on that case (cases.breach), and the grant counts while they
hold the role. They read the handler's page and record the decision; they change nothing else.
"""

from django.contrib.auth.models import Permission
from django.db.models import Q, Subquery
from django.http import Http404

from audit.services import audit_link_cases, audit_refused
from core.compiled import CompiledQuery
from people.roles import Role

from . import selectors
from .models import Case, CaseGroupObjectPermission, CaseUserObjectPermission, DisciplinaryReferral, Evidence

REPORTER = "reporter"
HANDLER = "handler"
GOVERNANCE = "governance"
INFOSEC = "infosec"


def case_relation(user, case):
    """REPORTER, HANDLER, GOVERNANCE, INFOSEC or None: what this person is to this case."""
    if not user.is_authenticated or not user.is_active or case.subject_person_id == user.pk:
        return None
    if user.has_perm("cases.manage_all_cases"):
        return GOVERNANCE
    rights = _rights_on(user, case)
    if "handle_case" in rights:
        return HANDLER
    if (
        case.personal_data_breach_at is not None
        and "decide_breach" in rights
        and _holds_role(user, Role.INFOSEC)
    ):
        return INFOSEC
    if "follow_case" in rights:
        return REPORTER
    return None


def is_reporter_of(user, case):
    """Whether this person raised the case and follows it (whatever else they are to it): only they may act
    as its reporter (cases.reporter), never its subject."""
    return (
        user.is_authenticated
        and user.is_active
        and case.reporter_id == user.pk
        and case.subject_person_id != user.pk
        and "follow_case" in _rights_on(user, case)
    )


def _rights_on(user, case):
    """The codenames of the per-case rights this person holds on this case, given to them or to one of
    their groups (what guardian's has_perm reads), in one query rather than two for each right asked."""
    return {codename for (codename,) in _RIGHTS.rows(user.pk, case.pk)}


# Asked on most case pages: compiled once (core/compiled.py).
_RIGHTS = CompiledQuery(
    lambda user_id, case_id: (
        CaseUserObjectPermission.objects.filter(user=user_id, content_object=case_id)
        .values_list("permission__codename")
        .union(
            CaseGroupObjectPermission.objects.filter(group__user=user_id, content_object=case_id).values_list(
                "permission__codename"
            )
        )
    )
)


def get_case_for_user(
    user, reference, *, relations=(REPORTER, HANDLER, GOVERNANCE, INFOSEC), for_update=False, refused=None
):
    """The case and the person's relation to it, or 404 — never a 403 that confirms the case exists.

    A refusal is audited, a case that does not exist too (someone tried a reference): `refused` says in
    words what was refused, if more than opening the case."""
    if for_update:
        found = _case_with_people().select_for_update().filter(reference=reference).order_by()[:1]
    else:
        found = _CASE_BY_REFERENCE.objects(reference)
    case = next(iter(found), None)
    relation = case_relation(user, case) if case else None
    if relation not in relations:
        audit_refused(
            actor=user,
            case=case,
            what=refused or f"was refused case {reference[:40]}" + ("" if case else " (no such case)"),
            details={"reference": reference[:40]},
        )
        raise Http404("No case found.")
    return case, relation


def _case_with_people():
    return Case.objects.select_related("reporter", "handler", "subject_person", "reporter_team")


# Every case page opens its case by reference: compiled once (core/compiled.py). The reference is unique:
# no ordering, which first() would add.
_CASE_BY_REFERENCE = CompiledQuery(
    lambda reference: _case_with_people().filter(reference=reference).order_by()[:1]
)


def get_referral_for_user(user, pk):
    """A referral to HR the person may see (cases.selectors.referral_for_user), or an audited 404."""
    referral = selectors.referral_for_user(user=user, pk=pk)
    if referral is None:
        # The case it is on, if it exists, so that the refusal shows in that case's entries.
        case = Case.objects.filter(pk__in=DisciplinaryReferral.objects.filter(pk=pk).values("case")).first()
        what = f"was refused disciplinary referral {pk}" + ("" if case else " (no such referral)")
        audit_refused(actor=user, case=case, what=what, details={"referral": pk})
        raise Http404("No such referral.")
    return referral


def get_evidence_for_user(user, reference, pk):
    """The case and one of its evidence files that the person may download, or an audited 404. The
    reporter may fetch what they uploaded themselves, and nothing a handler added."""
    case, relation = get_case_for_user(
        user, reference, refused=f"was refused evidence #{pk} of {reference[:40]}"
    )
    evidence = Evidence.objects.filter(pk=pk, case=case).first()
    if evidence is None or (relation == REPORTER and evidence.uploaded_by_id != user.pk):
        audit_refused(
            actor=user,
            case=case,
            what=f"was refused evidence #{pk} of {case.reference}" + ("" if evidence else " (no such file)"),
            details={"evidence": pk},
        )
        raise Http404("No evidence found.")
    return case, evidence


def _holds_role(user, role):
    return user.groups.filter(name=role).exists()


def _granted(user, codename):
    # The permission as a scalar subquery, not a join: joined on its codename, PostgreSQL estimated a
    # person's rights of one kind at a few hundredth of what a busy supervisor holds, and read every case
    # they had ever handled to find the few in triage (6.7 ms -> 1.2 ms on the 1M-case copy).
    permission = Permission.objects.filter(codename=codename, content_type__app_label="cases").order_by()
    permission = Subquery(permission.values("pk")[:1])
    granted = CaseUserObjectPermission.objects.filter(user=user, permission=permission)
    return granted.values("content_object_id")


def cases_handled_by(user):
    """Cases the person handles (assigned to them), or every case for the governance head.

    Built once per request, as the person's permissions are read (the home page's queues each start
    here); each caller gets its own copy, never the rows another read."""
    if not user.is_active:
        return Case.objects.none()
    if not hasattr(user, "_cases_handled_by"):
        every_case = user.has_perm("cases.manage_all_cases")
        user._cases_handled_by = cases_handled_by_id(user.pk, every_case=every_case)
    return user._cases_handled_by.all()


def cases_handled_by_id(user_id, *, every_case):
    """cases_handled_by of the person with this id, who manages every case or not: what a query compiled
    for each of the two is made of (core/compiled.py)."""
    cases = Case.objects.exclude(subject_person=user_id)
    return cases if every_case else cases.filter(pk__in=_granted(user_id, "handle_case"))


# The navigation asks on every page: compiled once (core/compiled.py), one probe of the handler index.
_HANDLES_ANY = {
    every_case: CompiledQuery(
        lambda user_id, every_case=every_case: (
            cases_handled_by_id(user_id, every_case=every_case)
            .filter(handler=user_id)
            .order_by()
            .values_list("pk")[:1]
        )
    )
    for every_case in (True, False)
}


def handles_any_case(user):
    """Whether a case is routed to this person to handle (among those they may handle)."""
    if not user.is_active:
        return False
    return bool(_HANDLES_ANY[user.has_perm("cases.manage_all_cases")].rows(user.pk))


def cases_reported_by(user):
    if not user.is_active:
        return Case.objects.none()
    return cases_reported_by_id(user.pk)


def cases_reported_by_id(user_id):
    """The cases the person with this id raised and follows (cases_reported_by of an active person)."""
    return Case.objects.filter(Q(reporter=user_id) & Q(pk__in=_granted(user_id, "follow_case")))


def cases_for_breach_decision(user):
    """Cases flagged as a possible personal data breach that this person may decide on: those granted to
    them while they are Head of Information & Security, or every flagged case for the governance head."""
    if not user.is_active:
        return Case.objects.none()
    if user.has_perm("cases.manage_all_cases"):
        return cases_for_breach_decision_by_id(user.pk, every_case=True)
    if not _holds_role(user, Role.INFOSEC):
        return Case.objects.none()
    return cases_for_breach_decision_by_id(user.pk, every_case=False)


def cases_for_breach_decision_by_id(user_id, *, every_case):
    """cases_for_breach_decision of the person with this id: every flagged case (the governance head), or
    those granted to them (who holds the Head of Information & Security's role)."""
    cases = Case.objects.exclude(subject_person=user_id).filter(personal_data_breach_at__isnull=False)
    return cases if every_case else cases.filter(pk__in=_granted(user_id, "decide_breach"))


def cases_open_to(user):
    """Every case whose handler's page this person may open: those they handle (every case for the
    governance head) and the flagged cases granted to them as Head of Information & Security.

    The API's case list starts here, so that it shows exactly the cases `case_relation` lets the pages
    open as HANDLER, GOVERNANCE or INFOSEC; the subject of a concern is in neither part.
    """
    return cases_handled_by(user) | cases_for_breach_decision(user)


@audit_link_cases
def case_pages_open_to(user, cases):
    """The ids of those of `cases` whose page this person may open, as `case_relation` decides, in bulk:
    the cases they handle or may decide a breach on, and those they reported and follow. The governance
    head may open every case they are not the subject of, which needs no query."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.has_perm("cases.manage_all_cases"):
        return {case.pk for case in cases if case.subject_person_id != user.pk}
    open_to = (cases_open_to(user) | cases_reported_by(user)).exclude(subject_person=user)
    return set(open_to.filter(pk__in=[case.pk for case in cases]).values_list("pk", flat=True))
