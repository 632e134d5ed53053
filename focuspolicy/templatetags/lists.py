"""The pieces of the long lists drawn in Python: the template engine spent more on them than the lists'
own rows (issue 13). Each writes the HTML its template wrote."""

from django import template
from django.core.cache import caches
from django.utils.safestring import mark_safe

from core import tables
from core.filters import CHOICES_KEPT_SECONDS, fields_html_key
from core.tables import escape  # as autoescape: what is marked safe stays as it is

register = template.Library()


@register.simple_tag(takes_context=True)
def table_head(context, headers):
    """The <thead> of a list (core.tables.head), with the page's own query."""
    return tables.head(headers, context["request"].GET)


@register.simple_tag
def filter_fields(form):
    """A filter form's fields: the hidden ones, then each visible one with its label and its errors. Kept
    by the process for a filter form without errors (core.filters.fields_html_key)."""
    key = fields_html_key(form)
    drawn = caches["process"].get(key) if key else None
    if drawn is None:
        drawn = _filter_fields(form)
        if key:
            caches["process"].set(key, drawn, CHOICES_KEPT_SECONDS)
    return drawn


def _filter_fields(form):
    parts = [str(field) for field in form.hidden_fields()]
    for field in form.visible_fields():
        errors = field.errors
        said = "".join(f'<p class="error" id="{escape(field.auto_id)}_error">{escape(e)}</p>' for e in errors)
        parts.append(
            f'<div class="field{" field-error" if errors else ""}">'
            f'<label for="{escape(field.id_for_label)}">{escape(field.label)}</label>{said}{field}</div>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above; the widgets escape their own
