"""The list of disciplinary records, its exports, and a record's PDF summary (being written)."""

from django.http import Http404


def record_list(request):
    raise Http404


def export_csv(request):
    raise Http404


def export_xlsx(request):
    raise Http404


def record_pdf(request, reference):
    raise Http404
