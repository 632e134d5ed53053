"""Naming witnesses on a case, from its page (cases.witnesses): the handler and the governance head."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from audit.models import AuditEntry
from audit.services import audit_record
from core.views import form_submit, message_submit

from .. import access, witnesses
from ..forms import WitnessForm
from ..models import CaseWitness
from .case import _rerender

HANDLING = (access.HANDLER, access.GOVERNANCE)


@login_required
@require_GET
def people(request, reference):
    """The search of the witness field, for its script: the people who may be named whose name matches
    `q`, as JSON. Audited, as the reassign field's search is."""
    case, _ = access.get_case_for_user(request.user, reference, relations=HANDLING)
    text = request.GET.get("q", "")[:100]
    found, more = witnesses.witness_matches(case=case, text=text)
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.VIEW,
        case=case,
        what=f"searched for a witness to name on {case.reference}",
        details={"search": text, "found": len(found)},
    )
    return JsonResponse({"people": [{"id": p.pk, "name": p.display_name} for p in found], "more": more})


@login_required
@require_POST
def add(request, reference):
    case, _ = access.get_case_for_user(request.user, reference, relations=HANDLING)
    form = WitnessForm(request.POST, candidates=witnesses.witness_candidates(case=case))
    if form.is_valid():
        person = form.cleaned_data["person"]
        if form_submit(form, witnesses.witness_add, case=case, by=request.user, person=person):
            messages.success(request, f"{person} is named as a witness.")
            return redirect(f"{case.get_absolute_url()}#witnesses")
    return _rerender(request, case, "naming a witness", witness=form)


@login_required
@require_POST
def remove(request, reference, pk):
    case, _ = access.get_case_for_user(request.user, reference, relations=HANDLING)
    witness = CaseWitness.objects.select_related("person").filter(case=case, pk=pk).first()
    if witness is None:
        messages.error(request, "That person is not named as a witness on this case.")
    elif message_submit(request, witnesses.witness_remove, case=case, by=request.user, witness=witness):
        messages.success(request, f"{witness.person} is no longer named as a witness.")
    return redirect(f"{case.get_absolute_url()}#witnesses")
