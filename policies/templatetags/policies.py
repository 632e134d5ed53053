"""Sections and clauses drawn in Python: the policy page shows every clause of a version, and the template
engine spent about a thousand function calls on each one through an include, and thirty on each through a
loop of this filter (issue 13)."""

from html import escape

from django import template
from django.core.cache import caches
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe

from policies.selectors import TEXT_KEPT_SECONDS, version_sections

register = template.Library()


@register.simple_tag
def version_text(version):
    """The version's contents and its every section, drawn once and kept in this web process like the text
    itself (selectors.TEXT_KEPT_SECONDS): the same for every reader, and about a fifth of the policy page's
    time. A clause's address depends on whether the version is the current one, so the key says which."""
    return caches["process"].get_or_set(
        f"policy-html:{version.pk}:{version.content_hash}:{version.is_current}",
        lambda: _version_text_drawn(version),
        TEXT_KEPT_SECONDS,
    )


def _version_text_drawn(version):
    return render_to_string("policies/includes/version_text.html", {"sections": version_sections(version)})


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


@register.filter
def section_html(section):
    """A SectionToRead: its heading, its introduction and each of its clauses (clause_html)."""
    number = escape(str(section.number))
    intro = f"  <p>{linebreaksbr(section.intro, autoescape=True)}</p>\n" if section.intro else ""
    clauses = "".join(f"  {clause_html(clause, 3)}\n" for clause in section.clauses)
    return mark_safe(  # noqa: S308 - every value escaped above
        f'<section id="section-{number}" aria-labelledby="section-{number}-heading" class="policy-section">\n'
        f'  <h2 id="section-{number}-heading">{number}. {escape(section.title)}</h2>\n'
        f"{intro}{clauses}</section>\n"
    )
