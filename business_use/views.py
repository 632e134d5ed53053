from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases import access as case_access
from core.confirm import confirmation_page
from core.views import form_submit, message_submit

from . import access, case_links, selectors, services
from .forms import KIND_FORMS, MoveForm
from .models import KIND_BY_SLUG, KINDS, MOVES, REQUESTER, ApprovedSite, Kind, State
from .registers.selectors import site_for_request


@login_required
def request_list(request):
    return render(request, "business_use/list.html", selectors.request_lists(request.user))


@login_required
def choose_kind(request):
    kinds = [(kind, KINDS[kind].slug, selectors.kind_clauses(kind)) for kind in Kind]
    return render(request, "business_use/choose.html", {"kinds": kinds})


def _kind_from_slug(slug):
    kind = KIND_BY_SLUG.get(slug)
    if kind is None:
        raise Http404("No such kind of request.")
    return Kind(kind)


@login_required
def request_new(request, kind):
    kind = _kind_from_slug(kind)
    form = KIND_FORMS[kind](request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            created = form_submit(
                form, services.business_use_submit, requester=request.user, kind=kind, **form.cleaned_data
            )
            if created is not None:
                messages.success(
                    request, f"Your request {created.reference} has been sent. {created.routing_note}"
                )
                return redirect(created)
        status = 400
    context = {"form": form, "kind": kind, "clauses": selectors.kind_clauses(kind), "editing": None}
    return render(request, "business_use/form.html", context, status=status)


@login_required
def edit(request, pk):
    business_request, relations = access.get_request_for_user(request.user, pk)
    if REQUESTER not in relations or business_request.state != State.CHANGES_REQUESTED:
        raise Http404("This request cannot be edited.")
    kind = Kind(business_request.kind)
    form = KIND_FORMS[kind](request.POST or None, instance=business_request)
    status = 200
    if request.method == "POST":
        # The service saves the changes, with the state, the timeline and the audit entry.
        if form.is_valid() and form_submit(
            form,
            services.business_use_resubmit,
            request=business_request,
            by=request.user,
            **form.cleaned_data,
        ):
            messages.success(request, f"{business_request.reference} has been resubmitted.")
            return redirect(business_request)
        status = 400
    context = {
        "form": form,
        "kind": kind,
        "clauses": selectors.kind_clauses(kind),
        "editing": business_request,
    }
    return render(request, "business_use/form.html", context, status=status)


@login_required
def detail(request, pk):
    business_request, relations = access.get_request_for_user(request.user, pk)
    moves = services.allowed_moves(request=business_request, user=request.user)
    forms = [MoveForm(move=move, request=business_request) for move in moves if move.name != "resubmit"]
    return render(
        request,
        "business_use/detail.html",
        {
            "business_request": business_request,
            "events": business_request.events.select_related("actor"),
            "move_forms": forms,
            "can_resubmit": any(move.name == "resubmit" for move in moves),
            "read_only": not moves,
            # Concerns that cite it, only to those who may handle them: never the requester, their subject.
            "citing_cases": case_links.cases_citing(request=business_request, user=request.user),
            **_register_entry(business_request, request.user),
        },
    )


def _register_entry(business_request, user):
    """For an answered 6.6 question: its entry in the register of approved sites, or whether this person
    (its keeper) may add it in one step."""
    if not (business_request.asks_which_sites_are_acceptable and business_request.state == State.ANSWERED):
        return {}
    site = site_for_request(business_request)
    return {"approved_site": site, "may_add_to_register": site is None and ApprovedSite.is_keeper(user)}


@login_required
@require_POST
def move(request, pk, move):
    business_request, _ = access.get_request_for_user(request.user, pk)
    spec = MOVES.get(move.replace("-", "_"))
    if spec is None or spec.name == "resubmit":
        raise Http404("No such step.")
    form = MoveForm(request.POST, move=spec, request=business_request)
    if form.is_valid():
        check = confirmation_page(
            request,
            what=spec.confirmation(request=business_request),
            title=f"{business_request.reference}: {spec.label.lower()}",
            back=business_request.get_absolute_url(),
        )
        if check is not None:
            return check
    if form.is_valid() and form_submit(
        form,
        services.business_use_move,
        request=business_request,
        by=request.user,
        move=spec.name,
        **form.cleaned_data,
    ):
        messages.success(request, f"{business_request.reference}: {spec.label.lower()} — done.")
        return redirect(business_request)
    return render(
        request,
        "business_use/move.html",
        {"business_request": business_request, "form": form, "move": spec},
        status=400,
    )


@login_required
@require_POST
def cite_for_case(request, reference):
    """A case's handler records that the concern is about one of the requests its page shows
    (business_use.case_links)."""
    case, _ = case_access.get_case_for_user(
        request.user, reference, relations=(case_access.HANDLER, case_access.GOVERNANCE)
    )
    number = request.POST.get("request", "")
    cited = message_submit(
        request,
        case_links.case_cite_business_use,
        case=case,
        request_id=int(number) if number.isdigit() and len(number) < 12 else 0,
        by=request.user,
    )
    if cited is not None:
        messages.success(request, "The business use request is cited on the case.")
    return redirect(case)
