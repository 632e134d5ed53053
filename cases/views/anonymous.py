"""Anonymous reporting's pages (cases.anonymous): raise a concern without an account, follow it with the
receipt key, and, signed in, put one's name to it.

Every page is `untraced` (no address in the audit entries it writes) and sets nothing but the CSRF
cookie: no session is started and no message stored (a flash message would start one), so each answer is
rendered directly. The key is posted with every form, never put in a URL.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from audit.context import untraced
from core.views import form_submit
from reminders.models import Limits

from .. import anonymous, reporter, timers
from ..anonymous_forms import AnonymousConcernForm, ReceiptKeyForm, ReporterEvidenceForm, ReporterMessageForm
from .case import social_media_policy_version

# The one answer to every key that opens nothing, however it is wrong.
WRONG_KEY = "That key does not open a report. Check it against the one you kept and try again."
TOO_MANY = "Too many keys have been tried from here. Wait a minute, then try again."


@untraced
@never_cache
@require_http_methods(["GET", "POST"])
def report(request):
    version = social_media_policy_version()
    form = AnonymousConcernForm(request.POST or None, request.FILES or None, policy_version=version)
    if request.method == "POST" and form.is_valid():
        raised = form_submit(
            form,
            anonymous.case_raise_anonymously,
            policy_version=version,
            evidence_files=form.cleaned_data.pop("evidence"),
            **form.cleaned_data,
        )
        if raised is not None:
            case, key = raised
            return render(request, "anonymous/receipt.html", {"case": case, "key": key})
    return render(request, "anonymous/report.html", {"form": form, "version": version})


@untraced
@never_cache
@require_http_methods(["GET", "POST"])
def follow(request):
    """The key, posted, opens the report: its stage, the messages both ways, and forms to write and add
    evidence. Every wrong key gets the same answer; too many from one client in a minute, and none is
    tried until the minute is out."""
    key_form = ReceiptKeyForm(request.POST or None)
    if request.method == "GET" or not key_form.is_valid():
        return render(request, "anonymous/follow.html", {"key_form": key_form})
    if anonymous.key_tries_exhausted(request):
        key_form = ReceiptKeyForm()
        return render(
            request, "anonymous/follow.html", {"key_form": key_form, "refusal": TOO_MANY}, status=429
        )
    case = anonymous.case_for_receipt_key(key_form.cleaned_data["key"])
    if case is None:
        anonymous.key_try_failed(request)
        key_form.add_error("key", WRONG_KEY)
        return render(request, "anonymous/follow.html", {"key_form": key_form})

    action = request.POST.get("action")
    message_form = ReporterMessageForm(request.POST if action == "message" else None)
    evidence_form = ReporterEvidenceForm(*((request.POST, request.FILES) if action == "evidence" else ()))
    done = None
    if action == "message" and message_form.is_valid():
        text = message_form.cleaned_data["text"]
        if form_submit(message_form, reporter.reporter_send_message, case=case, by=None, text=text):
            done, message_form = "Your message was sent.", ReporterMessageForm()
    elif action == "evidence" and evidence_form.is_valid():
        files, note = evidence_form.cleaned_data["files"], evidence_form.cleaned_data["note"]
        if form_submit(
            evidence_form, reporter.reporter_add_evidence, case=case, by=None, files=files, note=note
        ):
            done, evidence_form = "Your evidence was added.", ReporterEvidenceForm()
    return render(
        request,
        "anonymous/case.html",
        _case_context(case, key=key_form.cleaned_data["key"], done=done, forms=(message_form, evidence_form)),
    )


def _case_context(case, *, key, done, forms):
    limits = Limits.current()
    message_form, evidence_form = forms
    return {
        "case": case,
        "key": key,
        "done": done,
        "events": case.events.filter(visible_to_reporter=True).order_by("at", "pk"),
        "evidence": case.evidence.filter(uploaded_by=None),
        "acknowledgement_due": timers.acknowledgement_due(case.created_at, limits),
        "feedback_due": timers.feedback_due(case.created_at, limits),
        "message_form": message_form,
        "evidence_form": evidence_form,
        "error_form": next((form for form in forms if form.errors), None),
    }


@login_required
@require_POST
def claim(request):
    """Signed in, with the key: the anonymous report becomes the person's own (never the other way)."""
    key_form = ReceiptKeyForm(request.POST)
    if anonymous.key_tries_exhausted(request):
        return render(
            request, "anonymous/follow.html", {"key_form": ReceiptKeyForm(), "refusal": TOO_MANY}, status=429
        )
    case = anonymous.case_for_receipt_key(key_form.cleaned_data["key"]) if key_form.is_valid() else None
    if case is None:
        anonymous.key_try_failed(request)
        key_form.add_error("key", WRONG_KEY)
        return render(request, "anonymous/follow.html", {"key_form": key_form})
    if form_submit(key_form, anonymous.case_claim_anonymous, case=case, by=request.user) is None:
        return render(
            request,
            "anonymous/follow.html",
            {"key_form": key_form, "refusal": key_form.non_field_errors()[0]},
        )
    messages.success(request, f"{case.reference} is now yours: follow it from “My reports”.")
    return redirect(case)
