"""The ACAS bundle of a disciplinary record, read back from the PDF: paginated and indexed, every section with
its content, and the employee's copy with nobody else's name, e-mail or username left in it.

One record, from a concern through every step to the appeal, is built once for the module, and each copy of
its bundle is downloaded once; each test reads them.
"""

import hashlib
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AuditEntry
from cases.models import Evidence
from core.text import day
from discipline.models import Step
from people.models import User
from policies.services import acknowledgement_record
from tests.discipline.conftest import record_maker, referral_made
from tests.factories import UserFactory, base_people, case_raised, make_policy

pytestmark = pytest.mark.django_db

# Everyone by a name that occurs nowhere else, so that finding any part of it means it was left in.
NAMES = {
    "other_staff": ("Ellis", "Okafor"),  # the employee
    "staff": ("Rosa", "Marchetti"),  # the reporter
    "supervisor": ("Hugo", "Brennan"),  # the case handler
    "other_supervisor": ("Ivan", "Petrov"),  # the investigating manager
    "head_of_service": ("Harriet", "Lowe"),  # heard the case
    "governance": ("Gail", "Dunmore"),  # heard the appeal
    "hr": ("Helen", "Achebe"),  # opened the record, produced the bundle
}
WITNESS = ("Wendy", "Thorne", "w.thorne")
COMPANION = "Pat Quigley, UNISON"
SECTIONS = [
    "1. The allegation",
    "2. The clauses of the policy in force",
    "3. The employee's acknowledgements of the policy",
    "4. The evidence",
    "5. The investigation",
    "6. The hearing",
    "7. The outcome",
    "8. The appeal",
]
SCREENSHOT = b"a screenshot of the post"
REPORTER_NOTE = b"the reporter's own notes"


def _flat(outline):
    for item in outline:
        yield from _flat(item) if isinstance(item, list) else [item]


def pdf_pages(content):
    """Each page's text, with its white space made single spaces, and the document's metadata and outline."""
    reader = PdfReader(io.BytesIO(content))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    outline = [item.title for item in _flat(reader.outline)]
    return pages, {str(key): str(value) for key, value in (reader.metadata or {}).items()}, outline


def world_made():
    people = base_people()
    for role, (first, last) in NAMES.items():
        User.objects.filter(pk=people[role].pk).update(
            first_name=first, last_name=last, email=f"{first}.{last}@focus.example".lower()
        )
        people[role].refresh_from_db()
    UserFactory(  # named in the investigation only: "a witness"
        username=WITNESS[2], first_name=WITNESS[0], last_name=WITNESS[1], email="wendy.thorne@focus.example"
    )
    policy = make_policy(people["governance"])
    version = policy.current_version()
    acknowledgement_record(version=version, user=people["other_staff"])
    case = case_raised(
        policy,
        people["staff"],
        subject_kind="colleague",
        subject_person=people["other_staff"],
        subject_description="",
        description="I, Rosa Marchetti, saw Ellis Okafor's public post naming a service user.",
        links="https://facebook.example/posts/77",
    )
    sizes = {}
    for name, content, by in [
        ("post-screenshot.png", SCREENSHOT, people["supervisor"]),
        ("rosa-marchetti-notes.txt", REPORTER_NOTE, people["staff"]),
    ]:
        Evidence.objects.create(
            case=case,
            file=f"evidence/{case.reference}/{name}",
            stored_name=name,
            original_name=name,
            content_type="text/plain",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=by,
        )
        sizes[name] = len(content)
    referral = referral_made(case, people["governance"])
    make_record = record_maker(
        hr=people["hr"],
        other_staff=people["other_staff"],
        supervisor=people["supervisor"],
        head_of_service=people["head_of_service"],
        governance=people["governance"],
        clause_5_2=version.clauses().get(number="5.2"),
    )
    record = make_record(
        Step.APPEAL_DECIDED,
        referral=referral,
        investigator=people["other_supervisor"],
        investigation_summary=(
            "Wendy Thorne (wendy.thorne@focus.example) saw the post too; Hugo Brennan kept screenshots. "
            "Ellis Okafor accepted the post was theirs."
        ),
        invited_companion=COMPANION,
        companion=COMPANION,
        hearing_attendees="Ellis Okafor; Harriet Lowe, hearing it; Helen Achebe, HR, taking notes.",
        hearing_notes=(
            "The account of Rosa Marchetti (rosa.marchetti@focus.example) was read out."
            "\nHugo\nBrennan agreed."
        ),
        outcome_reasons="Harriet Lowe found a breach of 5.2 that Ellis Okafor accepted.",
        appeal_grounds="Ask w.thorne: the post was up for an hour only.",
        appeal_reasons="Gail Dunmore considered it afresh; Ivan Petrov's findings stand.",
    )
    client = Client()
    client.force_login(people["hr"])
    downloads = {}
    for copy, name in [("full", "discipline:acas_bundle"), ("redacted", "discipline:acas_bundle_redacted")]:
        response = client.get(reverse(name, args=[record.reference]))
        assert response.status_code == 200, (copy, response.status_code)
        downloads[copy] = {"content": response.content, "headers": dict(response.headers)}
    return {
        "record": record.pk,
        "reference": record.reference,
        "case": case.reference,
        "hr": people["hr"].pk,
        "downloads": downloads,
        "sizes": sizes,
        "acknowledged_on": day(timezone.localdate()),
    }


