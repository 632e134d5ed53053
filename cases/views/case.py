from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateformat import format as date_format
from django.utils.timezone import localtime
from django.views.decorators.http import require_GET, require_POST

from audit.models import AuditEntry
from audit.services import audit_record
from core.compiled import CompiledQuery
from core.confirm import confirmation_page
from core.pagination import page_from_request
from core.views import form_submit, message_submit
from people.models import User
from policies.in_force import cited_in_force
from policies.models import Policy
from policies.selectors import cited_clauses
from reminders.models import Limits

from .. import access, draft_services, playbooks, reporter, selectors, services, witnesses
from ..actions import action_refusal
from ..conflicts import case_witnesses, conflicts
from ..drafts import DRAFT_DAYS
from ..forms import (
    MessageForm,
    MoveForm,
    NoteForm,
    RaiseConcernForm,
    ReassignForm,
    ReporterEvidenceForm,
    ReporterMessageForm,
    WithdrawForm,
    WitnessForm,
)
from ..models import (
    MOVES,
    Case,
    CaseClause,
    CaseEvent,
    ConcernDraft,
    DisciplinaryReferral,
    Evidence,
    LegalAdvice,
    PlatformNotice,
    PoliceReferral,
    RemovalRequest,
)
from ..playbook_forms import ConsiderForm
from ..timeline import handler_timeline

SOCIAL_MEDIA_POLICY = "social-media-policy"
# A case page shows the latest events of its timeline, as many as a case list shows rows; older ones are a
# link away (keyset pages), so a case with a long history opens as fast as a new one. (At 50, drawing them
# was a third of the page's work for a case with a long history: issue 13.)
TIMELINE_EVENTS = 25
REASSIGN_SEARCH = "reassign_q"
WITNESS_SEARCH = "witness_q"


def social_media_policy_version():
    """The approved Social Media Policy version that concerns and records are raised against, or 404."""
    policy = Policy.objects.filter(slug=SOCIAL_MEDIA_POLICY).first()
    version = policy.current_version() if policy else None
    if version is None:
        raise Http404("The Social Media Policy has not been approved yet.")
    return version


SAVE_DRAFT = "save_draft"


@login_required
def raise_concern(request):
    """The raise form. A try sent back with errors keeps its chosen files; "Save as a draft" keeps the
    whole concern as it stands (cases.drafts), and ?draft=<id> opens one of the reporter's drafts again."""
    if not request.user.has_perm("cases.add_case"):
        raise PermissionDenied
    version = social_media_policy_version()
    draft = None
    if request.method != "POST" and request.GET.get("draft"):
        drafts = selectors.concern_drafts(user=request.user)
        draft = get_object_or_404(drafts, pk=_number(request.GET["draft"]))
    form = RaiseConcernForm(
        request.POST or None,
        request.FILES or None,
        reporter=request.user,
        policy_version=version,
        draft=draft,
    )
    if request.method == "POST" and SAVE_DRAFT in request.POST:
        saved = form_submit(form, draft_services.draft_save, reporter=request.user, **form.draft_data())
        if saved is not None:
            messages.success(
                request,
                f"Your draft is saved. It is kept until {date_format(localtime(saved.expires_at()), 'j F')}: "
                "open it again from this page or from My concerns.",
            )
            return redirect(saved)
    elif request.method == "POST" and form.is_valid():
        case = form_submit(
            form,
            services.case_raise,
            reporter=request.user,
            policy_version=version,
            evidence_files=form.cleaned_data.pop("evidence"),
            **form.cleaned_data,
        )
        if case is not None:
            messages.success(
                request,
                f"Thank you. Your concern has been received as {case.reference}. "
                "You can follow it here; it is kept confidential.",
            )
            return redirect(case)
    if request.method == "POST":
        form.keep_files()
    context = {
        "form": form,
        "version": version,
        "drafts": selectors.concern_drafts(user=request.user),
        "draft_days": DRAFT_DAYS,
    }
    return render(request, "cases/raise.html", context)


def _number(text):
    return int(text) if text.isdigit() and len(text) < 12 else 0


@login_required
@require_POST
def delete_draft(request, pk):
    draft = get_object_or_404(ConcernDraft, pk=pk, reporter=request.user)
    if message_submit(request, draft_services.draft_delete, draft=draft, by=request.user) is None:
        messages.success(request, "The draft has been deleted.")
    return redirect("cases:raise")


