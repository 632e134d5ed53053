"""The registers' pages: every signed-in member of staff reads them; only each register's keeper (the
communications team, the Head of Information & Security) adds, changes and retires entries. The entries
are no secret, so a non-keeper's attempt is refused with a 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from core.views import form_submit, message_submit

from .. import access
from . import selectors, services
from .forms import ApprovedSiteForm, EndForm, OfficialAccountForm
from .models import ApprovedSite, OfficialAccount


def _keeper_only(model, user):
    if not model.is_keeper(user):
        raise PermissionDenied(f"Only the {model.keeper_role} keeps this register.")


@login_required
def registers(request):
    return render(request, "business_use/registers/index.html", selectors.registers_page(request.user))


def _entry_page(request, entry, template):
    return render(
        request,
        template,
        {
            "entry": entry,
            "history": selectors.history(entry),
            "is_keeper": type(entry).is_keeper(request.user),
        },
    )


@login_required
def account(request, pk):
    return _entry_page(
        request, get_object_or_404(selectors.accounts(), pk=pk), "business_use/registers/account.html"
    )


@login_required
def site(request, pk):
    return _entry_page(
        request, get_object_or_404(selectors.sites(), pk=pk), "business_use/registers/site.html"
    )


def _form_page(request, *, form, service, title, back, **kwargs):
    """Show the form; on a valid POST call the service and go to the entry it returns."""
    if request.method == "POST" and form.is_valid():
        fields = {name: value for name, value in form.cleaned_data.items()}
        entry = form_submit(form, service, by=request.user, **kwargs, **fields)
        if entry is not None:
            messages.success(request, f"{entry.name}: saved in the register.")
            return redirect(entry)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": title, "back": back, **kwargs}
    return render(request, "business_use/registers/form.html", context, status=status)


@login_required
def account_add(request):
    _keeper_only(OfficialAccount, request.user)
    return _form_page(
        request,
        form=OfficialAccountForm(request.POST or None),
        service=services.official_account_add,
        title="Add an official account",
        back=selectors.REGISTERS_URL,
    )


@login_required
def account_edit(request, pk):
    _keeper_only(OfficialAccount, request.user)
    entry = get_object_or_404(OfficialAccount.objects.in_use(), pk=pk)
    return _form_page(
        request,
        form=OfficialAccountForm(request.POST or None, instance=entry),
        service=services.official_account_change,
        title=f"Change {entry.name}",
        back=entry.get_absolute_url(),
        account=entry,
    )


@login_required
def site_add(request):
    _keeper_only(ApprovedSite, request.user)
    return _form_page(
        request,
        form=ApprovedSiteForm(request.POST or None),
        service=services.approved_site_add,
        title="Add an approved site or tool",
        back=selectors.REGISTERS_URL,
    )


@login_required
def site_add_from_request(request, pk):
    """One step from the answer to a 6.6 question to the register: the form starts from the request."""
    business_request, _ = access.get_request_for_user(request.user, pk)
    _keeper_only(ApprovedSite, request.user)
    if not message_submit(request, services.approved_site_check_request, from_request=business_request):
        return redirect(business_request)
    return _form_page(
        request,
        form=ApprovedSiteForm(request.POST or None, initial=selectors.site_from_request(business_request)),
        service=services.approved_site_add,
        title=f"Add to the approved sites register from {business_request.reference}",
        back=business_request.get_absolute_url(),
        from_request=business_request,
    )


@login_required
def site_edit(request, pk):
    _keeper_only(ApprovedSite, request.user)
    entry = get_object_or_404(ApprovedSite.objects.in_use(), pk=pk)
    return _form_page(
        request,
        form=ApprovedSiteForm(request.POST or None, instance=entry),
        service=services.approved_site_change,
        title=f"Change {entry.name}",
        back=entry.get_absolute_url(),
        site=entry,
    )


def _end_page(request, *, entry, service, action, **kwargs):
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form_submit(form, service, by=request.user, note=form.cleaned_data["note"], **kwargs):
            messages.success(request, f"{entry.name}: {action.lower()}.")
            return redirect(entry)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "entry": entry, "action": action}
    return render(request, "business_use/registers/end.html", context, status=status)


@login_required
def account_retire(request, pk):
    _keeper_only(OfficialAccount, request.user)
    entry = get_object_or_404(OfficialAccount.objects.in_use(), pk=pk)
    return _end_page(
        request, entry=entry, service=services.official_account_retire, action="Retired", account=entry
    )


@login_required
def site_withdraw(request, pk):
    _keeper_only(ApprovedSite, request.user)
    entry = get_object_or_404(ApprovedSite.objects.in_use(), pk=pk)
    return _end_page(
        request, entry=entry, service=services.approved_site_withdraw, action="Withdrawn", site=entry
    )
