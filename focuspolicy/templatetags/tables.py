"""{% table_head headers %}: the <thead> of a list (core.tables.head), with the page's own query."""

from django import template

from core import tables

register = template.Library()


@register.simple_tag(takes_context=True)
def table_head(context, headers):
    return tables.head(headers, context["request"].GET)