@login_required
def detail(request, reference):
    case, relation = access.get_case_for_user(request.user, reference)
    audit_record(
        actor=request.user, action=AuditEntry.Action.VIEW, case=case, what=f"viewed {case.reference}"
    )
    if relation == access.REPORTER:
        return reporter_page(request, case)
    return render(request, "cases/detail.html", _handler_context(request, case, relation))


def reporter_page(request, case, *, status=200, **forms):
    """The reporter's page of their case: the stage in plain words, when they will hear, the timeline of
    what they may read, their evidence, and their forms (`forms`: one sent back with its errors)."""
    refusal = reporter.withdrawal_refusal(case)
    context = {
        "case": case,
        "events": _timeline(request, case.events.filter(visible_to_reporter=True)),
        "evidence": case.evidence.filter(uploaded_by=request.user),
        "dates": reporter.reporter_dates(case=case),
        "withdrawal_refusal": refusal,
        "message_form": forms.get("message") or ReporterMessageForm(),
        "page_error": forms.get("page_error"),
        "error_form": next((form for form in forms.values() if getattr(form, "errors", None)), None),
    }
    if not case.is_closed:
        context["evidence_form"] = forms.get("evidence") or ReporterEvidenceForm(by=request.user)
    if refusal is None:
        context["withdraw_form"] = forms.get("withdraw") or WithdrawForm()
    return render(request, "cases/detail_reporter.html", context, status=status)


def _timeline(request, events, first=None):
    """The page of the timeline the request names (the latest events first), oldest first within it;
    `first` reads its first page (core.pagination.keyset_page)."""
    page = page_from_request(request, events.order_by("-at", "-pk"), per_page=TIMELINE_EVENTS, first=first)
    page.object_list.reverse()
    return page


def _handler_events(case_id):
    # What the timeline shows of each event and its actor (cases.timeline), not their whole rows.
    return (
        CaseEvent.objects.filter(case=case_id)
        .select_related("actor")
        .only("case", "kind", "at", "to_stage", "text", "actor", *_ACTOR_NAME)
    )


_ACTOR_NAME = ("actor__first_name", "actor__last_name", "actor__username")
# The latest events, the page every case page opens with: compiled once (core/compiled.py).
_HANDLER_TIMELINE_FIRST = CompiledQuery(
    lambda case_id: _handler_events(case_id).order_by("-at", "-pk")[: TIMELINE_EVENTS + 1]
)


# The case's evidence and actions, each a list with the people it names.
_CASE_LISTS = {
    "evidence": Evidence.objects.select_related("uploaded_by"),
    "legal_advice": LegalAdvice.objects.select_related("recorded_by"),
    "removals": RemovalRequest.objects.select_related("recorded_by", "staff_member", "resolved_by"),
    "notices": PlatformNotice.objects.select_related("recorded_by"),
    "police": PoliceReferral.objects.select_related("recorded_by"),
    "referrals": DisciplinaryReferral.objects.select_related("recorded_by", "person").prefetch_related(
        "clauses_breached"
    ),
}
# Which of them have any rows, in one query compiled once (core.compiled): on every case page.
_PRESENT = CompiledQuery(
    lambda case_id: Case.objects.filter(pk=case_id).values_list(
        *[Exists(rows.filter(case=OuterRef("pk"))) for rows in _CASE_LISTS.values()]
    )
)


# The clauses the concern may breach, as they read when it was raised: on every case page.
_cited = cited_clauses(CaseClause, "case")


# Who sees whether the colleague a concern is about had acknowledged the clauses: those who triage and
# decide it, not the Head of Information & Security, who reads a flagged case for the breach alone.
SEE_ACKNOWLEDGEMENTS = (access.HANDLER, access.GOVERNANCE)


def _clauses(case, relation):
    """The cited clauses as they stood when it was posted or happened (policies.in_force), and for those
    who triage and decide it whether the colleague it is about had acknowledged them."""
    return cited_in_force(
        policy_version_id=case.policy_version_id,
        on=case.incident_on,
        cited=_cited(case.pk),
        subject_id=case.subject_person_id if relation in SEE_ACKNOWLEDGEMENTS else None,
    )


def _case_lists(case):
    """The case's evidence and actions: a query per list, however long, and none for a list that is empty.

    One query first asks which lists have any rows: most cases have few of them, and a query per list
    (with its people) was most of the page's time."""
    (present,) = _PRESENT.rows(case.pk)
    return {
        name: _list_of(name, rows, case) if has_rows else []
        for (name, rows), has_rows in zip(_CASE_LISTS.items(), present, strict=True)
    }


