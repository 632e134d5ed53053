"""No page's number of queries grows with the number of rows it shows.

Each page is opened with one row of what it lists (cases, events, records, notifications...) and again
with fifty: the second visit may make no more queries than the first (django_assert_max_num_queries), and
neither more than MAX_QUERIES. A query per row (an N+1) fails here long before it shows at a million cases.

To cover a page, add one line to PAGES: who opens it, its address, and what to add `n` of.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from business_use import services as business_use_services
from business_use.models import Account, Kind, Topic
from cases import services
from cases.models import (
    ActionKind,
    CaseClause,
    CaseEvent,
    CaseWitness,
    ConcernDraft,
    DisciplinaryReferral,
    Evidence,
    LegalAdvice,
    PlaybookStep,
    RemovalRequest,
    Stage,
    StepConsidered,
)
from discipline import services as discipline_services
from discipline.models import DisciplinaryRecord, RecordEvent, Severity, Step
from discipline.models import Outcome as RecordOutcome
from notifications.models import Kind as NotificationKind
from notifications.models import Notification
from people.models import User
from policies.models import Clause, ClauseItem, Policy, PolicyVersion
from tests.factories import case_moved_to, case_raised, concern_about_colleague

pytestmark = pytest.mark.django_db

# A page's own work plus what every page pays (session, user, roles, the navigation's badges, the audit
# entry of a case page): well above any page today, low enough to notice a page that lost its way.
MAX_QUERIES = 30


# --- What the pages list, `n` more of each time.


def cases_reported(world, n):
    """Concerns raised by `staff`: routed to `supervisor`, listed in All cases, staff's own reports."""
    for _ in range(n):
        case_raised(world.policy, world.staff)


def cases_referred(world, n):
    """Cases referred to the governance head, in their queue."""
    for _ in range(n):
        case_moved_to(case_raised(world.policy, world.staff), Stage.REFERRED, governance=world.governance)


def cases_closed(world, n):
    """Closed cases: no deadline, sorted last."""
    for _ in range(n):
        case_moved_to(case_raised(world.policy, world.staff), Stage.CLOSED, governance=world.governance)


def case_events(world, n):
    CaseEvent.objects.bulk_create(
        CaseEvent(case=world.case, kind=CaseEvent.Kind.NOTE, actor=world.supervisor, text="Checked.")
        for _ in range(n)
    )


def case_witnesses(world, n):
    """People named as witnesses: the case page lists them, and the governance head's page lists them again
    among who may not handle the case (cases.conflicts)."""
    people = User.objects.bulk_create(
        User(username=f"witness-{world.counter()}", first_name="Wendy", last_name="Witness") for _ in range(n)
    )
    CaseWitness.objects.bulk_create(
        CaseWitness(case=world.case, person=person, added_by=world.supervisor) for person in people
    )


def case_messages(world, n):
    """Messages to the reporter: the events the reporter's page shows."""
    for _ in range(n):
        services.case_message_reporter(case=world.case, by=world.supervisor, text="Thank you.")


def case_evidence(world, n):
    Evidence.objects.bulk_create(
        Evidence(
            case=world.case,
            file=f"evidence/test-{world.counter()}.png",
            stored_name=f"test-{world.counter()}.png",
            original_name="screenshot.png",
            content_type="image/png",
            size=1000,
            sha256="0" * 64,
            uploaded_by=world.supervisor,
        )
        for _ in range(n)
    )


def case_actions(world, n):
    """Removal requests (each naming a member of staff), legal advice and referrals with their clauses."""
    today = timezone.localdate()
    RemovalRequest.objects.bulk_create(
        RemovalRequest(
            case=world.case,
            recorded_by=world.governance,
            requested_from=str(world.other_staff),
            staff_member=world.other_staff,
            sent_on=today,
            deadline=today + datetime.timedelta(days=2),
        )
        for _ in range(n)
    )
    LegalAdvice.objects.bulk_create(
        LegalAdvice(case=world.case, recorded_by=world.governance, advised_on=today, summary="Advice.")
        for _ in range(n)
    )
    referrals = DisciplinaryReferral.objects.bulk_create(
        DisciplinaryReferral(
            case=world.case,
            recorded_by=world.governance,
            person=world.other_staff,
            allegation="Posted about a service user.",
            severity=Severity.MISCONDUCT,
        )
        for _ in range(n)
    )
    for referral in referrals:
        referral.clauses_breached.set(world.case.clauses.all())


