"""Being written."""

from django.http import Http404


def record(request, reference, kind):
    raise Http404


def resolve_removal_request(request, reference, pk):
    raise Http404
