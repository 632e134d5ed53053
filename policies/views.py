from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.pagination import page_from_request
from core.views import form_submit, message_submit

from . import changes, selectors, services
from .comparison import compare_versions
from .forms import (
    AcknowledgementFilterForm,
    CommentForm,
    CompareForm,
    MaterialChangesForm,
    ReplyForm,
    ReviewForm,
    SearchForm,
)
from .models import Policy, PolicyVersion

# Staff at a time on the acknowledgements page: 10,000 of them made a page of several seconds.
ACKNOWLEDGEMENTS_PER_PAGE = 100


def _version_or_404(policy, number, user):
    version = selectors.version_for_user(policy=policy, number=number, user=user)
    if version is None:
        raise Http404("No such version of this policy.")
    return version


def _policy_or_404(slug):
    policy = selectors.policy_by_slug(slug)
    if policy is None:
        raise Http404("No such policy.")
    return policy


def _current_or_404(policy):
    version = policy.current_version()
    if version is None:
        raise Http404("This policy has no approved version yet.")
    return version


@login_required
def policy_list(request):
    # Each policy's current (approved) version in one query for the list, not one per policy.
    approved = PolicyVersion.objects.filter(status=PolicyVersion.Status.APPROVED)
    policies = (
        Policy.objects.select_related("owner")
        .prefetch_related(Prefetch("versions", approved, to_attr="approved_versions"))
        .order_by("title")
    )
    rows = [(policy, next(iter(policy.approved_versions), None)) for policy in policies]
    return render(request, "policies/policy_list.html", {"rows": rows, "search_form": SearchForm()})


@login_required
def policy_detail(request, slug):
    """The current version in full; before the first approval, managers see the latest draft."""
    policy = _policy_or_404(slug)
    versions = selectors.versions_to_read(policy=policy, user=request.user)
    version = _current(versions)
    if version is None and versions and policy.is_managed_by(request.user):
        version = versions[0]
    if version is None:
        raise Http404("This policy has no approved version yet.")
    return _render_version(request, policy, version, versions)


@login_required
def version_detail(request, slug, number):
    policy = _policy_or_404(slug)
    # The versions the person may read (drafts only for managers), so the list also answers "may they".
    versions = selectors.versions_to_read(policy=policy, user=request.user)
    version = next((v for v in versions if v.number == number), None)
    if version is None:
        raise Http404("No such version of this policy.")
    return _render_version(request, policy, version, versions)


def _current(versions):
    return next((v for v in versions if v.is_current), None)


def _render_version(request, policy, version, versions):
    can_manage = policy.is_managed_by(request.user)
    context = {
        "policy": policy,
        "version": version,
        "current": _current(versions),
        "versions": versions,
        "can_manage": can_manage,
        "review_changes": version.review_changes.select_related("changed_by") if version.review_moved else [],
    }
    if version.is_current and version.acknowledged_at is None:
        context["changes_to_read"] = changes.changes_to_acknowledge(version=version, user=request.user)
    if can_manage and version.status == PolicyVersion.Status.DRAFT:
        context.update(_material_changes(version))
    return render(request, "policies/version_detail.html", context)


def _material_changes(version):
    """The draft's changed clauses, each with its checkbox, for its author to mark the material ones."""
    changed = changes.changes_since_previous(version)
    if changed is None:
        return {}
    form = MaterialChangesForm(changed=changed, initial={"clauses": sorted(changes.marked_numbers(version))})
    return {"material_form": form, "material_choices": list(zip(form["clauses"], changed, strict=True))}


@login_required
def clause_detail(request, slug, clause_number, number=None):
    """A clause's stable address: /policies/<slug>/<clause>/ is always the current version's text."""
    if number is None:
        version = _current_by_slug_or_404(slug)
        policy = version.policy
    else:
        policy = get_object_or_404(Policy, slug=slug)
        version = _version_or_404(policy, number, request.user)
    found = selectors.clause_to_read(version, clause_number)
    if found is None:
        raise Http404(f"There is no clause {clause_number} in this version.")
    section, clause, clauses = found
    form = CommentForm(version=version, clauses=clauses, initial={"clause": clause.pk})
    return render(
        request,
        "policies/clause_detail.html",
        {"policy": policy, "version": version, "section": section, "clause": clause, "comment_form": form},
    )


def _current_by_slug_or_404(slug):
    """The policy's current version, with its policy, in one query."""
    version = selectors.approved_version_by_slug(slug)
    if version is None:
        raise Http404("No such policy, or it has no approved version yet.")
    return version


@login_required
def search(request):
    form = SearchForm(request.GET)
    results = []
    if form.is_valid() and form.cleaned_data["q"]:
        results = selectors.search_clauses(query=form.cleaned_data["q"])
    return render(request, "policies/search.html", {"form": form, "results": results})


@login_required
def compare(request, slug):
    policy = get_object_or_404(Policy, slug=slug)
    versions = list(selectors.visible_versions(policy=policy, user=request.user))
    changes = None
    form = CompareForm(request.GET or None, versions=versions)
    if request.GET and form.is_valid():
        by_number = {v.number: v for v in versions}
        old, new = sorted([form.cleaned_data["old"], form.cleaned_data["new"]])
        changes = compare_versions(by_number[old], by_number[new])
    return render(
        request,
        "policies/compare.html",
        {"policy": policy, "form": form, "changes": changes, "enough_versions": len(versions) > 1},
    )