def referrals_to_hr(world, n):
    """Disciplinary referrals, in the referrals list of HR and the governance head."""
    if world.case.stage != Stage.UNDER_REVIEW:
        world.case = case_moved_to(world.case, Stage.UNDER_REVIEW, governance=world.governance)
    case_actions(world, n)


def records(world, n):
    clause = world.policy.current_version().clauses().get(number="5.2")
    for _ in range(n):
        discipline_services.record_open(
            by=world.hr,
            employee=world.other_staff,
            allegation="Posted a photo of a service user.",
            severity=Severity.MISCONDUCT,
            clauses=[clause],
        )


def records_dated(world, n):
    """Records with a hearing arranged, and others with a live warning: each row shows its date."""
    records(world, n)
    today = timezone.localdate()
    ids = list(DisciplinaryRecord.objects.order_by("pk").values_list("pk", flat=True))
    DisciplinaryRecord.objects.filter(pk__in=ids[::2]).update(
        step=Step.INVITED, hearing_arranged_for=today + datetime.timedelta(days=3)
    )
    DisciplinaryRecord.objects.filter(pk__in=ids[1::2]).update(
        step=Step.DECIDED,
        hearing_held_on=today,
        outcome=RecordOutcome.FIRST_WRITTEN_WARNING,
        outcome_in_force=RecordOutcome.FIRST_WRITTEN_WARNING,
        decided_on=today,
        warning_expires_on=today + datetime.timedelta(days=30),
    )


def referrals_with_records(world, n):
    """Referrals to HR, each with the disciplinary record opened from it."""
    referrals_to_hr(world, n)
    for referral in DisciplinaryReferral.objects.filter(disciplinary_record__isnull=True):
        discipline_services.record_open_from_referral(referral=referral, by=world.hr)


def record_events(world, n):
    if not hasattr(world, "record"):
        records(world, 1)
        world.record = DisciplinaryRecord.objects.get(employee=world.other_staff)
    RecordEvent.objects.bulk_create(
        RecordEvent(record=world.record, step=Step.OPENED, actor=world.hr, text="Noted.") for _ in range(n)
    )


def audit_entries(world, n):
    AuditEntry.objects.bulk_create(
        AuditEntry(actor=world.supervisor, action=AuditEntry.Action.VIEW, case=world.case, what="viewed")
        for _ in range(n)
    )


def notifications(world, n):
    Notification.objects.bulk_create(
        Notification(recipient=world.supervisor, kind=NotificationKind.CASE_ROUTED, title="Routed", link="/")
        for _ in range(n)
    )


def policies(world, n):
    today = timezone.localdate()
    for _ in range(n):
        number = world.counter()
        policy = Policy.objects.create(
            title=f"Policy {number}", slug=f"policy-{number}", owner=world.governance
        )
        PolicyVersion.objects.create(
            policy=policy,
            number=1,
            status=PolicyVersion.Status.APPROVED,
            source_text="1. Purpose",
            content_hash=f"{number:064}",
            effective_date=today,
            next_review_date=today,
        )


def policy_clauses(world, n):
    """More clauses, each with two items, in the current version's last section."""
    section = world.policy.current_version().sections.order_by("number").last()
    for _ in range(n):
        position = 100 + world.counter()
        clause = Clause.objects.create(
            section=section, position=position, number=f"{section.number}.{position}", text="More text."
        )
        ClauseItem.objects.bulk_create(ClauseItem(clause=clause, position=i, text="An item.") for i in (1, 2))


def policy_versions(world, n):
    """Earlier versions of the policy, superseded, listed on its page."""
    for _ in range(n):
        number = 100 + world.counter()
        PolicyVersion.objects.create(
            policy=world.policy,
            number=number,
            status=PolicyVersion.Status.SUPERSEDED,
            source_text="1. Purpose",
            content_hash=f"{number:064}",
        )


def cited_clauses(world, n):
    """More clauses of the current version, each with two items, cited by the case."""
    before = set(Clause.objects.values_list("pk", flat=True))
    policy_clauses(world, n)
    CaseClause.objects.bulk_create(
        CaseClause(case=world.case, clause=clause, number=clause.number, text=clause.text)
        for clause in Clause.objects.exclude(pk__in=before)
    )