@pytest.fixture(scope="module")
def world(build_once):
    yield from build_once(world_made)


@pytest.fixture(scope="module", params=["full", "redacted"])
def bundle(request, world):
    """(pages, metadata, outline, headers) of one copy of the bundle."""
    download = world["downloads"][request.param]
    return (*pdf_pages(download["content"]), download["headers"])


@pytest.fixture(scope="module")
def full(world):
    return pdf_pages(world["downloads"]["full"]["content"])


@pytest.fixture(scope="module")
def redacted(world):
    return pdf_pages(world["downloads"]["redacted"]["content"])


def index_entries(pages):
    """{section heading: page number} as the index page lists them, and the index page's number."""
    for number, text in enumerate(pages, start=1):
        if text.startswith("Index"):
            found = re.findall(r"(\d\. [A-Za-z' ]+?) \.+ (\d+)", text)
            return {heading: int(page) for heading, page in found}, number
    raise AssertionError("No index page")


def test_the_bundle_is_a_download_that_is_not_kept(world):
    headers = world["downloads"]["full"]["headers"]
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == f'attachment; filename="ACAS-bundle-{world["reference"]}.pdf"'
    assert "no-store" in headers["Cache-Control"]
    redacted_headers = world["downloads"]["redacted"]["headers"]
    assert redacted_headers["Content-Disposition"] == (
        f'attachment; filename="ACAS-bundle-{world["reference"]}-redacted.pdf"'
    )
    assert "no-store" in redacted_headers["Cache-Control"]


def test_the_index_gives_the_page_each_section_starts_on(bundle):
    pages, _, _, _ = bundle
    assert len(pages) > 1
    entries, index_page = index_entries(pages)
    assert list(entries) == SECTIONS
    for heading, page in entries.items():
        starts = [n for n, text in enumerate(pages, start=1) if n > index_page and text.startswith(heading)]
        assert starts == [page], (heading, page, starts)


def test_every_page_has_its_number_of_the_total_and_the_reference(bundle, world):
    pages, _, _, _ = bundle
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        if number > 1:  # the cover has it in large
            assert f"ACAS bundle {world['reference']}" in text


def test_the_cover_says_whose_record_what_and_when(full, redacted, world):
    cover = full[0][0]
    assert "Employee Ellis Okafor" in cover
    assert f"Record reference {world['reference']}" in cover
    assert f"Date produced {day(timezone.localdate())}" in cover
    assert "Produced by Helen Achebe" in cover
    assert "Produced by a member of HR" in redacted[0][0]


def section(pages, heading):
    """The text of the pages from the section's heading to the next section's."""
    start = next(n for n, text in enumerate(pages) if text.startswith(heading))
    following = [n for n, text in enumerate(pages) if n > start and text[:3] in {s[:3] for s in SECTIONS}]
    return " ".join(pages[start : following[0] if following else None])


