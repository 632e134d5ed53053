"""A policy with a history: version 1 in force from FIRST_DAY, version 2 (5.3 reworded, 10.3 added:
tests.factories.make_draft_v2) from SECOND_DAY, its clause 5.3 marked as a material change."""

import datetime

from django.utils import timezone

from policies import services
from policies.models import PolicyVersion
from tests.factories import make_draft_v2

TODAY = timezone.localdate()
FIRST_DAY = TODAY - datetime.timedelta(days=120)
SECOND_DAY = TODAY - datetime.timedelta(days=30)
OLD_5_3 = "Staff should therefore avoid making controversial comments"
NEW_5_3 = "Staff must therefore avoid making controversial or unkind comments"


def took_effect(version, day, *, effective=True):
    """Date the version's approval to `day` (at 9 o'clock), and its effective date too unless not
    `effective` (then it is in force from the day it was approved)."""
    approved_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    PolicyVersion.objects.filter(pk=version.pk).update(
        approved_at=approved_at, effective_date=day if effective else None
    )


def second_version(policy, governance, *, material=("5.3",), effective=True):
    """Version 1 dated FIRST_DAY; version 2 drafted, its `material` clauses marked, approved, dated
    SECOND_DAY. Returns version 2."""
    took_effect(policy.current_version(), FIRST_DAY)
    draft = make_draft_v2()
    if material:
        services.material_changes_mark(version=draft, by=governance, numbers=material)
    version = services.version_approve(version=draft, by=governance)
    took_effect(version, SECOND_DAY, effective=effective)
    version.refresh_from_db()
    return version