# Each list's query compiled once (core/compiled.py), but for one with prefetched rows (more queries).
_LISTS_COMPILED = {
    name: CompiledQuery(lambda case_id, rows=rows: rows.filter(case=case_id))
    for name, rows in _CASE_LISTS.items()
    if not rows._prefetch_related_lookups
}


def _list_of(name, rows, case):
    compiled = _LISTS_COMPILED.get(name)
    return compiled.objects(case.pk) if compiled else list(rows.filter(case=case))


def witness_context(request, case, form):
    """The witnesses panel: the case's witnesses and the field to name another (found by name as the
    reassign field finds people)."""
    text = request.GET.get(WITNESS_SEARCH, "")[:100]
    more = False
    if form is None:
        shown, more = witnesses.witness_matches(case=case, text=text)
        # Unbound, the form only shows what was found: the candidates check a choice when it is posted.
        form = WitnessForm(candidates=User.objects.none(), shown=shown)
    return {
        "witnesses": case_witnesses(case),
        "witness_form": form,
        "witness_search": text,
        "witness_more": more,
    }


def _checklist(case, relation, clauses, case_lists, forms):
    """The playbook checklist of the clauses the case cites: (item, the form that marks it considered, for
    a step to consider that its handler may still mark)."""
    items = playbooks.case_checklist(
        case=case,
        numbers=[clause.number for clause in clauses],
        actions_done=playbooks.case_actions_done(case_lists),
    )
    may_consider = relation in (access.HANDLER, access.GOVERNANCE) and not case.is_closed
    return [
        (
            item,
            (forms.get(f"consider_{item.step.pk}") or ConsiderForm(prefix=f"step{item.step.pk}"))
            if may_consider and item.can_be_considered
            else None,
        )
        for item in items
    ]


def _reassign_form(request, case, form):
    """The reassign field: a search for the person (by name, without JavaScript a GET of the page), and
    the people it found to choose from."""
    text = request.GET.get(REASSIGN_SEARCH, "")[:100]
    if form is not None:
        return form, text, False
    shown, more = services.reassign_matches(case=case, text=text)
    return ReassignForm(candidates=services.reassign_candidates(case=case), shown=shown), text, more


def _handler_context(request, case, relation, **forms):
    events = _timeline(
        request, _handler_events(case.pk), first=lambda: _HANDLER_TIMELINE_FIRST.objects(case.pk)
    )
    moves = services.allowed_moves(case=case, user=request.user, relation=relation)
    case_lists, in_force = _case_lists(case), _clauses(case, relation)
    context = {
        "case": case,
        "case_lists": case_lists,
        "relation": relation,
        "in_force": in_force,
        "subject_acknowledgements": relation in SEE_ACKNOWLEDGEMENTS and case.subject_person_id,
        "checklist": _checklist(case, relation, in_force.clauses, case_lists, forms),
        "events": events,
        "timeline": handler_timeline(events, case),
        "moves": [
            (move, forms.get(move.name) or MoveForm(move=move, initial={"expected_stage": case.stage}))
            for move in moves
        ],
        "page_error": forms.get("page_error"),
        # The form sent back with errors: the summary at the top of the page links to its fields.
        "error_form": next((form for form in forms.values() if getattr(form, "errors", None)), None),
        # The rules stay in one place; the templates show what they decide.
        "can_record_actions": relation == access.GOVERNANCE and action_refusal(case) is None,
        "breach_decision_hours": Limits.current().breach_decision_hours,
    }
    # The Head of Information & Security reads a flagged case to decide on the breach; they do not handle it.
    if relation in (access.HANDLER, access.GOVERNANCE):
        if not case.is_closed:
            form, text, more = _reassign_form(request, case, forms.get("reassign"))
            context.update(reassign_form=form, reassign_search=text, reassign_more=more)
        if case.anonymised_at is None:
            context.update(witness_context(request, case, forms.get("witness")))
        # Who may not handle the case and why: for the Head of Business and Governance alone.
        if relation == access.GOVERNANCE:
            context.update(show_conflicts=True, conflicts=conflicts(case, witnesses=context.get("witnesses")))
        context.update(
            note_form=forms.get("note") or NoteForm(),
            message_form=forms.get("message") or MessageForm(),
        )
    return context


