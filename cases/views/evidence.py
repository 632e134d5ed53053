"""Being written."""

from django.http import Http404


def add(request, reference):
    raise Http404


def download(request, reference, pk):
    raise Http404
