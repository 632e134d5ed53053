"""The audit log, for the Head of Business and Governance: read only, newest first, filtered."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.db.models.fields.json import KT
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .models import AuditEntry
from .services import own_record_references

PER_PAGE = 50


class AuditFilterForm(forms.Form):
    reference = forms.CharField(label="Case reference contains", max_length=20, required=False)
    person = forms.CharField(label="Person (username)", max_length=150, required=False)
    action = forms.ChoiceField(choices=[("", "Any action"), *AuditEntry.Action.choices], required=False)
    since = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    until = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "The end of the range must not be before its start.")
        return cleaned


def audit_entries(*, user, filters=None):
    """Entries newest first. None about a case the reader is the subject of, nor about a disciplinary
    record of theirs: they never learn of it from here."""
    filters = {key: value for key, value in (filters or {}).items() if value not in (None, "")}
    entries = (
        AuditEntry.objects.exclude(case__subject_person=user)
        .alias(record=KT("details__record"))
        .select_related("actor", "case")
    )
    for own_records in own_record_references(user):
        # Spelled out so that entries without a record (NULL) are kept.
        entries = entries.exclude(Q(record__in=own_records) & Q(record__isnull=False))
    if "reference" in filters:
        entries = entries.filter(case__reference__icontains=filters["reference"].strip())
    if "person" in filters:
        entries = entries.filter(actor__username__iexact=filters["person"].strip())
    if "action" in filters:
        entries = entries.filter(action=filters["action"])
    if "since" in filters:
        entries = entries.filter(at__date__gte=filters["since"])
    if "until" in filters:
        entries = entries.filter(at__date__lte=filters["until"])
    return entries.order_by("-at", "-pk")


@login_required
@require_safe
def audit_log(request):
    if not request.user.has_perm("audit.view_auditentry"):
        raise Http404("No such page.")
    form = AuditFilterForm(request.GET or None)
    filters = {}
    if form.is_bound:
        form.is_valid()  # Invalid fields are left out of cleaned_data and shown as errors.
        filters = form.cleaned_data
    entries = audit_entries(user=request.user, filters=filters)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"form": form, "page": page})
