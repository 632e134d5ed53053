"""A form's fields as the site shows them (label, hint, errors, widget), written in Python.

includes/field.html and includes/form_fields.html call these: drawn through the template language each
field cost about 0.2 ms besides its widget (its label, hint and errors looked up attribute by attribute),
and a case page draws a dozen (issue 13). The HTML is what those templates gave, escaped the same way.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


def _errors(field, *, with_ids):
    error_id = f' id="{conditional_escape(field.auto_id)}_error"' if with_ids else ""
    return "".join(f'<p class="error"{error_id}>{conditional_escape(error)}</p>' for error in field.errors)


def _hint(field):
    if not field.help_text:
        return ""
    hint_id = f"{conditional_escape(field.auto_id)}_helptext"
    return f'<p class="hint" id="{hint_id}">{conditional_escape(field.help_text)}</p>'


def _label(field, *, optional=False):
    mark = ' <span class="optional">(optional)</span>' if optional else ""
    label_for = conditional_escape(field.id_for_label)
    return f'<label for="{label_for}">{conditional_escape(field.label)}{mark}</label>'


def _plain(field, *, optional):
    """Label, hint, errors and the widget, in a div marked when the field has errors."""
    marked = " field-error" if field.errors else ""
    return (
        f'<div class="field{marked}">\n  {_label(field, optional=optional)}\n  {_hint(field)}\n'
        f"  {_errors(field, with_ids=True)}\n  {field}\n</div>"
    )


@register.simple_tag
def field_group(field):
    """One field: a checkbox with its label after it, radios in a fieldset, any other with its label, hint
    and errors above it; "(optional)" unless required, or shown only when another answer asks for it."""
    kind = getattr(field.field.widget, "input_type", None)
    marked = " field-error" if field.errors else ""
    if kind == "checkbox":
        errors = _errors(field, with_ids=False)
        html = f'<div class="field{marked} check">\n  {field} {_label(field)}\n  {errors}\n</div>'
    elif kind == "radio":
        auto_id = conditional_escape(field.auto_id)
        described = f' aria-describedby="{auto_id}_helptext"' if field.help_text else ""
        radios = "".join(
            f'<div class="check">{radio.tag()} <label for="{conditional_escape(radio.id_for_label)}">'
            f"{conditional_escape(radio.choice_label)}</label></div>"
            for radio in field
        )
        html = (
            f'<div class="field{marked}">\n  <fieldset class="radios" id="{auto_id}"{described}>\n'
            f"    <legend>{conditional_escape(field.label)}</legend>\n    {_hint(field)}\n"
            f"    {_errors(field, with_ids=False)}\n    {radios}\n  </fieldset>\n</div>"
        )
    else:
        optional = not field.field.required and not getattr(field.field, "conditional", False)
        html = _plain(field, optional=optional)
    return mark_safe(html)  # noqa: S308 - every value escaped above, the widget by its renderer


@register.simple_tag
def form_fields(form):
    """A form's hidden fields, then each visible one with its label, hint and errors."""
    hidden = "".join(str(field) for field in form.hidden_fields())
    visible = "\n".join(_plain(field, optional=not field.field.required) for field in form.visible_fields())
    return mark_safe(f"{hidden}\n{visible}")  # noqa: S308 - as field_group
