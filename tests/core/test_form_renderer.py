"""The quick form renderer draws the plain widgets exactly as Django's templates do."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import SafeString

from core.form_renderer import QuickRenderer

WIDGETS = [
    forms.TextInput(attrs={"maxlength": 200, "autofocus": True, "class": 'a"b'}),
    forms.NumberInput(attrs={"min": 1}),
    forms.EmailInput(),
    forms.URLInput(),
    forms.PasswordInput(render_value=True),
    forms.HiddenInput(),
    forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    forms.TimeInput(),
    forms.DateTimeInput(),
    forms.CheckboxInput(),
    forms.FileInput(attrs={"accept": "image/*", "disabled": False}),
    forms.Textarea(attrs={"rows": 3}),
]
VALUES = [None, "", "plain", '<b>"quoted" & more</b>', 42, True, False, datetime.date(2026, 12, 6)]


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda widget: type(widget).__name__)
@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_each_plain_widget_is_drawn_as_djangos_template_draws_it(widget, value):
    attrs = {"id": "id_field", "required": True, "aria-describedby": "id_field_error"}
    django_html = widget.render("field", value, attrs=attrs, renderer=DjangoTemplates())
    quick_html = widget.render("field", value, attrs=attrs, renderer=QuickRenderer())
    assert quick_html == django_html
    assert isinstance(quick_html, SafeString)


CHOICES = [("", "None <chosen>"), (1, "One & only"), ("b", '"B"'), (3, SafeString("<i>three</i>"))]
SELECTS = [
    forms.Select(choices=CHOICES),
    forms.Select(choices=[("Group <g>", [(1, "One"), (2, "Two")]), (3, "Three")], attrs={"class": "x"}),
    forms.SelectMultiple(choices=CHOICES),
]
SELECT_VALUES = [None, "", 1, "b", [1, "b"], "unknown"]


SELECT_CASES = [(widget, value) for widget in SELECTS for value in SELECT_VALUES] + [
    (forms.NullBooleanSelect(), value) for value in (None, True, False, "unknown")
]


@pytest.mark.parametrize(
    "widget, value",
    SELECT_CASES,
    # Names the same in every worker (a widget's repr holds its address).
    ids=[f"{type(widget).__name__}{index}-{value!r}" for index, (widget, value) in enumerate(SELECT_CASES)],
)
def test_selects_are_drawn_as_djangos_templates_draw_them(widget, value):
    attrs = {"id": "id_field", "required": True, "aria-describedby": "id_field_error"}
    django_html = widget.render("field", value, attrs=attrs, renderer=DjangoTemplates())
    quick_html = widget.render("field", value, attrs=attrs, renderer=QuickRenderer())
    assert quick_html == django_html
    assert isinstance(quick_html, SafeString)


def test_other_widgets_are_drawn_by_djangos_templates():
    widget = forms.RadioSelect(choices=[("a", "A <one>"), ("b", "B")])
    assert widget.render("kind", "a", renderer=QuickRenderer()) == widget.render(
        "kind", "a", renderer=DjangoTemplates()
    )
