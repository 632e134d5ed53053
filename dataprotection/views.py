"""Data protection pages: the retention schedule (read only; administrators change it in the admin), legal
holds (the Head of Business and Governance), subject access and erasure requests (the Head of Business and
Governance and the Head of Information & Security). Anyone without the right gets a 404."""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cases import access
from core.views import form_submit

from . import services
from .forms import ErasureForm, PersonHoldForm, ReasonForm, SubjectAccessForm
from .models import ErasureRequest, LegalHold, RetentionRule, SubjectAccessRequest

SCHEDULE = "dataprotection.view_retentionrule"
HOLDS = "dataprotection.manage_legal_holds"
REQUESTS = "dataprotection.handle_subject_access"


def _allowed_or_404(user, *perms):
    if not any(user.has_perm(perm) for perm in perms):
        raise Http404("No such page.")


@login_required
@require_safe
def index(request):
    _allowed_or_404(request.user, SCHEDULE, HOLDS, REQUESTS)
    may = {"schedule": SCHEDULE, "holds": HOLDS, "requests": REQUESTS}
    return render(
        request,
        "dataprotection/index.html",
        {"may": {part: request.user.has_perm(perm) for part, perm in may.items()}},
    )


@login_required
@require_safe
def retention_schedule(request):
    _allowed_or_404(request.user, SCHEDULE)
    rules = sorted(RetentionRule.schedule().values(), key=lambda rule: rule.pk)
    may_change = request.user.has_perm("dataprotection.change_retentionrule") and request.user.is_staff
    return render(request, "dataprotection/retention.html", {"rules": rules, "may_change": may_change})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def holds(request):
    _allowed_or_404(request.user, HOLDS)
    form = PersonHoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        hold = form_submit(
            form,
            services.legal_hold_place,
            by=request.user,
            person=form.cleaned_data["person"],
            reason=form.cleaned_data["reason"],
        )
        if hold is not None:
            messages.success(request, f"Everything about {hold.person} is now under a legal hold.")
            return redirect("dataprotection:holds")
    in_force = LegalHold.objects.in_force().select_related("case", "person", "placed_by")
    lifted = LegalHold.objects.filter(lifted_at__isnull=False).select_related(
        "case", "person", "placed_by", "lifted_by"
    )[:50]
    return render(
        request,
        "dataprotection/holds.html",
        {"form": form, "in_force": in_force, "lifted": lifted},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def hold_case(request, reference):
    _allowed_or_404(request.user, HOLDS)
    case, _ = access.get_case_for_user(request.user, reference, relations=(access.GOVERNANCE,))
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form_submit(form, services.legal_hold_place, by=request.user, case=case, **form.cleaned_data):
            messages.success(request, f"{case.reference} is now under a legal hold.")
            return redirect(case)
    return render(
        request,
        "dataprotection/hold_case.html",
        {"case": case, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def hold_lift(request, pk):
    _allowed_or_404(request.user, HOLDS)
    hold = get_object_or_404(LegalHold.objects.in_force().select_related("case", "person"), pk=pk)
    if hold.case_id:
        # The same door as the case page: never for the governance head who is the concern's subject.
        access.get_case_for_user(request.user, hold.case.reference, relations=(access.GOVERNANCE,))
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form_submit(form, services.legal_hold_lift, hold=hold, by=request.user, **form.cleaned_data):
            messages.success(request, "The legal hold is lifted.")
            return redirect(hold.case if hold.case_id else "dataprotection:holds")
    return render(
        request,
        "dataprotection/hold_lift.html",
        {"hold": hold, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_safe
def requests(request):
    _allowed_or_404(request.user, REQUESTS)
    return render(
        request,
        "dataprotection/requests.html",
        {
            "subject_access": SubjectAccessRequest.objects.select_related("person")[:200],
            "erasure": ErasureRequest.objects.select_related("person", "decided_by")[:200],
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def request_new(request):
    _allowed_or_404(request.user, REQUESTS)
    form = SubjectAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        recorded = form_submit(form, services.subject_access_record, by=request.user, **form.cleaned_data)
        if recorded is not None:
            messages.success(request, f"Recorded: the answer is due by {recorded.due_on:%d %B %Y}.")
            return redirect("dataprotection:request", pk=recorded.pk)
    return render(
        request,
        "dataprotection/request_new.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def _subject_access_request(user, pk):
    _allowed_or_404(user, REQUESTS)
    sar = get_object_or_404(SubjectAccessRequest.objects.select_related("person", "recorded_by"), pk=pk)
    if sar.person_id == user.pk:
        # Nobody answers their own request: another of those who answer does.
        raise Http404("No such page.")
    return sar


@login_required
@require_safe
def request_detail(request, pk):
    sar = _subject_access_request(request.user, pk)
    return render(request, "dataprotection/request.html", {"sar": sar, "overdue": sar.is_overdue()})


@login_required
@require_POST
def request_archive(request, pk):
    """The archive, made into a temporary file (bounded memory) and streamed from it; the file goes when
    the download ends."""
    sar = _subject_access_request(request.user, pk)
    archive = tempfile.TemporaryFile(suffix=".zip")  # noqa: SIM115 - FileResponse closes it
    services.subject_access_export(person=sar.person, by=request.user, out=archive, request=sar)
    archive.seek(0)
    return FileResponse(
        archive,
        as_attachment=True,
        filename=f"subject-access-{sar.person.username}-{timezone.localdate():%Y-%m-%d}.zip",
        content_type="application/zip",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def erasure_new(request):
    _allowed_or_404(request.user, REQUESTS)
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        erasure = form_submit(form, services.erasure_decide, by=request.user, **form.cleaned_data)
        if erasure is not None:
            messages.success(request, f"Recorded: {erasure.get_decision_display().lower()}.")
            return redirect("dataprotection:requests")
    return render(
        request,
        "dataprotection/erasure_new.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )
