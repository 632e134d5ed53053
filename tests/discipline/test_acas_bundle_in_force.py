"""Section 2 of the ACAS bundle reads the recorded clauses as the version of the policy in force on the day
the posting was made or the incident happened (policies.in_force, as the case page does), not as the version
they were recorded from."""

import datetime

import pytest
from django.urls import reverse

from cases.models import SubjectKind
from tests.discipline.conftest import referral_made
from tests.discipline.test_acas_bundle import pdf_pages, section
from tests.factories import case_raised
from tests.policies.history import FIRST_DAY, NEW_5_3, OLD_5_3, SECOND_DAY, second_version

pytestmark = pytest.mark.django_db

CLAUSES = "2. The clauses of the policy in force"


def bundle_clauses(client, hr, record):
    client.force_login(hr)
    response = client.get(reverse("discipline:acas_bundle", args=[record.reference]))
    assert response.status_code == 200
    pages, _, _ = pdf_pages(response.content)
    return section(pages, CLAUSES)


@pytest.mark.parametrize(
    ("happened", "text", "not_text", "version"),
    [
        (SECOND_DAY - datetime.timedelta(days=1), OLD_5_3, NEW_5_3, "version 1"),
        (SECOND_DAY, NEW_5_3, OLD_5_3, "version 2"),
    ],
)
def test_the_clauses_read_as_the_version_in_force_that_day(
    client, hr, governance, policy, staff, other_staff, make_record, happened, text, not_text, version
):
    assert FIRST_DAY < happened
    current = second_version(policy, governance)
    case = case_raised(
        policy,
        staff,
        subject_kind=SubjectKind.COLLEAGUE,
        subject_person=other_staff,
        subject_description="",
        incident_on=happened,
        seen_at=datetime.datetime.combine(
            SECOND_DAY + datetime.timedelta(days=1), datetime.time(12)
        ).astimezone(),
        clauses=[current.clauses().get(number="5.3")],
    )
    record = make_record(referral=referral_made(case, governance))

    clauses = bundle_clauses(client, hr, record)

    assert "Clause 5.3" in clauses
    assert " ".join(text.split()) in clauses and " ".join(not_text.split()) not in clauses
    assert f"Social Media Policy, {version}" in clauses
