"""The audit log as a CSV download, for the Head of Business and Governance and the Head of Information &
Security: the entries the audit log page shows for the same filters (person, case, action, dates), newest
first, streamed, and audited before any of it is sent. Anyone else gets a 404."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from audit.models import AuditEntry
from audit.views import AuditFilterForm, audit_entries

from .downloads import table_download
from .tables import Column, Table, choice_label, person_fields, person_name

EXPORT = "audit.export_auditentry"


def _who(first_name, last_name, username):
    return person_name(first_name, last_name, username) if username is not None else "The system"


def _when(at):
    # To the second, in local time, as the page shows it: the order of events matters here.
    return timezone.localtime(at).isoformat(sep=" ", timespec="seconds")


def _details(details):
    return json.dumps(details, ensure_ascii=False, sort_keys=True) if details else ""


AUDIT_TABLE = Table(
    columns=[
        Column("When", ["at"], _when),
        Column("Who", person_fields("actor"), _who),
        Column("Username", ["actor__username"]),
        Column("Action", ["action"], choice_label(AuditEntry.Action.choices)),
        Column("Case", ["case__reference"]),
        Column("What", ["what"]),
        Column("Details", ["details"], _details),
        Column("Address", ["ip_address"]),
        Column("Entry", ["id"]),
    ]
)


@login_required
@require_safe
def audit_log_csv(request):
    if not request.user.has_perm(EXPORT):
        raise Http404("No such page.")
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # An export must hold what was asked for: a filter left out would export more than that.
        messages.error(request, "Nothing was exported: correct the filters below, then download again.")
        return redirect(f"{reverse('audit:log')}?{request.GET.urlencode()}")
    filters = {
        name: value
        for name, value in (form.cleaned_data if form.is_bound else {}).items()
        if value not in (None, "")
    }
    # What was found when asked: not the export's own entry, nor any written while the rows stream.
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return table_download(
        format="csv",
        table=AUDIT_TABLE,
        queryset=audit_entries(user=request.user, filters=filters).filter(pk__lte=last),
        by=request.user,
        what="audit entries",
        filters=filters,
        filename=f"audit-log-{timezone.localdate().isoformat()}",
    )
