"""A clause drawn in Python: the policy page shows every clause of a version, and the template engine spent
about a thousand function calls on each one through an include (issue 13)."""

from html import escape

from django import template
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def clause_html(clause, heading_level):
    """A ClauseToRead's number (a link to its own page), text and items; every value escaped."""
    number = escape(clause.number)
    h = int(heading_level)
    items = clause.items
    item_list = (
        '\n    <ul class="clause-items">'
        + "".join(f"<li>{escape(item)}</li>" for item in items)
        + "</ul>\n    "
        if items
        else ""
    )
    return mark_safe(  # noqa: S308 - every value escaped above
        f'<article class="clause" id="clause-{number}" aria-labelledby="clause-{number}-heading">\n'
        f'  <h{h} id="clause-{number}-heading" class="clause-number">'
        f'<a href="{escape(clause.url)}" title="Link to clause {number}">{number}</a></h{h}>\n'
        f'  <div class="clause-body">\n'
        f"    {linebreaks(clause.text, autoescape=True)}\n"
        f"    {item_list}\n"
        f"  </div>\n"
        f"</article>\n"
    )
