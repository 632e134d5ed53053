"""The ACAS steps of a disciplinary record, in order, each recorded once (discipline.services)."""

import datetime

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from audit.models import AuditEntry
from core.errors import DomainError
from discipline import services
from discipline.models import STEP_ORDER, AppealOutcome, DisciplinaryRecord, Outcome, Step, WarningPeriods

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def days_ago(days):
    return TODAY() - datetime.timedelta(days=days)


HEARING_AT = {
    "hearing_time": datetime.time(14, 0),
    "hearing_place": "Meeting room 1",
    "told_of_right_to_be_accompanied": True,
}
HEARD = {"attendees": "The employee and the manager hearing it.", "notes": "The employee explained."}


def step_arguments(step, *, head_of_service, governance, supervisor):
    """Sensible arguments for recording `step` on a record made with make_record's default dates."""
    return {
        Step.INVESTIGATED: {"investigator": supervisor, "summary": "Found.", "completed_on": days_ago(1)},
        Step.INVITED: {"sent_on": TODAY(), "hearing_arranged_for": TODAY(), **HEARING_AT},
        Step.HEARD: {"held_on": TODAY(), "heard_by": head_of_service, **HEARD},
        Step.DECIDED: {"outcome": Outcome.NO_ACTION, "reasons": "Why.", "decided_on": TODAY()},
        Step.APPEAL_LODGED: {"lodged_on": TODAY(), "grounds": "Unfair."},
        Step.APPEAL_DECIDED: {
            "heard_on": TODAY(),
            "heard_by": governance,
            "appeal_outcome": AppealOutcome.UPHELD,
            "reasons": "Fair.",
        },
    }[step]


SERVICES = {
    Step.INVESTIGATED: services.record_investigation,
    Step.INVITED: services.record_invitation,
    Step.HEARD: services.record_hearing,
    Step.DECIDED: services.record_outcome,
    Step.APPEAL_LODGED: services.record_appeal,
    Step.APPEAL_DECIDED: services.record_appeal_outcome,
}


@pytest.fixture
def arguments(head_of_service, governance, supervisor):
    def _arguments(step):
        return step_arguments(
            step, head_of_service=head_of_service, governance=governance, supervisor=supervisor
        )

    return _arguments


@pytest.mark.parametrize("current", list(Step))
@pytest.mark.parametrize("target", list(STEP_ORDER))
def test_each_step_only_follows_the_one_before_it(make_record, hr, arguments, current, target):
    record = make_record(current, start=days_ago(3))
    events = record.events.count()
    if STEP_ORDER[target] == current:
        record = SERVICES[target](record=record, by=hr, **arguments(target))
        assert record.step == target
        assert record.events.count() == events + 1
        return
    with pytest.raises(DomainError) as refused:
        SERVICES[target](record=record, by=hr, **arguments(target))
    record.refresh_from_db()
    assert record.step == current
    assert record.events.count() == events
    message = str(refused.value)
    if list(Step).index(current) >= list(Step).index(target):
        assert "has already been recorded" in message and "Nothing was changed" in message
    else:
        assert "cannot be recorded before" in message and record.reference in message


@pytest.mark.parametrize(
    "current, target, message",
    [
        (Step.OPENED, Step.HEARD, "The hearing cannot be recorded before the invitation to a hearing"),
        (Step.INVESTIGATED, Step.DECIDED, "The outcome cannot be recorded before the hearing"),
        (Step.INVITED, Step.DECIDED, "The outcome cannot be recorded before the hearing"),
        (Step.HEARD, Step.APPEAL_LODGED, "An appeal cannot be recorded before the outcome"),
        (Step.DECIDED, Step.APPEAL_DECIDED, "The appeal's outcome cannot be recorded before an appeal"),
        (Step.HEARD, Step.HEARD, "The hearing has already been recorded"),
        (Step.APPEAL_DECIDED, Step.APPEAL_LODGED, "An appeal has already been recorded"),
    ],
)
def test_skipping_or_repeating_a_step_says_what_is_missing(
    make_record, hr, arguments, current, target, message
):
    record = make_record(current, start=days_ago(3))
    with pytest.raises(DomainError, match=message):
        SERVICES[target](record=record, by=hr, **arguments(target))


