"""6.4 authorisations in time: one with an end date tells its holder a week before that it ends, and ends on
its date (the system records it on the timeline, and the holder is told); one with no end date does not
expire."""

import datetime
import zoneinfo

import pytest
import time_machine

from audit.models import AuditEntry
from business_use import services
from business_use.models import BusinessUseEvent, Kind, State
from notifications.models import Kind as NotificationKind
from notifications.models import Notification
from reminders.sweep import sweep_timers
from tests.business_use.conftest import FIELDS

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(year, month, day, hour=0, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def sweep(when):
    with time_machine.travel(when, tick=False):
        return sweep_timers()


def authorised(when, staff, supervisor, **fields):
    with time_machine.travel(when, tick=False):
        request = services.business_use_submit(
            requester=staff, kind=Kind.PROFESSIONAL_SITE, **{**FIELDS[Kind.PROFESSIONAL_SITE], **fields}
        )
        return services.business_use_move(request=request, by=supervisor, move="authorise")


def told(person):
    return Notification.objects.filter(recipient=person, kind=NotificationKind.BUSINESS_USE_DECIDED).exclude(
        title__endswith="is now: authorised"
    )


def state(request):
    request.refresh_from_db()
    return request.state


def test_the_holder_is_told_a_week_before_the_end_date(staff, supervisor):
    request = authorised(at(2026, 11, 20, 10), staff, supervisor, to_date=datetime.date(2026, 12, 31))
    sweep(at(2026, 12, 24, 8, 59))
    assert not told(staff).exists()
    sweep(at(2026, 12, 24, 9))
    [notice] = told(staff)
    assert notice.title == f"Your authorisation {request.reference} ends on 31 December 2026"
    assert notice.link == request.get_absolute_url()
    assert state(request) == State.AUTHORISED


def test_it_ends_when_its_end_date_is_over(client, staff, supervisor):
    request = authorised(at(2026, 11, 20, 10), staff, supervisor, to_date=datetime.date(2026, 12, 31))
    sweep(at(2026, 12, 31, 23, 59))
    assert state(request) == State.AUTHORISED
    assert sweep(at(2027, 1, 1, 0, 0)) >= 1
    assert state(request) == State.ENDED

    event = BusinessUseEvent.objects.filter(request=request).last()
    assert (event.actor, event.from_state, event.to_state) == (None, State.AUTHORISED, State.ENDED)
    assert event.label == "Authorisation ended"
    assert told(staff).filter(title=f"Your business use request {request.reference} is now: ended").exists()
    assert AuditEntry.objects.filter(
        actor=None, what=f"business use request {request.reference}: authorisation ended"
    ).exists()
    # Ended once: a later sweep changes nothing more.
    sweep(at(2027, 1, 2))
    assert BusinessUseEvent.objects.filter(request=request, to_state=State.ENDED).count() == 1

    client.force_login(staff)
    page = client.get(request.get_absolute_url()).content.decode()
    assert "Ended" in page
    assert "The system" in page


def test_an_authorisation_with_no_end_date_does_not_expire(staff, supervisor):
    request = authorised(at(2026, 11, 20, 10), staff, supervisor, to_date=None)
    sweep(at(2030, 1, 1))
    assert state(request) == State.AUTHORISED
    assert not told(staff).exists()


def test_authorised_within_the_last_week_the_holder_is_told_at_once(staff, supervisor):
    request = authorised(at(2026, 12, 28, 10), staff, supervisor, to_date=datetime.date(2026, 12, 31))
    sweep(at(2026, 12, 28, 10, 5))
    assert told(staff).get().title.endswith("ends on 31 December 2026")
    sweep(at(2027, 1, 1))
    assert state(request) == State.ENDED


def test_a_request_declined_before_it_was_authorised_never_ends(staff, supervisor):
    with time_machine.travel(at(2026, 11, 20, 10), tick=False):
        request = services.business_use_submit(
            requester=staff, kind=Kind.PROFESSIONAL_SITE, **FIELDS[Kind.PROFESSIONAL_SITE]
        )
        services.business_use_move(request=request, by=supervisor, move="supervisor_decline", text="No.")
    sweep(at(2027, 1, 2))
    assert state(request) == State.DECLINED
