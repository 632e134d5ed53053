"""Demo data protection records for seed_demo: a subject access request waiting for its answer and a legal
hold on a closed case. Safe to run twice."""

import datetime

from django.utils import timezone

from cases.models import CLOSED_STAGES, Case

from . import services
from .models import LegalHold, SubjectAccessRequest


def create_demo_data_protection(*, people):
    if SubjectAccessRequest.objects.exists() or LegalHold.objects.exists():
        return
    services.subject_access_record(
        person=people["staff2"],
        requested_by="Jordan Lee, by e-mail to the Head of Information & Security",
        received_on=timezone.localdate() - datetime.timedelta(days=10),
        by=people["infosec"],
    )
    closed = Case.objects.filter(stage__in=CLOSED_STAGES).order_by("pk").first()
    if closed is not None:
        services.legal_hold_place(
            by=people["governance"],
            case=closed,
            reason="The reporter has made an employment tribunal claim: keep the case until it is settled.",
        )