def later_versions(world, n):
    """Versions approved after the day of the case's posting, each rewording its clause 5.2: a note each."""
    for _ in range(n):
        number = 100 + world.counter()
        version = PolicyVersion.objects.create(
            policy=world.policy,
            number=number,
            status=PolicyVersion.Status.SUPERSEDED,
            source_text="5. Personal use",
            content_hash=f"{number:064}",
            approved_at=timezone.now(),
            effective_date=timezone.localdate() + datetime.timedelta(days=number),
        )
        section = version.sections.create(number=5, title="Personal use")
        Clause.objects.create(section=section, position=2, number="5.2", text=f"Text {number}.")


def business_use_requests(world, n):
    for _ in range(n):
        business_use_services.business_use_submit(
            requester=world.staff, kind=Kind.ADVICE, topic=Topic.ACCEPTABLE_SITES, content="May I?"
        )


def business_use_to_approve(world, n):
    """Requests to post on the official pages, waiting for the requester's supervisor."""
    for _ in range(n):
        business_use_services.business_use_submit(
            requester=world.staff,
            kind=Kind.OFFICIAL_POST,
            account=Account.FOCUS_FACEBOOK,
            content="Our news.",
        )


def removal_requests(world, n):
    """Removal requests awaiting removal: the governance head's removal deadlines (2.5)."""
    if world.case.stage != Stage.UNDER_REVIEW:
        world.case = case_moved_to(world.case, Stage.UNDER_REVIEW, governance=world.governance)
    case_actions(world, n)


def breach_cases(world, n):
    """Concerns flagged as a possible personal data breach, waiting for the decision."""
    for _ in range(n):
        case_raised(world.policy, world.staff, discloses_personal_data=True)


def hearings(world, n):
    """Records with a hearing arranged and not yet held, and a warning expiring soon."""
    records(world, n)
    today = timezone.localdate()
    DisciplinaryRecord.objects.filter(hearing_arranged_for__isnull=True).update(
        hearing_arranged_for=today + datetime.timedelta(days=3)
    )


# --- The pages: (who opens it, its address given the data, what it lists).


def concern_drafts(world, n):
    """Drafts of concerns `staff` saved, listed on the raise page and My concerns."""
    ConcernDraft.objects.bulk_create(
        ConcernDraft(reporter=world.staff, data={"description": [f"Draft {world.counter()}"]})
        for _ in range(n)
    )


def playbook_steps(world, n):
    """Steps of the playbook of clause 5.2, which the case cites, half of them considered on it."""
    steps = PlaybookStep.objects.bulk_create(
        PlaybookStep(
            policy=world.policy,
            clause_number="5.2",
            action=ActionKind.REMOVAL_REQUEST if number % 2 else "",
            requirement=PlaybookStep.Requirement.CONSIDER,
            label=f"Step {world.counter()}",
            working_days=number % 5,
        )
        for number in range(n)
    )
    StepConsidered.objects.bulk_create(
        StepConsidered(case=world.case, step=step, by=world.supervisor, note="Considered.")
        for step in steps[::2]
    )


