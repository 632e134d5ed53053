"""Erasure requests (UK GDPR article 17): recorded with the decision. Granted, the person's data is
anonymised now by the retention schedule's own functions; refused, the legal ground of article 17(3)."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from cases.evidence import evidence_add
from cases.models import Stage
from dataprotection.models import ErasureRequest, LegalHold
from people.models import ANONYMISED_USERNAME
from tests.dataprotection.conftest import png

pytestmark = pytest.mark.django_db


def decide(client, person, **fields):
    data = {
        "person": person.username,
        "requested_by": "Themselves",
        "received_on": "2026-11-02",
        "decision": "granted",
        "ground": "",
        "reason": "They left in 2024 and no claim is pending.",
        **fields,
    }
    return client.post(reverse("dataprotection:erasure_new"), data)


@pytest.fixture
def cases(raise_case, move_to, staff, media):
    closed = raise_case(staff)
    evidence_add(case=closed, by=staff, files=[png()], record_event=False)
    return {"closed": move_to(closed, Stage.CLOSED_AT_TRIAGE), "open": raise_case(staff)}


def test_granted_the_persons_closed_cases_are_anonymised_now(client, governance, staff, cases, media):
    client.force_login(governance)

    response = decide(client, staff)

    assert response.status_code == 302
    erasure = ErasureRequest.objects.get()
    assert (erasure.decision, erasure.ground, erasure.decided_by) == ("granted", "", governance)
    assert erasure.counts == {
        "cases anonymised": 1,
        "evidence files deleted": 1,
        "disciplinary records anonymised": 0,
        "business use requests anonymised": 0,
    }
    for case in cases.values():
        case.refresh_from_db()
    assert cases["closed"].anonymised_at is not None
    assert cases["closed"].reporter.username == ANONYMISED_USERNAME
    assert not cases["closed"].evidence.exists()
    # An open case is left to finish.
    assert cases["open"].anonymised_at is None and cases["open"].reporter == staff
    assert AuditEntry.objects.filter(actor=governance, details__erasure_request=erasure.pk).exists()


def test_evidence_files_go_once_the_decision_is_committed(
    client, governance, staff, cases, media, django_capture_on_commit_callbacks
):
    client.force_login(governance)
    stored = media / cases["closed"].evidence.get().file.name

    with django_capture_on_commit_callbacks(execute=True):
        decide(client, staff)

    assert not stored.exists()


def test_refused_it_names_the_legal_ground_and_changes_nothing(client, infosec, staff, cases):
    client.force_login(infosec)

    missing = decide(client, staff, decision="refused")
    assert missing.status_code == 400
    assert "Choose the legal ground for refusing." in missing.content.decode()

    response = decide(
        client, staff, decision="refused", ground="17_3_e", reason="A tribunal claim is pending."
    )

    assert response.status_code == 302
    erasure = ErasureRequest.objects.get()
    assert erasure.get_ground_display().startswith(
        "17(3)(e): the establishment, exercise or defence of legal"
    )
    cases["closed"].refresh_from_db()
    assert cases["closed"].anonymised_at is None
    assert "A tribunal claim is pending." in client.get(reverse("dataprotection:requests")).content.decode()


def test_granting_is_refused_while_the_person_is_under_a_legal_hold(client, governance, staff, cases):
    LegalHold.objects.create(person=staff, reason="Claim.", placed_by=governance)
    client.force_login(governance)

    response = decide(client, staff)

    assert response.status_code == 400
    assert "under a legal hold" in response.content.decode()
    assert not ErasureRequest.objects.exists()
    cases["closed"].refresh_from_db()
    assert cases["closed"].anonymised_at is None


def test_nobody_decides_on_a_request_about_themselves(client, infosec):
    client.force_login(infosec)

    response = decide(client, infosec)

    assert response.status_code == 400
    assert "Someone else decides on a request about you." in response.content.decode()
    assert not ErasureRequest.objects.exists()
