"""The audit log, for the Head of Business and Governance and the Head of Information & Security: read only,
newest first, filtered (the CSV download of the same entries is exports.audit_log).

The log holds millions of entries, so it is read in keyset pages (never counted, never an OFFSET) and every
filter is one an index answers: a person and an action by their index with the time, a case by the case's
index with the time, dates as a range of the time itself (not of its date, which no index holds).
"""

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.db.models.fields.json import KT
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.pagination import CompiledPages, page_from_request
from people.models import User

from .models import AuditEntry
from .services import cases_open_to_reader, own_record_references
from .tables import AUDIT_LOG

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


def _start_of(day):
    """The first moment of a local day, so that a range of days is a range of the indexed time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def given_filters(filters):
    """The filters of the form that were given: an empty field filters nothing."""
    return {key: value for key, value in (filters or {}).items() if value not in (None, "")}


def audit_entries(*, user, filters=None):
    """Entries newest first. None about a case the reader is the subject of, nor about a disciplinary
    record of theirs: they never learn of it from here. `user` is the reader or their id."""
    filters = given_filters(filters)
    entries = (
        AuditEntry.objects.exclude(case__subject_person=user)
        .alias(record=KT("details__record"))
        .select_related("actor", "case")
    )
    for own_records in own_record_references(user):
        # Spelled out so that entries without a record (NULL) are kept.
        entries = entries.exclude(Q(record__in=own_records) & Q(record__isnull=False))
    if "reference" in filters:
        # The cases first (by the reference's trigram index), then their entries by the (case, at) index.
        cases = AuditEntry.case.field.related_model.objects.filter(
            reference__icontains=filters["reference"].strip()
        )
        entries = entries.filter(case__in=cases.values("pk"))
    if "person" in filters:
        people = User.objects.filter(username__iexact=filters["person"].strip())
        entries = entries.filter(actor__in=people.values("pk"))
    if "action" in filters:
        entries = entries.filter(action=filters["action"])
    if "since" in filters:
        entries = entries.filter(at__gte=_start_of(filters["since"]))
    if "until" in filters:
        entries = entries.filter(at__lt=_start_of(filters["until"] + datetime.timedelta(days=1)))
    return entries.order_by("-at", "-pk")


# The log unfiltered, the one most opened: its pages compiled once per process.
_PAGES = CompiledPages(lambda user_id: audit_entries(user=user_id), PER_PAGE + 1)


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
    compiled = {} if given_filters(filters) else _PAGES.readers(request.user.pk)
    page = page_from_request(request, entries, per_page=PER_PAGE, **compiled)
    # The case of an entry is a link only where the reader may open its page: asked once for the page.
    openable = cases_open_to_reader(request.user, [entry.case for entry in page if entry.case_id])
    for entry in page:
        entry.openable = entry.case_id in openable
    context = {"form": form, "page": page, "headers": AUDIT_LOG.headers(), "rows": AUDIT_LOG.body(page)}
    return render(request, "audit/log.html", context)