CASE = lambda world: world.case.get_absolute_url()  # noqa: E731
CLAUSE = lambda world: reverse("policies:clause", args=[world.policy.slug, "5.2"])  # noqa: E731
RECORD = lambda world: reverse("discipline:detail", args=[world.record.reference])  # noqa: E731
PAGES = {
    "home, supervisor": ("supervisor", lambda w: reverse("home"), cases_reported),
    "home, governance head": ("governance", lambda w: reverse("home"), cases_referred),
    "home, governance head, removal deadlines": ("governance", lambda w: reverse("home"), removal_requests),
    "home, governance head, breach decisions": ("governance", lambda w: reverse("home"), breach_cases),
    "home, HR, referrals": ("hr", lambda w: reverse("home"), referrals_to_hr),
    "home, HR, hearings": ("hr", lambda w: reverse("home"), hearings),
    "home, supervisor, business use": ("supervisor", lambda w: reverse("home"), business_use_to_approve),
    "My concerns": ("staff", lambda w: reverse("cases:my_reports"), cases_reported),
    "My concerns, drafts": ("staff", lambda w: reverse("cases:my_reports"), concern_drafts),
    "raise page, drafts": ("staff", lambda w: reverse("cases:raise"), concern_drafts),
    "triage queue": ("supervisor", lambda w: reverse("cases:triage_queue"), cases_reported),
    "triage queue, by deadline": (
        "supervisor",
        lambda w: reverse("cases:triage_queue") + "?sort=due",
        cases_reported,
    ),
    "governance queue, by deadline": (
        "governance",
        lambda w: reverse("cases:governance_queue") + "?sort=-due",
        cases_referred,
    ),
    "All cases, by deadline": ("governance", lambda w: reverse("cases:all") + "?sort=due", cases_reported),
    "All cases, closed, by deadline": (
        "governance",
        lambda w: reverse("cases:all") + "?sort=-due",
        cases_closed,
    ),
    "referrals to HR, records opened": ("hr", lambda w: reverse("cases:referrals"), referrals_with_records),
    "disciplinary records, hearings and warnings": (
        "hr",
        lambda w: reverse("discipline:list"),
        records_dated,
    ),
    "governance queue": ("governance", lambda w: reverse("cases:governance_queue"), cases_referred),
    "All cases": ("governance", lambda w: reverse("cases:all"), cases_reported),
    "case page, events": ("supervisor", CASE, case_events),
    "case page, evidence": ("supervisor", CASE, case_evidence),
    "case page, actions": ("governance", CASE, case_actions),
    "case page, witnesses": ("supervisor", CASE, case_witnesses),
    "case page, witnesses and conflicts": ("governance", CASE, case_witnesses),
    "case page, cited clauses": ("supervisor", CASE, cited_clauses),
    "case page, later versions": ("governance", CASE, later_versions),
    "case page, playbook steps": ("supervisor", CASE, playbook_steps),
    "case page, playbook steps, governance head": ("governance", CASE, playbook_steps),
    "case page of the reporter, messages": ("staff", CASE, case_messages),
    "referrals to HR, HR": ("hr", lambda w: reverse("cases:referrals"), referrals_to_hr),
    "referrals to HR, governance head": ("governance", lambda w: reverse("cases:referrals"), referrals_to_hr),
    "disciplinary records": ("hr", lambda w: reverse("discipline:list"), records),
    "disciplinary record page": ("hr", RECORD, record_events),
    "audit log": ("governance", lambda w: reverse("audit:log"), audit_entries),
    "reports": ("governance", lambda w: reverse("reports:index"), cases_reported),
    "notifications": ("supervisor", lambda w: reverse("notifications:list"), notifications),
    "policies": ("staff", lambda w: reverse("policies:list"), policies),
    "policy page, clauses": ("staff", lambda w: w.policy.get_absolute_url(), policy_clauses),
    "policy page, versions": ("staff", lambda w: w.policy.get_absolute_url(), policy_versions),
    "clause page, clauses to comment on": ("staff", CLAUSE, policy_clauses),
    "business use": ("staff", lambda w: reverse("business_use:list"), business_use_requests),
    "business use, supervisor": (
        "supervisor",
        lambda w: reverse("business_use:list"),
        business_use_to_approve,
    ),
}


@pytest.fixture
def world(policy, staff, other_staff, supervisor, governance, hr):
    numbers = iter(range(1, 10_000))
    made = SimpleNamespace(
        policy=policy,
        staff=staff,
        other_staff=other_staff,
        supervisor=supervisor,
        governance=governance,
        hr=hr,
        case=concern_about_colleague(policy, staff, other_staff),
        counter=lambda: next(numbers),
    )
    return made


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.mark.parametrize("page", PAGES)
def test_a_pages_queries_do_not_grow_with_its_rows(client, world, django_assert_max_num_queries, page):
    who, url, add = PAGES[page]
    client.force_login(getattr(world, who))
    add(world, 1)
    with_one = queries(client, url(world))
    assert with_one <= MAX_QUERIES

    add(world, 49)
    with django_assert_max_num_queries(with_one):
        response = client.get(url(world))
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["staff", "supervisor", "governance", "hr"])
@pytest.mark.parametrize("name", ["home", "policies:list", "notifications:list"])
def test_a_page_reads_the_persons_roles_and_permissions_in_one_query(client, world, who, name):
    client.force_login(getattr(world, who))
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse(name)).status_code == 200
    # Every read of what the person's roles are or allow joins their memberships.
    reads = [query["sql"] for query in context.captured_queries if '"people_user_groups"' in query["sql"]]
    assert len(reads) == 1, reads
