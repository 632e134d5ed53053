"""Letters: HR edit the templates, and produce a record's letters as PDF or as plain text to edit.

Only HR (the right to keep records) use these pages; everyone else gets a 404. A record's letters come
through the one door for records (discipline.access), so nobody produces a letter about themselves.
Producing a letter is audited by discipline.services.letter_produce before it is sent.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from core.errors import DomainError
from core.views import form_submit
from exports.pdf import pdf_response

from .. import services
from ..access import get_record_for_user
from ..forms import LetterTemplateForm
from ..letters import FILTERS, PLACEHOLDERS
from ..models import LetterTemplate


def _manager_only(user):
    if not services.can_manage(user):
        raise Http404("No such page.")


@login_required
@require_safe
def template_list(request):
    _manager_only(request.user)
    templates = LetterTemplate.objects.select_related("updated_by")
    return render(request, "discipline/letter_templates.html", {"templates": templates})


@login_required
def template_edit(request, kind):
    _manager_only(request.user)
    template = get_object_or_404(LetterTemplate, kind=kind)
    form = LetterTemplateForm(request.POST or None, instance=template)
    status = 200
    if request.method == "POST":
        # The form works on a copy: a refused change leaves the saved template as it was.
        if form.is_valid() and form_submit(
            form,
            services.letter_template_change,
            by=request.user,
            template=LetterTemplate.objects.get(pk=template.pk),
            **form.cleaned_data,
        ):
            messages.success(request, f"The letter “{template.get_kind_display()}” has been saved.")
            return redirect("discipline:letter_templates")
        status = 400
    return render(
        request,
        "discipline/letter_template.html",
        {"template": template, "form": form, "placeholders": PLACEHOLDERS, "filters": FILTERS},
        status=status,
    )


def _as_pdf(request, record, kind, subject, text):
    return pdf_response(
        "discipline/letter_pdf.html",
        {"subject": subject, "text": text, "record": record},
        filename=f"{record.reference}-{kind}.pdf",
        request=request,
    )


def _as_text(request, record, kind, subject, text):
    response = HttpResponse(f"{subject}\n\n{text}", content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{record.reference}-{kind}.txt"'
    return response


FORMATS = {"PDF": _as_pdf, "text": _as_text}


def _letter(request, reference, kind, format):
    """The letter as a download, or back to the record with the reason it cannot be produced yet."""
    record = get_record_for_user(request.user, reference)
    _manager_only(request.user)
    if kind not in LetterTemplate.Kind.values:
        raise Http404("No such letter.")
    try:
        subject, text = services.letter_produce(record=record, kind=kind, by=request.user, format=format)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect(record)
    return FORMATS[format](request, record, kind, subject, text)


@login_required
@require_safe
def letter_pdf(request, reference, kind):
    return _letter(request, reference, kind, "PDF")


@login_required
@require_safe
def letter_text(request, reference, kind):
    return _letter(request, reference, kind, "text")