def test_each_step_writes_an_event_and_an_audit_entry(make_record, hr, referral):
    record = make_record(Step.APPEAL_DECIDED, referral=referral)
    assert list(record.events.values_list("step", flat=True)) == list(Step)
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.CHANGE, details__record=record.reference)
    assert entries.count() == len(Step)
    assert {entry.case for entry in entries} == {referral.case}
    assert set(entries.values_list("what", flat=True)) >= {
        f"recorded the investigation on disciplinary record {record.reference}",
        f"recorded the hearing on disciplinary record {record.reference}",
        f"recorded the appeal's outcome on disciplinary record {record.reference}",
    }


def test_the_steps_fill_in_the_record(make_record, supervisor, head_of_service, governance):
    record = make_record(Step.APPEAL_DECIDED, companion="Pat, UNISON", start=days_ago(100))
    assert (record.investigator, record.heard_by, record.appeal_heard_by) == (
        supervisor,
        head_of_service,
        governance,
    )
    assert record.companion == "Pat, UNISON"
    assert record.investigation_completed_on == days_ago(90)
    assert record.hearing_held_on == days_ago(70)
    assert record.decided_on == days_ago(60)
    assert (record.outcome, record.appeal_outcome) == (Outcome.FIRST_WRITTEN_WARNING, AppealOutcome.UPHELD)


def test_the_governance_head_reads_but_cannot_change_a_record(make_record, governance, arguments):
    record = make_record(Step.OPENED)
    with pytest.raises(DomainError, match="Only HR"):
        services.record_investigation(record=record, by=governance, **arguments(Step.INVESTIGATED))
    record.refresh_from_db()
    assert record.step == Step.OPENED


def test_hr_cannot_change_a_record_about_themselves(make_record, hr, other_hr, arguments):
    record = make_record(Step.OPENED, employee=hr, by=other_hr)
    with pytest.raises(DomainError, match="cannot change this disciplinary record"):
        services.record_investigation(record=record, by=hr, **arguments(Step.INVESTIGATED))


# --- Dates --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "step, change, message",
    [
        (
            Step.INVESTIGATED,
            {"completed_on": "future"},
            "investigation was completed cannot be in the future",
        ),
        (
            Step.INVESTIGATED,
            {"completed_on": "before"},
            "investigation cannot be before the record was opened",
        ),
        (Step.INVITED, {"sent_on": "before"}, "invitation cannot be before the investigation was completed"),
        (
            Step.INVITED,
            {"hearing_arranged_for": "before"},
            "hearing cannot be before the invitation was sent",
        ),
        (Step.HEARD, {"held_on": "before"}, "hearing cannot be before the written invitation was sent"),
        (Step.HEARD, {"held_on": "future"}, "date of the hearing cannot be in the future"),
        (Step.DECIDED, {"decided_on": "before"}, "decision cannot be before the hearing"),
        (Step.APPEAL_LODGED, {"lodged_on": "before"}, "appeal cannot be before the decision"),
        (
            Step.APPEAL_DECIDED,
            {"heard_on": "before"},
            "appeal hearing cannot be before the appeal was lodged",
        ),
    ],
)
def test_dates_must_follow_the_steps_before_them(make_record, hr, arguments, step, change, message):
    # The record opened yesterday and every step since happened today; "before" is two days ago.
    before = list(Step)[list(Step).index(step) - 1]
    record = make_record(before, start=days_ago(1))
    name, when = next(iter(change.items()))
    value = days_ago(2) if when == "before" else TODAY() + datetime.timedelta(days=1)
    with pytest.raises(DomainError, match=message):
        SERVICES[step](record=record, by=hr, **{**arguments(step), name: value})
    record.refresh_from_db()
    assert record.step == before


def test_a_hearing_may_be_arranged_for_a_future_date(make_record, hr):
    record = make_record(Step.INVESTIGATED, start=days_ago(5))
    week = TODAY() + datetime.timedelta(days=7)
    record = services.record_invitation(
        record=record, by=hr, sent_on=TODAY(), hearing_arranged_for=week, **HEARING_AT
    )
    assert record.hearing_arranged_for == week


@pytest.mark.parametrize("step, role", [(Step.INVESTIGATED, "investigator"), (Step.HEARD, "heard_by")])
def test_the_employee_cannot_investigate_or_hear_their_own_case(
    make_record, hr, arguments, other_staff, step, role
):
    record = make_record(list(Step)[list(Step).index(step) - 1], start=days_ago(5))
    with pytest.raises(DomainError, match="is the employee this record is about"):
        SERVICES[step](record=record, by=hr, **{**arguments(step), role: other_staff})


