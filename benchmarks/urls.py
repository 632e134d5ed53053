"""The application's URLs, and two bare Django pages that pages.py measures next to them in the same run.

The bare pages do the least work of their kind over the same 1,000,000 cases, through the same middleware,
so that a real page's throughput can be read as a ratio to what Django itself manages here: a case by
primary key, and 25 cases in keyset order (newest first, `after` = the last row's created_at and id).
They exist only in this URLconf (benchmarks/settings.py), never in focuspolicy.urls.
"""

import datetime

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.template import engines
from django.urls import include, path

from cases.models import Case

BARE_CASE = engines["django"].from_string(
    "<!doctype html><title>{{ case.reference }}</title><h1>{{ case.reference }}</h1>"
    "<p>{{ case.get_stage_display }}, raised {{ case.created_at|date:'j M Y' }}</p>"
    "<p>{{ case.description }}</p>"
)
BARE_LIST = engines["django"].from_string(
    "<!doctype html><title>Cases</title><table>{% for case in cases %}<tr><td>{{ case.reference }}</td>"
    "<td>{{ case.get_stage_display }}</td><td>{{ case.created_at|date:'j M Y' }}</td></tr>{% endfor %}"
    '</table>{% if after %}<a rel="next" href="?after={{ after|urlencode }}">Next page</a>{% endif %}'
)
PER_PAGE = 25


def bare_case(request, pk):
    try:
        case = Case.objects.get(pk=pk)
    except Case.DoesNotExist:
        raise Http404("No such case.") from None
    return HttpResponse(BARE_CASE.render({"case": case}))


def bare_list(request):
    cases = Case.objects.order_by("-created_at", "-id")
    created, _, pk = request.GET.get("after", "").partition("_")
    if pk.isdigit():
        try:
            at = datetime.datetime.fromisoformat(created.replace(" ", "+"))
        except ValueError:
            at = None
        if at is not None:
            cases = cases.filter(Q(created_at__lt=at) | Q(created_at=at, id__lt=int(pk)))
    rows = list(cases[: PER_PAGE + 1])
    last = rows[PER_PAGE - 1] if len(rows) > PER_PAGE else None
    after = f"{last.created_at.isoformat()}_{last.pk}" if last else ""
    return HttpResponse(BARE_LIST.render({"cases": rows[:PER_PAGE], "after": after}))


urlpatterns = [
    path("_bare/cases/", bare_list, name="bare_list"),
    path("_bare/cases/<int:pk>/", bare_case, name="bare_case"),
    path("", include("focuspolicy.urls")),
]
