"""Links between concerns and business use: a concern about a colleague's post on an official account, or
about a business post or use of a professional site that may not have been approved, is judged against
what section 6 had approved or authorised for that person.

The case page shows its handlers the approvals and authorisations on record for the concern's subject
that fit the concern's platform and the day the post was seen; a handler may cite one, recording that the
concern is about it. A request's page lists the cases citing it only to people who may handle those cases
(cases.access): never to the requester, who is the subject of the concern.
"""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from audit.services import step_record
from cases import access as case_access
from cases.models import Case, CaseEvent, Platform
from core.compiled import CompiledQuery
from core.errors import DomainError

from .models import BusinessUseRequest, CaseCitation, Kind, State
from .selectors import with_account_names

# The platform each official account (6.1) is on, by the request's `account` value. An account not listed
# here (one added later) may be on any platform: it is shown rather than missed.
ACCOUNT_PLATFORMS = {
    "focus_facebook": Platform.FACEBOOK,
    "focus_twitter": Platform.TWITTER,
    "focus_blog": Platform.BLOG,
    "services4me_facebook": Platform.FACEBOOK,
    "services4me_twitter": Platform.TWITTER,
}

# Official posts whose content the supervisor approved: waiting to be published, or published.
APPROVED_POSTS = (State.WITH_COMMUNICATIONS, State.PUBLISHED)
# 6.4 authorisations, standing or ended: an ended one still covered the days it ran.
AUTHORISATIONS = (State.AUTHORISED, State.ENDED)


def handles_case(relation):
    """Whether this relation to a case may see and cite business use on it: its handlers and the governance
    head, never the reporter (unless they also handle it) nor the Head of Information & Security, who
    reads a flagged case only to decide on the breach."""
    return relation in (case_access.HANDLER, case_access.GOVERNANCE)


def _accounts_matching(platform):
    """A Q on `account` for the official accounts a post seen on `platform` may have been on."""
    known = Q(account__in=list(ACCOUNT_PLATFORMS))
    if platform == Platform.OTHER:
        return Q()
    return Q(account__in=[a for a, on in ACCOUNT_PLATFORMS.items() if on == platform]) | ~known


def _matching(case):
    """A Q for the requests on record that fit the concern: its subject's, and
    - official posts approved (6.1) for an account on the concern's platform, approved (sent to the
      communications team) and, if published, published on or before the day the post was seen;
    - professional site authorisations (6.4) whose dates cover the day it was seen (no end date: open)."""
    seen = timezone.localdate(case.seen_at)
    day_after = timezone.make_aware(
        datetime.datetime.combine(seen + datetime.timedelta(days=1), datetime.time()),
        timezone.get_current_timezone(),
    )
    posts = (
        Q(kind=Kind.OFFICIAL_POST, state__in=APPROVED_POSTS, reached_communications_at__lt=day_after)
        & (Q(published_at__isnull=True) | Q(published_at__lt=day_after))
        & _accounts_matching(case.platform)
    )
    authorisations = (
        Q(kind=Kind.PROFESSIONAL_SITE, state__in=AUTHORISATIONS)
        & (Q(from_date__isnull=True) | Q(from_date__lte=seen))
        & (Q(to_date__isnull=True) | Q(to_date__gte=seen))
    )
    return Q(requester=case.subject_person_id) & (posts | authorisations)


def business_use_for_case(case):
    """The requests the case page shows its handlers: those on record that fit the concern, and those
    cited on it (which stay, whatever changed since), each with `cited` set. A compiled query first asks
    whether there are any; none for a concern that is not about a colleague."""
    if case.subject_person_id is None or not any(
        on_record for row in _ANY_ON_RECORD.rows(case.subject_person_id, case.pk) for on_record in row
    ):
        return []
    cited = CaseCitation.objects.filter(case=case.pk, request=OuterRef("pk"))
    return list(
        with_account_names(BusinessUseRequest.objects.filter(_matching(case) | Q(Exists(cited))))
        .annotate(cited=Exists(cited))
        .select_related("approver")
        .order_by("-created_at", "-pk")
    )


# Whether the subject ever asked for business use, or the case cites any: most have not, and then the
# panel needs no more (compiled once, core/compiled.py).
_ANY_ON_RECORD = CompiledQuery(
    lambda person_id, case_id: Case.objects.filter(pk=case_id).values_list(
        Exists(BusinessUseRequest.objects.filter(requester=person_id)),
        Exists(CaseCitation.objects.filter(case=OuterRef("pk"))),
    )
)


@transaction.atomic
def case_cite_business_use(*, case, request_id, by):
    """A handler records that the concern is about one of the requests shown on its page: the citation,
    the case's timeline entry and the audit entry, in one transaction."""
    if not handles_case(case_access.case_relation(by, case)):
        raise DomainError("You cannot cite business use on this case.")
    shown = {request.pk: request for request in business_use_for_case(case)}
    request = shown.get(request_id)
    if request is None:
        raise DomainError("That request is not on record for this concern.")
    if request.cited:
        raise DomainError(f"{request.reference} is already cited on this case.")
    CaseCitation.objects.create(case=case, request=request, cited_by=by)
    what = f"{request.get_kind_display()}, {request.summary()}"
    text = f"{request.reference}: {what} ({request.get_state_display()})."
    return step_record(
        CaseEvent(case=case, kind=CaseEvent.Kind.BUSINESS_USE, actor=by, text=text),
        actor=by,
        case=case,
        what=f"cited business use request {request.reference} on {case.reference}",
        details={"business_use_request": request.pk},
    )


def cases_citing(*, request, user):
    """The cases citing this request that this person may handle (cases.access): none for the subject of
    those concerns, nor for anyone who only reported or follows them."""
    citing = CaseCitation.objects.filter(request=request).values("case")
    return list(
        case_access.cases_handled_by(user)
        .filter(pk__in=citing)
        .only("id", "reference", "stage")
        .order_by("-created_at", "-pk")
    )