@pytest.mark.parametrize(
    "step, blank, message",
    [
        (Step.INVESTIGATED, "summary", "Summarise what the investigation found"),
        (Step.DECIDED, "reasons", "Give the reasons for the outcome"),
        (Step.APPEAL_LODGED, "grounds", "Give the grounds of the appeal"),
        (Step.APPEAL_DECIDED, "reasons", "Give the reasons for the appeal decision"),
    ],
)
def test_summaries_reasons_and_grounds_are_required(make_record, hr, arguments, step, blank, message):
    record = make_record(list(Step)[list(Step).index(step) - 1], start=days_ago(5))
    with pytest.raises(DomainError, match=message):
        SERVICES[step](record=record, by=hr, **{**arguments(step), blank: "   "})


# --- Outcomes and warnings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "outcome, months",
    [(Outcome.FIRST_WRITTEN_WARNING, 12), (Outcome.FINAL_WRITTEN_WARNING, 24)],
)
def test_warnings_expire_after_12_or_24_months_by_default(make_record, outcome, months):
    record = make_record(Step.DECIDED, outcome=outcome, start=days_ago(50))
    assert record.decided_on == days_ago(10)
    assert record.warning_expires_on == record.decided_on + relativedelta(months=months)
    assert (record.outcome_in_force, record.warning_status()) == (outcome, "live")


def test_the_default_periods_are_configurable(make_record):
    WarningPeriods.objects.all().delete()
    WarningPeriods.objects.create(first_written_warning_months=6, final_written_warning_months=18)
    first = make_record(Step.DECIDED, outcome=Outcome.FIRST_WRITTEN_WARNING)
    final = make_record(Step.DECIDED, outcome=Outcome.FINAL_WRITTEN_WARNING)
    assert first.warning_expires_on == first.decided_on + relativedelta(months=6)
    assert final.warning_expires_on == final.decided_on + relativedelta(months=18)


def test_hr_may_give_a_warning_its_own_expiry(make_record):
    expires = TODAY() + datetime.timedelta(days=200)
    record = make_record(Step.DECIDED, outcome=Outcome.FIRST_WRITTEN_WARNING, warning_expires_on=expires)
    assert record.warning_expires_on == expires


def test_a_warning_must_expire_after_the_decision(make_record):
    with pytest.raises(DomainError, match="must expire after the decision"):
        make_record(Step.DECIDED, start=days_ago(50), warning_expires_on=days_ago(10))


@pytest.mark.parametrize("outcome", [Outcome.NO_ACTION, Outcome.INFORMAL_ACTION, Outcome.DISMISSAL])
def test_only_warnings_have_an_expiry(make_record, outcome):
    record = make_record(Step.DECIDED, outcome=outcome)
    assert (record.outcome_in_force, record.warning_expires_on, record.warning_status()) == (
        outcome,
        None,
        "",
    )
    with pytest.raises(DomainError, match="Only a first or final written warning has an expiry"):
        make_record(Step.DECIDED, outcome=outcome, warning_expires_on=TODAY() + datetime.timedelta(days=30))


def test_an_unknown_outcome_is_refused(make_record):
    with pytest.raises(DomainError, match="Choose the outcome"):
        make_record(Step.DECIDED, outcome="a stern look")


def test_expired_warnings_show_as_expired_without_anything_running(make_record):
    record = make_record(Step.DECIDED, outcome=Outcome.FIRST_WRITTEN_WARNING, start=days_ago(60))
    expires = record.warning_expires_on
    assert record.warning_status() == "live"
    assert DisciplinaryRecord.objects.live_warnings().get() == record
    with time_machine.travel(datetime.datetime.combine(expires, datetime.time(12)), tick=False):
        assert record.warning_status() == "expired"
        assert DisciplinaryRecord.objects.expired_warnings().get() == record
        assert not DisciplinaryRecord.objects.live_warnings().exists()


def test_a_warning_given_three_years_ago_has_expired(make_record):
    record = make_record(Step.DECIDED, outcome=Outcome.FINAL_WRITTEN_WARNING, start=days_ago(3 * 365))
    assert record.warning_expires_on < TODAY()
    assert record.warning_status() == "expired"


# --- Appeals ------------------------------------------------------------------------------------------------


