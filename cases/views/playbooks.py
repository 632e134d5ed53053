"""The per-clause playbooks, set by the Head of Business and Governance (everyone else gets a 404, as for
the other governance pages), and a handler's "considered" on a case's checklist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.views import form_submit, message_submit
from policies.models import Clause, Policy, clause_number_order
from policies.selectors import latest_clause

from .. import access, playbooks
from ..playbook_forms import ConsiderForm, PlaybookStepForm
from ..playbook_models import PlaybookStep
from .case import _rerender


def _manager_or_404(user):
    if not playbooks.may_manage_playbooks(user):
        raise Http404("No such page.")


def _clause_or_404(slug, clause_number):
    """The policy and the clause of that number as it reads in its latest version that has it."""
    policy = get_object_or_404(Policy, slug=slug)
    clause = latest_clause(policy, clause_number)
    if clause is None:
        raise Http404(f"The {policy.title} has no clause {clause_number}.")
    return policy, clause


def _playbook_url(policy, clause_number):
    return reverse("cases:playbook", args=[policy.slug, clause_number])


@login_required
def playbook_list(request):
    """Every clause of each policy's current version, with the steps of its playbook."""
    _manager_or_404(request.user)
    steps = {}
    for policy, number, clause_steps in playbooks.steps_by_clause():
        steps[(policy.pk, number)] = clause_steps
    policies = []
    for policy in Policy.objects.order_by("title"):
        version = policy.current_version()
        if version is None:
            continue
        numbers = sorted(
            Clause.objects.filter(section__version=version).values_list("number", flat=True),
            key=clause_number_order,
        )
        policies.append((policy, [(number, steps.get((policy.pk, number), [])) for number in numbers]))
    return render(request, "cases/playbooks.html", {"policies": policies})


@login_required
def playbook(request, slug, clause_number):
    """A clause's playbook: its steps, and the form that adds one."""
    _manager_or_404(request.user)
    policy, clause = _clause_or_404(slug, clause_number)
    form = PlaybookStepForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            step = form_submit(
                form,
                playbooks.playbook_step_add,
                policy=policy,
                clause_number=clause_number,
                by=request.user,
                **form.cleaned_data,
            )
            if step is not None:
                messages.success(request, f"Step added to the clause {clause_number} playbook.")
                return redirect(_playbook_url(policy, clause_number))
        status = 400
    steps = PlaybookStep.objects.filter(policy=policy, clause_number=clause_number)
    context = {"policy": policy, "clause": clause, "steps": steps, "form": form}
    return render(request, "cases/playbook.html", context, status=status)


def _step_or_404(slug, clause_number, pk):
    return get_object_or_404(
        PlaybookStep.objects.select_related("policy"), pk=pk, policy__slug=slug, clause_number=clause_number
    )


@login_required
def playbook_step(request, slug, clause_number, pk):
    """Change a step."""
    _manager_or_404(request.user)
    step = _step_or_404(slug, clause_number, pk)
    _, clause = _clause_or_404(slug, clause_number)
    form = PlaybookStepForm(request.POST or None, instance=PlaybookStep.objects.get(pk=step.pk))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
            if form_submit(form, playbooks.playbook_step_change, step=step, by=request.user, **fields):
                messages.success(request, f"Step of the clause {clause_number} playbook changed.")
                return redirect(_playbook_url(step.policy, clause_number))
        status = 400
    context = {"policy": step.policy, "clause": clause, "step": step, "form": form}
    return render(request, "cases/playbook_step.html", context, status=status)


@login_required
@require_POST
def playbook_step_delete(request, slug, clause_number, pk):
    _manager_or_404(request.user)
    step = _step_or_404(slug, clause_number, pk)
    if message_submit(request, playbooks.playbook_step_delete, step=step, by=request.user) is None:
        messages.success(request, f"Step deleted from the clause {clause_number} playbook.")
    return redirect(_playbook_url(step.policy, clause_number))


@login_required
@require_POST
def considered(request, reference, pk):
    """A handler marks a step to consider as considered on the case, with a note."""
    case, _ = access.get_case_for_user(request.user, reference, relations=(access.HANDLER, access.GOVERNANCE))
    step = get_object_or_404(PlaybookStep, pk=pk)
    form = ConsiderForm(request.POST, prefix=f"step{step.pk}")
    if form.is_valid():
        done = form_submit(
            form, playbooks.playbook_step_consider, case=case, step=step, by=request.user, **form.cleaned_data
        )
        if done is not None:
            messages.success(request, f"“{step.label}” is recorded as considered.")
            return redirect(case)
    return _rerender(request, case, "considering a playbook step", **{f"consider_{step.pk}": form})
