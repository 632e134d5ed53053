"""Letters from templates HR edit: produced for a record as PDF and as text with its values, audited, and
templates that would reach beyond the placeholders refused with the reason."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AuditEntry
from core.text import day
from discipline.models import AppealOutcome, LetterTemplate, Outcome, Step

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
Kind = LetterTemplate.Kind


def letter_url(record, kind, format):
    return reverse(f"discipline:letter_{format}", args=[record.reference, kind])


def edit_url(kind):
    return reverse("discipline:letter_template", args=[kind])


def pdf_text(response):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def exports(record):
    return AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, details={"record": record.reference})


@pytest.fixture
def invited(make_record):
    return make_record(
        Step.INVITED,
        start=TODAY() - datetime.timedelta(days=30),
        hearing_arranged_for=TODAY() + datetime.timedelta(days=5),
        hearing_time=datetime.time(14, 30),
        hearing_place="Meeting room 7, Head Office",
        invited_companion="Pat Jones, UNISON",
    )


def test_the_invitation_letter_as_pdf_has_the_records_values(client, hr, invited):
    client.force_login(hr)
    response = client.get(letter_url(invited, Kind.INVITATION, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = " ".join(pdf_text(response).split())
    assert f"Dear {invited.employee.get_full_name()}" in text
    assert day(invited.hearing_arranged_for) in text
    assert "14:30" in text and "Meeting room 7, Head Office" in text
    assert "Pat Jones, UNISON" in text
    assert "right to be accompanied" in text
    entry = exports(invited).get()
    assert entry.actor == hr and "as PDF" in entry.what
    assert "Invitation to a disciplinary hearing" in entry.what


def test_the_invitation_letter_as_text_to_edit(client, hr, invited):
    client.force_login(hr)
    response = client.get(letter_url(invited, Kind.INVITATION, "text"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert f'filename="{invited.reference}-invitation.txt"' in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith(f"Invitation to a disciplinary hearing – {invited.reference}\n")
    assert f"Dear {invited.employee.get_full_name()}," in text
    assert "clause 5.2" in text and f"Yours sincerely,\n\n{hr.get_full_name()}" in text
    assert exports(invited).get().what.endswith("as text")


def test_the_outcome_and_appeal_outcome_letters(client, hr, make_record):
    record = make_record(
        Step.APPEAL_DECIDED,
        outcome=Outcome.FINAL_WRITTEN_WARNING,
        appeal_outcome=AppealOutcome.VARIED,
        new_outcome=Outcome.FIRST_WRITTEN_WARNING,
        outcome_reasons="A second breach of 5.2.",
        appeal_reasons="The first breach was long ago.",
    )
    client.force_login(hr)
    outcome = client.get(letter_url(record, Kind.OUTCOME, "text")).content.decode()
    assert "Final written warning" in outcome and "A second breach of 5.2." in outcome
    assert day(record.decided_on) in outcome and "right to appeal" in outcome
    appeal = " ".join(pdf_text(client.get(letter_url(record, Kind.APPEAL_OUTCOME, "pdf"))).split())
    assert record.employee.get_full_name() in appeal
    assert "Decision varied" in appeal and "The outcome that now stands is: First written warning" in appeal
    assert "The first breach was long ago." in appeal


def test_a_letter_for_a_step_not_reached_is_explained_not_produced(client, hr, invited):
    client.force_login(hr)
    response = client.get(letter_url(invited, Kind.OUTCOME, "pdf"), follow=True)
    assert response.redirect_chain[-1][0] == invited.get_absolute_url()
    assert "can be produced once the outcome is recorded" in response.text
    assert not exports(invited).exists()
    page = client.get(invited.get_absolute_url()).text
    assert letter_url(invited, Kind.INVITATION, "pdf") in page
    assert letter_url(invited, Kind.OUTCOME, "pdf") not in page


def test_an_unknown_letter_is_a_404(client, hr, invited):
    client.force_login(hr)
    assert client.get(letter_url(invited, "dismissal", "text")).status_code == 404
    assert client.get(edit_url("dismissal")).status_code == 404


def test_values_are_shown_as_text_in_the_pdf_not_as_markup(client, hr, make_record):
    record = make_record(Step.INVITED, hearing_place='<b>Room 1</b> <img src="file:///etc/passwd">')
    client.force_login(hr)
    response = client.get(letter_url(record, Kind.INVITATION, "pdf"))
    assert response.status_code == 200
    assert '<b>Room 1</b> <img src="file:///etc/passwd">' in " ".join(pdf_text(response).split())
    # HR's own wording is text too.
    template = LetterTemplate.objects.get(kind=Kind.INVITATION)
    template.body = "<h1>Big</h1> at {{ hearing_place }}"
    template.save()
    text = " ".join(pdf_text(client.get(letter_url(record, Kind.INVITATION, "pdf"))).split())
    assert "<h1>Big</h1> at <b>Room 1</b>" in text


# --- Editing the templates --------------------------------------------------------------------------------


def test_the_edit_page_documents_the_placeholders(client, hr):
    client.force_login(hr)
    page = client.get(edit_url(Kind.OUTCOME)).text
    for name in ("employee_name", "hearing_date", "warning_expires_on", "outcome_reasons"):
        assert f"<code>{{{{ {name} }}}}</code>" in page
    assert "|upper" in page
    assert "{% load %}" in page


def test_an_edit_takes_effect_on_the_next_letter(client, hr, invited):
    client.force_login(hr)
    response = client.post(
        edit_url(Kind.INVITATION),
        {
            "subject": "Hearing for {{ employee_name }}",
            "body": "Dear {{ employee_name|upper }},\nCome to {{ hearing_place }} at {{ hearing_time }}.",
        },
    )
    assert response.status_code == 302
    text = client.get(letter_url(invited, Kind.INVITATION, "text")).content.decode()
    name = invited.employee.get_full_name()
    body = f"Dear {name.upper()},\nCome to Meeting room 7, Head Office at 14:30."
    assert text == f"Hearing for {name}\n\n{body}"
    template = LetterTemplate.objects.get(kind=Kind.INVITATION)
    assert template.updated_by == hr
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.CHANGE).latest("pk")
    assert entry.actor == hr and "Invitation to a disciplinary hearing" in entry.what
    assert "Invitation to a disciplinary hearing" in client.get(reverse("discipline:letter_templates")).text


@pytest.mark.parametrize(
    "body, error",
    [
        ("{% load static %}Dear {{ employee_name }}", "Template tags such as {% load %}"),
        ("{% debug %}", "Template tags such as {% load %}"),
        ("Key: {{ settings.SECRET_KEY }}", "“{{ settings.SECRET_KEY }}” reads inside a value"),
        ("{{ employee_name.__class__ }}", "The template cannot be read"),
        ("{{ secret_key }}", "“{{ secret_key }}” is not one of the placeholders listed below"),
        ("{{ employee_name|default:request.user }}", "reads inside a value"),
        ("{{ employee_name|safe }}", "Use only the placeholders and the filters upper, lower"),
        ("", "This field is required."),
    ],
)
def test_unsafe_template_content_is_refused_with_the_reason(client, hr, body, error):
    template = LetterTemplate.objects.get(kind=Kind.INVITATION)
    before = (template.subject, template.body)
    client.force_login(hr)
    response = client.post(edit_url(Kind.INVITATION), {"subject": "A new subject", "body": body})
    assert response.status_code == 400
    assert error in response.text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    assert 'value="A new subject"' in response.text
    template.refresh_from_db()
    assert (template.subject, template.body) == before


def test_an_unsafe_subject_is_refused_too(client, hr):
    client.force_login(hr)
    response = client.post(
        edit_url(Kind.OUTCOME),
        {"subject": "{{ record.employee.password }}", "body": "Dear {{ employee_name }}"},
    )
    assert response.status_code == 400
    assert "reads inside a value" in response.text
    assert LetterTemplate.objects.get(kind=Kind.OUTCOME).subject.startswith("Outcome of your")
