"""A disciplinary record's PDF summary: a letter-style document of every step so far, for HR and the
governance head, audited like every export."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AuditEntry
from discipline.models import AppealOutcome, Outcome, Step

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def record(make_record, other_staff, supervisor, head_of_service, case_about_colleague):
    return make_record(
        other_staff,
        clause_numbers=("5.2", "2.4"),
        opened_on=TODAY - datetime.timedelta(days=60),
        allegation="Posted a photograph of a service user's home on Facebook.",
        investigator=supervisor,
        investigation_summary="The post was public for two days.",
        investigation_completed_on=TODAY - datetime.timedelta(days=50),
        invitation_sent_on=TODAY - datetime.timedelta(days=45),
        hearing_arranged_for=TODAY - datetime.timedelta(days=40),
        heard_by=head_of_service,
        companion="A trade union representative",
        decided=Outcome.FINAL_WRITTEN_WARNING,
        expires_on=TODAY + datetime.timedelta(days=200),
        step=Step.APPEAL_DECIDED,
        appeal_lodged_on=TODAY - datetime.timedelta(days=10),
        appeal_grounds="The sanction was too severe.",
        appeal_heard_on=TODAY - datetime.timedelta(days=5),
        appeal_outcome=AppealOutcome.UPHELD,
        appeal_reasons="The warning was proportionate.",
        case=case_about_colleague,
    )


def pdf_text(response):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.mark.parametrize("role", ["hr", "governance"])
def test_the_summary_is_a_pdf_of_the_whole_record(client, request, record, clauses, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("discipline:pdf", args=[record.reference]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{record.reference}.pdf"'
    assert response.content.startswith(b"%PDF")
    text = " ".join(pdf_text(response).split())
    assert f"Disciplinary record {record.reference}" in text
    assert "Posted a photograph of a service user's home on Facebook." in text
    # The clauses with their text as it stood, each step, the outcome and the appeal.
    assert "Clause 2.4" in text and "Clause 5.2" in text
    assert " ".join(clauses["5.2"].text.split())[:60] in text
    assert "The post was public for two days." in text
    assert "A trade union representative" in text
    assert "Final written warning" in text
    assert "The posting identified a service user." in text
    assert "Live on" in text
    assert "Original decision upheld" in text
    assert "The warning was proportionate." in text
    assert record.case.reference in text


def test_an_open_record_says_what_has_not_happened_yet(client, hr, make_record, staff):
    record = make_record(staff, allegation="Commented on a colleague's post.")
    client.force_login(hr)
    text = pdf_text(client.get(reverse("discipline:pdf", args=[record.reference])))
    assert "Commented on a colleague's post." in text
    assert "No hearing held yet." in text
    assert "No outcome decided yet." in text


def test_the_summary_is_audited(client, hr, record):
    client.force_login(hr)
    client.get(reverse("discipline:pdf", args=[record.reference]))
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.actor == hr
    assert entry.case == record.case
    assert entry.what == f"exported disciplinary record {record.reference} as a PDF summary"
    assert entry.details == {"format": "pdf", "filters": {"reference": record.reference}, "rows": 1}