def test_an_upheld_appeal_keeps_the_outcome_and_its_expiry(make_record):
    decided = make_record(Step.DECIDED, outcome=Outcome.FINAL_WRITTEN_WARNING)
    record = make_record(Step.APPEAL_DECIDED, outcome=Outcome.FINAL_WRITTEN_WARNING, appeal_outcome="upheld")
    assert (record.outcome_in_force, record.warning_expires_on) == (
        Outcome.FINAL_WRITTEN_WARNING,
        decided.warning_expires_on,
    )


def test_an_overturned_appeal_leaves_no_action_and_no_warning(make_record):
    record = make_record(
        Step.APPEAL_DECIDED, outcome=Outcome.FINAL_WRITTEN_WARNING, appeal_outcome="overturned"
    )
    assert (record.outcome, record.outcome_in_force, record.warning_expires_on) == (
        Outcome.FINAL_WRITTEN_WARNING,
        Outcome.NO_ACTION,
        None,
    )
    assert record.warning_status() == ""
    assert "In force: No action" in record.events.last().text


def test_a_varied_appeal_gives_the_new_outcome_with_its_default_expiry_from_the_decision(make_record):
    record = make_record(
        Step.APPEAL_DECIDED,
        outcome=Outcome.FINAL_WRITTEN_WARNING,
        appeal_outcome="varied",
        new_outcome=Outcome.FIRST_WRITTEN_WARNING,
    )
    assert (record.outcome, record.outcome_in_force) == (
        Outcome.FINAL_WRITTEN_WARNING,
        Outcome.FIRST_WRITTEN_WARNING,
    )
    assert record.warning_expires_on == record.decided_on + relativedelta(months=12)


def test_a_warning_varied_to_informal_action_no_longer_expires(make_record):
    record = make_record(
        Step.APPEAL_DECIDED,
        outcome=Outcome.FIRST_WRITTEN_WARNING,
        appeal_outcome="varied",
        new_outcome=Outcome.INFORMAL_ACTION,
    )
    assert (record.outcome_in_force, record.warning_expires_on) == (Outcome.INFORMAL_ACTION, None)


def test_a_dismissal_varied_to_a_final_warning_may_have_its_own_expiry(make_record):
    expires = TODAY() + datetime.timedelta(days=400)
    record = make_record(
        Step.APPEAL_DECIDED,
        outcome=Outcome.DISMISSAL,
        appeal_outcome="varied",
        new_outcome=Outcome.FINAL_WRITTEN_WARNING,
        new_warning_expires_on=expires,
    )
    assert (record.outcome_in_force, record.warning_expires_on) == (Outcome.FINAL_WRITTEN_WARNING, expires)


@pytest.mark.parametrize(
    "outcome, appeal_outcome, new_outcome, message",
    [
        (Outcome.FIRST_WRITTEN_WARNING, "varied", "", "Choose the outcome the decision is varied to"),
        (Outcome.FIRST_WRITTEN_WARNING, "varied", Outcome.FIRST_WRITTEN_WARNING, "same as the original"),
        (Outcome.FIRST_WRITTEN_WARNING, "varied", Outcome.DISMISSAL, "cannot increase the sanction"),
        (Outcome.FIRST_WRITTEN_WARNING, "varied", Outcome.NO_ACTION, "choose “Decision overturned”"),
        (
            Outcome.FIRST_WRITTEN_WARNING,
            "upheld",
            Outcome.INFORMAL_ACTION,
            "only when the decision is varied",
        ),
        (Outcome.FIRST_WRITTEN_WARNING, "withdrawn", "", "Choose the outcome of the appeal"),
    ],
)
def test_appeal_outcomes_that_do_not_fit_are_refused(
    make_record, hr, arguments, outcome, appeal_outcome, new_outcome, message
):
    record = make_record(Step.APPEAL_LODGED, outcome=outcome)
    with pytest.raises(DomainError, match=message):
        services.record_appeal_outcome(
            record=record,
            by=hr,
            **{
                **arguments(Step.APPEAL_DECIDED),
                "appeal_outcome": appeal_outcome,
                "new_outcome": new_outcome,
            },
        )
    record.refresh_from_db()
    assert (record.step, record.outcome_in_force, record.appeal_outcome) == (Step.APPEAL_LODGED, outcome, "")


def test_an_appeal_may_follow_any_outcome_even_dismissal(make_record):
    record = make_record(Step.APPEAL_LODGED, outcome=Outcome.DISMISSAL)
    assert record.step == Step.APPEAL_LODGED