@login_required
@require_POST
def approve(request, slug, number):
    policy = get_object_or_404(Policy, slug=slug)
    version = _version_or_404(policy, number, request.user)
    if message_submit(request, services.version_approve, version=version, by=request.user):
        messages.success(request, f"Version {version.number} is now the current version.")
    return redirect(policy)


@login_required
@require_POST
def material_changes(request, slug, number):
    policy = get_object_or_404(Policy, slug=slug)
    version = _version_or_404(policy, number, request.user)
    form = MaterialChangesForm(request.POST, changed=changes.changes_since_previous(version) or [])
    if not form.is_valid():
        messages.error(request, "Choose among the clauses this version changed.")
    elif (
        message_submit(
            request,
            services.material_changes_mark,
            version=version,
            by=request.user,
            numbers=form.cleaned_data["clauses"],
        )
        is not None
    ):
        messages.success(request, f"The material changes of version {version.number} are saved.")
    return redirect(version)


@login_required
def review(request, slug):
    policy = get_object_or_404(Policy, slug=slug)
    if not policy.is_managed_by(request.user):
        raise PermissionDenied
    version = _current_or_404(policy)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        changed = form_submit(
            form, services.review_bring_forward, version=version, by=request.user, **form.cleaned_data
        )
        if changed is not None:
            messages.success(request, f"The review is now due on {changed.next_review_date:%d %B %Y}.")
            return redirect(policy)
    return render(request, "policies/review_form.html", {"policy": policy, "version": version, "form": form})


@login_required
@require_POST
def acknowledge(request, slug):
    policy = get_object_or_404(Policy, slug=slug)
    version = _current_or_404(policy)
    if message_submit(request, services.acknowledgement_record, version=version, user=request.user):
        messages.success(
            request, f"Thank you: you have acknowledged {policy.title}, version {version.number}."
        )
    return redirect(policy)


@login_required
@require_POST
def acknowledge_changes(request, slug):
    policy = get_object_or_404(Policy, slug=slug)
    version = _current_or_404(policy)
    if message_submit(request, services.changes_acknowledge, version=version, user=request.user):
        messages.success(
            request,
            f"Thank you: you have acknowledged the changes in {policy.title}, version {version.number}.",
        )
    return redirect(policy)


@login_required
def acknowledgements(request, slug):
    if not (
        request.user.has_perm("policies.view_team_acknowledgements")
        or request.user.has_perm("policies.view_all_acknowledgements")
    ):
        raise PermissionDenied
    policy = get_object_or_404(Policy, slug=slug)
    version = _current_or_404(policy)
    form = AcknowledgementFilterForm(request.GET or None)
    team = status = None
    if form.is_valid():
        team, status = form.cleaned_data["team"], form.cleaned_data["status"]
    people = selectors.acknowledgement_status(version=version, viewer=request.user, team=team, status=status)
    page = page_from_request(request, people, per_page=ACKNOWLEDGEMENTS_PER_PAGE)
    done, total = selectors.acknowledgement_counts(version=version, viewer=request.user, team=team)
    return render(
        request,
        "policies/acknowledgements.html",
        {
            "policy": policy,
            "version": version,
            "form": form,
            "page": page,
            "rows": [(person, person.acknowledged_at) for person in page],
            "sees_everyone": request.user.has_perm("policies.view_all_acknowledgements"),
            "done": done,
            "total": total,
        },
    )


@login_required
def comments(request, slug):
    policy = get_object_or_404(Policy, slug=slug)
    version = _current_or_404(policy)
    form = CommentForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        comment = form_submit(
            form, services.comment_add, version=version, author=request.user, **form.cleaned_data
        )
        if comment is not None:
            messages.success(request, "Thank you: your comment has been sent to the policy owner.")
            return redirect(comment)
    return render(
        request,
        "policies/comments.html",
        {
            "policy": policy,
            "version": version,
            "form": form,
            "comments": selectors.comments_for_user(policy=policy, user=request.user),
            "can_manage": policy.is_managed_by(request.user),
        },
    )


@login_required
def comment_detail(request, slug, pk):
    policy = get_object_or_404(Policy, slug=slug)
    comment = selectors.comment_for_user(policy=policy, pk=pk, user=request.user)
    if comment is None:
        raise Http404("No such comment.")
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and "addressed" in request.POST:
        message_submit(
            request,
            services.comment_mark_addressed,
            comment=comment,
            by=request.user,
            addressed=request.POST["addressed"] == "yes",
        )
        return redirect(comment)
    if request.method == "POST" and form.is_valid():
        if form_submit(
            form, services.comment_reply, comment=comment, author=request.user, body=form.cleaned_data["body"]
        ):
            messages.success(request, "Your reply has been added.")
            return redirect(comment)
    return render(
        request,
        "policies/comment_detail.html",
        {
            "policy": policy,
            "comment": comment,
            "replies": comment.replies.select_related("author"),
            "form": form,
            "can_manage": policy.is_managed_by(request.user),
        },
    )
