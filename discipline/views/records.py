"""Opening a disciplinary record and recording its ACAS steps.

Records come through discipline.selectors (HR and the Head of Business and Governance, never the employee
concerned); anyone else gets a 404, as for a record that does not exist. Only HR change records; the
governance head reads them. Reading a record is audited.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from audit.models import AuditEntry
from audit.services import audit_record
from cases import access
from cases import selectors as case_selectors
from cases.views.case import social_media_policy_version
from core.views import form_submit

from .. import services
from ..access import get_record_for_user
from ..forms import STEPS, OpenRecordForm
from ..letters import LETTER_AFTER, letter_ready
from ..models import DisciplinaryRecord, Step
from ..selectors import prior_live_warnings, record_clauses, record_events


def _beside_the_form(record, step):
    """What the page shows beside a step's form: before an outcome, the employee's other live warnings."""
    return {"prior_warnings": prior_live_warnings(record) if step == Step.DECIDED else None}


def _letters(record, user):
    """The letters HR can produce for the record now, for the record's page."""
    if not services.can_manage(user):
        return []
    return [(kind, kind.label) for kind in LETTER_AFTER if letter_ready(record, kind)]


def _manager_only(user):
    if not services.can_manage(user):
        raise Http404("No such page.")


def _audit_view(user, record, what):
    audit_record(
        actor=user,
        action=AuditEntry.Action.VIEW,
        case=record.case,
        what=f"{what} {record.reference}",
        details={"record": record.reference},
    )


@login_required
def open_record(request):
    _manager_only(request.user)
    version = social_media_policy_version()
    form = OpenRecordForm(request.POST or None, by=request.user, policy_version=version)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            record = form_submit(form, services.record_open, by=request.user, **form.cleaned_data)
            if record is not None:
                messages.success(request, f"Disciplinary record {record.reference} opened.")
                return redirect(record)
        status = 400
    return render(request, "discipline/open.html", {"form": form, "version": version}, status=status)


@login_required
def open_from_referral(request, pk):
    """GET: what the record will hold, to confirm; POST: open it. A referral opens one record only."""
    _manager_only(request.user)
    referral = access.get_referral_for_user(request.user, pk)
    existing = DisciplinaryRecord.objects.filter(referral=referral).only("reference").first()
    if existing is not None:
        messages.info(request, f"Disciplinary record {existing.reference} is already open for this referral.")
        return redirect(existing)
    form = forms.Form(request.POST)  # A confirmation: nothing to fill in, only a refusal to show.
    status = 200
    if request.method == "POST":
        record = form_submit(form, services.record_open_from_referral, referral=referral, by=request.user)
        if record is not None:
            messages.success(request, f"Disciplinary record {record.reference} opened from the referral.")
            return redirect(record)
        status = 400
    else:
        audit_record(
            actor=request.user,
            action=AuditEntry.Action.VIEW,
            case=referral.case,
            what=f"viewed disciplinary referral {referral.pk} on {referral.case.reference} to open a record",
        )
    return render(
        request,
        "discipline/open_from_referral.html",
        {
            "referral": referral,
            "case": referral.case,
            "clauses": case_selectors.breached_clauses(referral),
            "form": form,
        },
        status=status,
    )


def _next_step(record, user):
    """The one step this person may record next, with its spec, or (None, None)."""
    if not services.can_manage(user):
        return None, None
    steps = record.next_steps()
    return (steps[0], STEPS[steps[0]]) if steps else (None, None)


@login_required
def detail(request, reference):
    record = get_record_for_user(request.user, reference)
    _audit_view(request.user, record, "viewed disciplinary record")
    step, spec = _next_step(record, request.user)
    return render(
        request,
        "discipline/detail.html",
        {
            "record": record,
            "clauses": record_clauses(record),
            "events": record_events(record),
            "can_manage": services.can_manage(request.user),
            # The case page checks access itself; the link only for those who may open it.
            "can_open_case": bool(record.case and access.case_relation(request.user, record.case)),
            "next_step": step,
            "spec": spec,
            "form": spec.form(record=record) if spec else None,
            "letters": _letters(record, request.user),
            **_beside_the_form(record, step),
        },
    )


@login_required
def record_step(request, reference, step):
    """One step's form on its own page (GET), or recording it (POST); errors keep what was typed."""
    record = get_record_for_user(request.user, reference)
    _manager_only(request.user)
    spec = STEPS.get(step)
    if spec is None:
        raise Http404("No such step.")
    refusal = services.step_refusal(record=record, step=step)
    status = 200
    if request.method == "POST":
        form = spec.form(request.POST, record=record)
        if form.is_valid() and form_submit(
            form, spec.service, record=record, by=request.user, **form.cleaned_data
        ):
            messages.success(request, f"{spec.done} on {record.reference}.")
            return redirect(record)
        record.refresh_from_db()
        refusal = services.step_refusal(record=record, step=step)
        status = 400
    else:
        form = spec.form(record=record)
        _audit_view(request.user, record, "viewed disciplinary record")
    return render(
        request,
        "discipline/step_form.html",
        {
            "record": record,
            "form": form,
            "spec": spec,
            "step": step,
            "refusal": refusal,
            **_beside_the_form(record, step),
        },
        status=status,
    )
