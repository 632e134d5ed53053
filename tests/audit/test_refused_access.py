"""Refused access is audited: every 404 given for lack of a right to a case, a disciplinary record, a
referral to HR or an evidence file writes an entry with who asked and for what. A reference that does not
exist is an attempt too, and recorded as one."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from cases.models import SubjectKind
from discipline.services import record_open_from_referral
from tests.cases.hostile_files import pdf_bytes
from tests.discipline.conftest import referral_made

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def case(raise_case, staff, other_staff, media):
    """`staff` reports `staff2` with two files, a note and a PDF; `supervisor` handles it."""
    return raise_case(
        staff,
        subject_kind=SubjectKind.COLLEAGUE,
        subject_person=other_staff,
        subject_description="",
        evidence_files=[
            SimpleUploadedFile("note.txt", b"Posted at 21:14.\n"),
            SimpleUploadedFile("letter.pdf", pdf_bytes()),
        ],
    )


@pytest.fixture
def referral(case, governance):
    return referral_made(case, governance)


@pytest.fixture
def record(referral, hr):
    return record_open_from_referral(referral=referral, by=hr)


# What is asked for: (url, what the entry names). Each with the people refused and one who may see it.
ASKED = {
    "case page": lambda w: (w.case.get_absolute_url(), f"was refused case {w.case.reference}"),
    "case in the API": lambda w: (
        f"/api/v1/cases/{w.case.reference}/",
        f"was refused case {w.case.reference}",
    ),
    "evidence file": lambda w: (
        reverse("cases:evidence", args=[w.case.reference, w.evidence.pk]),
        f"was refused evidence #{w.evidence.pk} of {w.case.reference}",
    ),
    "evidence preview": lambda w: (
        reverse("cases:evidence_preview", args=[w.case.reference, w.evidence.pk]),
        f"was refused evidence #{w.evidence.pk} of {w.case.reference}",
    ),
    "referral page": lambda w: (
        reverse("cases:referral", args=[w.referral.pk]),
        f"was refused disciplinary referral {w.referral.pk}",
    ),
    "record page": lambda w: (
        reverse("discipline:detail", args=[w.record.reference]),
        f"was refused disciplinary record {w.record.reference}",
    ),
    "record summary": lambda w: (
        reverse("discipline:pdf", args=[w.record.reference]),
        f"was refused disciplinary record {w.record.reference}",
    ),
    "record in the API": lambda w: (
        f"/api/v1/disciplinary-records/{w.record.reference}/",
        f"was refused disciplinary record {w.record.reference}",
    ),
}
REFUSED = {
    "case page": ["other_staff", "other_supervisor", "hr", "outsider"],
    "case in the API": ["staff", "other_staff", "hr", "outsider"],
    # The reporter may fetch what they uploaded, not a file the handler added (the second).
    "evidence file": ["other_staff", "hr", "outsider", "staff"],
    "evidence preview": ["other_staff", "hr", "outsider", "staff"],
    "referral page": ["supervisor", "other_staff", "outsider"],
    "record page": ["other_staff", "supervisor", "outsider"],
    "record summary": ["other_staff", "supervisor", "outsider"],
    # Anyone but HR is refused the API's records before any record is looked up (a 403): below, HR asking
    # for a record that does not exist.
    "record in the API": [],
}
ALLOWED = {
    "case page": "supervisor",
    "case in the API": "supervisor",
    "evidence file": "supervisor",
    "evidence preview": "supervisor",
    "referral page": "hr",
    "record page": "hr",
    "record summary": "hr",
    "record in the API": "hr",
}


class World:
    def __init__(self, request, case, record):
        self.case, self.record, self.referral = case, record, record.referral
        first, second = case.evidence.order_by("pk")
        # The second file is the handler's: only the reporter's own file is theirs to fetch.
        second.uploaded_by = request.getfixturevalue("supervisor")
        second.save(update_fields=["uploaded_by"])
        self.evidence = second


@pytest.fixture
def world(request, case, record):
    return World(request, case, record)


def refusals():
    return AuditEntry.objects.filter(action=AuditEntry.Action.REFUSED)


@pytest.mark.parametrize(
    ("asked", "who"), [(asked, who) for asked, people in REFUSED.items() for who in people]
)
def test_a_refusal_is_a_404_with_an_entry_of_who_asked_for_what(client, request, world, asked, who):
    person = request.getfixturevalue(who)
    url, what = ASKED[asked](world)
    client.force_login(person)
    before = refusals().count()

    assert client.get(url).status_code == 404

    entry = refusals().order_by("-pk").first()
    assert refusals().count() == before + 1
    assert (entry.actor, entry.case, entry.what) == (person, world.case, what)
    assert entry.details["path"] == url


@pytest.mark.parametrize("asked", ASKED)
def test_who_may_see_it_is_not_refused(client, request, world, asked):
    url, _ = ASKED[asked](world)
    client.force_login(request.getfixturevalue(ALLOWED[asked]))
    assert client.get(url).status_code == 200
    assert not refusals().exists()


NO_RECORD = "DR-1999-0001 (no such record)"


@pytest.mark.parametrize(
    ("who", "url", "what"),
    [
        ("outsider", "/cases/SMP-1999-0001/", "was refused case SMP-1999-0001 (no such case)"),
        (
            "outsider",
            "/discipline/DR-1999-0001/",
            "was refused disciplinary record DR-1999-0001 (no such record)",
        ),
        ("hr", "/cases/referrals/999999/", "was refused disciplinary referral 999999 (no such referral)"),
        (
            "hr",
            "/api/v1/disciplinary-records/DR-1999-0001/",
            "was refused disciplinary record DR-1999-0001 (no such record)",
        ),
    ],
)
def test_asking_for_what_does_not_exist_is_recorded_as_an_attempt(client, request, who, url, what):
    person = request.getfixturevalue(who)
    client.force_login(person)
    assert client.get(url).status_code == 404
    entry = refusals().get()
    assert (entry.actor, entry.case, entry.what, entry.details["path"]) == (person, None, what, url)


def test_the_employee_never_reads_of_a_refusal_about_their_own_record(client, world, outsider, other_staff):
    """The refusal names the record in its details, so it is hidden from the employee concerned like every
    entry about their record (and they are the subject of the case)."""
    client.force_login(outsider)
    client.get(reverse("discipline:detail", args=[world.record.reference]))
    other_staff.user_permissions.add(*_view_audit())
    client.force_login(other_staff)
    assert world.record.reference not in client.get(reverse("audit:log")).text


def _view_audit():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(codename="view_auditentry")
