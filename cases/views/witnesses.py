"""Naming witnesses on a case, from its page (cases.witnesses): the handler and the governance head."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from core.views import form_submit, message_submit

from .. import access, witnesses
from ..forms import WitnessForm
from ..models import CaseWitness
from .case import _rerender, people_search

HANDLING = (access.HANDLER, access.GOVERNANCE)


@login_required
@require_GET
def people(request, reference):
    """The search of the witness field: the people who may be named."""
    return people_search(
        request,
        reference,
        matches=witnesses.witness_matches,
        searched_for="searched for a witness to name on {reference}",
    )


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
