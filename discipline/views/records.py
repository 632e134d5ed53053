"""Opening a disciplinary record and recording its ACAS steps (being written)."""

from django.http import Http404


def open_record(request):
    raise Http404


def open_from_referral(request, pk):
    raise Http404


def detail(request, reference):
    raise Http404


def record_step(request, reference, step):
    raise Http404