def people_search(request, reference, *, matches, searched_for):
    """A people field's search, for its script: those `matches(case=, text=)` finds for `q`, as JSON. Names of
    staff are shown to the people who may change the case, and each search is audited (`searched_for`, with
    the case's {reference})."""
    case, _ = access.get_case_for_user(request.user, reference, relations=(access.HANDLER, access.GOVERNANCE))
    text = request.GET.get("q", "")[:100]
    found, more = matches(case=case, text=text)
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.VIEW,
        case=case,
        what=searched_for.format(reference=case.reference),
        details={"search": text, "found": len(found)},
    )
    return JsonResponse({"people": [{"id": p.pk, "name": p.display_name} for p in found], "more": more})


@login_required
@require_GET
def reassign_people(request, reference):
    """The search of the reassign field: the people who may take the case."""
    return people_search(
        request,
        reference,
        matches=services.reassign_matches,
        searched_for="searched for someone to reassign {reference} to",
    )


def still_open_after_refusal(request, case, *, relations, attempted):
    """After a step was refused: the case as it is now and the person's relation to it, through the door.

    If they lost their right to it meanwhile (someone reassigned it while they were acting, their role was
    taken away), the refusal is a 404 that shows nothing of the case, like any case they may not open,
    and the audit log records the refused attempt.
    """
    return access.get_case_for_user(
        request.user,
        case.reference,
        relations=relations,
        refused=f"was refused {attempted} on {case.reference}: no longer open to them",
    )


def _rerender(request, case, attempted, **forms):
    """Show the case again with the form that failed and its errors, keeping what was typed: only to
    someone who may still handle it."""
    case, relation = still_open_after_refusal(
        request, case, relations=(access.HANDLER, access.GOVERNANCE), attempted=attempted
    )
    return render(
        request, "cases/detail.html", _handler_context(request, case, relation, **forms), status=400
    )


@login_required
@require_POST
def move(request, reference):
    case, _ = access.get_case_for_user(request.user, reference, relations=(access.HANDLER, access.GOVERNANCE))
    spec = MOVES.get(request.POST.get("move", ""))
    if spec is None:
        return _rerender(request, case, "a move", page_error="That is not a step of the workflow.")
    form = MoveForm(request.POST, move=spec)
    if form.is_valid():
        check = confirmation_page(
            request,
            what=spec.confirmation(case=case, outcome=form.cleaned_data["outcome"]),
            title=spec.label,
            back=case.get_absolute_url(),
        )
        if check is not None:
            return check
        moved = form_submit(
            form, services.case_move, case=case, by=request.user, move=spec.name, **form.cleaned_data
        )
        if moved is not None:
            messages.success(request, f"{moved.reference} is now “{moved.get_stage_display()}”.")
            return redirect(moved)
    errors = " ".join(form.non_field_errors()) or "Check the step below and try again."
    return _rerender(request, case, f"the move “{spec.label}”", page_error=errors, **{spec.name: form})


@login_required
@require_POST
def reassign(request, reference):
    case, _ = access.get_case_for_user(request.user, reference, relations=(access.HANDLER, access.GOVERNANCE))
    form = ReassignForm(request.POST, candidates=services.reassign_candidates(case=case))
    if form.is_valid():
        if form_submit(form, services.case_reassign, case=case, by=request.user, **form.cleaned_data):
            messages.success(request, f"{case.reference} is now handled by {form.cleaned_data['to']}.")
            # The person who passed the case on may no longer see it.
            if access.case_relation(request.user, case) is None:
                return redirect("home")
            return redirect(case)
    return _rerender(request, case, "reassigning", reassign=form)


def _post_text(request, reference, form_class, service, form_key, done):
    case, _ = access.get_case_for_user(request.user, reference, relations=(access.HANDLER, access.GOVERNANCE))
    form = form_class(request.POST)
    if form.is_valid():
        if form_submit(form, service, case=case, by=request.user, text=form.cleaned_data["text"]):
            messages.success(request, done)
            return redirect(case)
    return _rerender(request, case, f"adding a {form_key}", **{form_key: form})


@login_required
@require_POST
def add_note(request, reference):
    return _post_text(request, reference, NoteForm, services.case_add_note, "note", "Note added.")


@login_required
@require_POST
def message_reporter(request, reference):
    return _post_text(
        request,
        reference,
        MessageForm,
        services.case_message_reporter,
        "message",
        "Message sent to the reporter.",
    )