def test_each_section_holds_what_it_is_about(full, world):
    pages = full[0]
    allegation = section(pages, "1. The allegation")
    assert "Posted a photo of a service user on Facebook." in allegation
    assert "saw Ellis Okafor's public post naming a service user" in allegation
    assert world["case"] in allegation and "Facebook" in allegation
    assert "https://facebook.example/posts/77" in allegation
    clauses = section(pages, "2. The clauses of the policy in force")
    assert "Clause 5.2" in clauses and "Social Media Policy, version 1" in clauses
    assert "cite or reference service users or carers" in clauses
    acknowledgements = section(pages, "3. The employee's acknowledgements of the policy")
    assert "Social Media Policy, version 1" in acknowledgements
    assert world["acknowledged_on"] in acknowledgements
    evidence = section(pages, "4. The evidence")
    unspaced = "".join(evidence.split())
    for name, content in [("post-screenshot.png", SCREENSHOT), ("rosa-marchetti-notes.txt", REPORTER_NOTE)]:
        assert name in unspaced and f"{world['sizes'][name]} bytes" in evidence
        assert f"SHA-256 {hashlib.sha256(content).hexdigest()}" in evidence
    investigation = section(pages, "5. The investigation")
    assert "Ivan Petrov" in investigation and "Hugo Brennan kept screenshots" in investigation
    hearing = section(pages, "6. The hearing")
    assert "Told of the right to be accompanied Yes" in hearing and COMPANION in hearing
    assert "The account of Rosa Marchetti" in hearing
    outcome = section(pages, "7. The outcome")
    assert "First written warning" in outcome and "found a breach of 5.2" in outcome
    appeal = section(pages, "8. The appeal")
    assert "Original decision upheld" in appeal and "Gail Dunmore considered it afresh" in appeal


def test_the_employees_copy_names_nobody_else(redacted, world):
    pages, metadata, outline = redacted
    assert "8. The appeal" in outline and metadata["/Title"].endswith("(redacted copy for the employee)")
    everything = " ".join([*pages, *metadata.values(), *outline])
    unspaced = "".join(everything.split()).lower()
    for role, (first, last) in NAMES.items():
        if role == "other_staff":
            continue
        assert last not in everything, (role, last)
        assert f"{first}.{last}@focus.example".lower() not in unspaced, role
    assert WITNESS[1] not in everything and WITNESS[2] not in everything
    assert "wendy.thorne@" not in unspaced
    assert "Quigley" not in everything


def test_the_employees_copy_keeps_their_name_and_says_who_did_what(redacted):
    pages = redacted[0]
    text = " ".join(pages)
    assert "Ellis Okafor accepted the post was theirs" in text
    assert "I, the reporter, saw Ellis Okafor's public post" in section(pages, "1. The allegation")
    investigation = section(pages, "5. The investigation")
    assert "Investigating manager the investigating manager" in investigation
    assert "a witness (a witness) saw the post too; the case handler kept screenshots" in investigation
    hearing = section(pages, "6. The hearing")
    assert "Heard by the manager who heard the case" in hearing
    assert "The account of the reporter (the reporter) was read out" in hearing
    assert "was read out. The case handler agreed." in hearing  # the name broken over two lines
    assert "a member of HR" in hearing and "the employee's companion" in hearing
    appeal = section(pages, "8. The appeal")
    assert "Heard by the manager who heard the appeal" in appeal
    assert "Ask a witness: the post was up for an hour only" in appeal
    evidence = section(pages, "4. The evidence")
    assert "the case handler" in evidence and "the reporter" in evidence
    assert "reporter-notes.txt" in "".join(evidence.split())  # the file's name named the reporter


def test_each_download_is_audited_as_an_export_of_the_record(world):
    entries = AuditEntry.objects.filter(
        action=AuditEntry.Action.EXPORT, actor_id=world["hr"], details__record=world["reference"]
    )
    assert sorted(entry.details["copy"] for entry in entries) == ["full", "redacted"]
    assert all(entry.case.reference == world["case"] for entry in entries)
