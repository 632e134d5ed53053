"""The full case list as CSV or Excel, for the Head of Business and Governance.

The export holds the cases the all-cases page shows for the same filters and sort (the same FilterSet and
selector), with the export right on top; anyone else gets a 404. Every export is audited before it is sent.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.filters import given_filters
from exports.downloads import excel_refusal, table_download
from exports.tables import Column, Table, choice_label, in_reading_order, joined, person_fields, person_name

from .. import selectors
from ..filters import CaseFilter
from ..models import CaseClause, Outcome, Platform, Stage, SubjectKind

EXPORT = "cases.export_cases"
_kind = choice_label(SubjectKind.choices)
_platform = choice_label(Platform.choices)


def _about(kind, description, first_name, last_name, username):
    # As the case page shows it (Case.subject_label): the colleague's name, else who and a description.
    if username is not None:
        return person_name(first_name, last_name, username)
    return f"{_kind(kind)}: {description}" if description else _kind(kind)


def _platform_name(platform, other):
    # As Case.platform_name: the platform's own name when it is "Other".
    return other if platform == Platform.OTHER and other else _platform(platform)


def _links(links):
    lines = links.splitlines()
    if len(lines) == 1:  # One link, as most cases give: nothing to join.
        return lines[0].strip()
    return "\n".join(line.strip() for line in lines if line.strip())


CASE_TABLE = Table(
    columns=[
        Column("Reference", ["reference"]),
        Column("Raised", ["created_at"]),
        Column("Stage", ["stage"], choice_label(Stage.choices)),
        Column("Outcome", ["outcome"], choice_label(Outcome.choices)),
        Column("Platform", ["platform", "platform_other"], _platform_name),
        Column(
            "About",
            ["subject_kind", "subject_description", *person_fields("subject_person")],
            _about,
        ),
        Column("Reporter's team", ["reporter_team__name"]),
        Column("Handler", person_fields("handler"), person_name),
        Column("Clauses", ["clause_numbers"], in_reading_order),
        Column("Links", ["links"], _links),
        Column("Description", ["description"]),
    ],
    annotations={"clause_numbers": joined(CaseClause, to="case", field="number")},
)


def _export(request, format):
    if not request.user.has_perm(EXPORT):
        raise Http404("No such page.")
    filterset = CaseFilter(
        request.GET or None, queryset=selectors.all_cases(user=request.user), request=request
    )
    if filterset.is_bound and not filterset.is_valid():
        # An export must hold what was asked for: a filter left out would export more than that.
        messages.error(request, "Nothing was exported: correct the filters below, then download again.")
        return redirect(f"{reverse('cases:all')}?{request.GET.urlencode()}")
    if refusal := excel_refusal(format, filterset.qs):
        messages.error(request, refusal)
        return redirect(f"{reverse('cases:all')}?{request.GET.urlencode()}")
    filters = given_filters(filterset)
    return table_download(
        format=format,
        table=CASE_TABLE,
        queryset=filterset.qs,
        by=request.user,
        what="cases",
        filters={"sort": selectors.DEFAULT_SORT, **filters},
        filename=f"cases-{timezone.localdate().isoformat()}",
        sheet_title="Cases",
    )


@login_required
@require_safe
def export_csv(request):
    return _export(request, "csv")


@login_required
@require_safe
def export_xlsx(request):
    return _export(request, "xlsx")
