"""Filter pieces shared by the apps' FilterSets, which serve both a page and the API.

A value that does not fit is an error of the filter's form: the page shows it beside the filter and leaves
the filter out; the API refuses the request with a 400 that names the filter.
"""

import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from drf_spectacular.utils import extend_schema_field

# The largest key the database holds: anything above is refused rather than sent to it.
MAX_ID = 2**63 - 1


def _id_schema(help_text):
    # The schema says what the form field checks, so generated clients never send what it refuses.
    return {"type": "integer", "minimum": 1, "maximum": MAX_ID, "description": help_text}


class IdFilter(django_filters.NumberFilter):
    """An object's id: a whole number a database key can hold."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.update(min_value=1, max_value=MAX_ID)
        super().__init__(*args, **kwargs)
        extend_schema_field(_id_schema(kwargs.get("help_text", "")))(self)


class ChosenIdFilter(django_filters.ModelChoiceFilter):
    """The id of one of `queryset`, such as a team: the page offers them by name, the API takes the id.
    An id that names none of them is refused, on the page as in the API."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        extend_schema_field(_id_schema(kwargs.get("help_text", "")))(self)


class QuickSelect(forms.Select):
    """A select written in Python, the same HTML as Django's template for each option: a filter of hundreds
    of options (teams) otherwise costs a page most of its time."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = widget["optgroups"]
        if any(group_name is not None for group_name, _, _ in groups):
            return super().render(name, value, attrs, renderer)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], " selected" if option["selected"] else "", option["label"])
                for _, group, _ in groups
                for option in group
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options
        )


def date_range_form(start, end):
    """The form class of a FilterSet with a range of days from `start` to `end` (both inclusive): an end
    before the start is an error on the end, and the start is still used."""

    class DateRangeForm(forms.Form):
        def clean(self):
            cleaned = super().clean()
            if cleaned.get(start) and cleaned.get(end) and cleaned[start] > cleaned[end]:
                self.add_error(end, "The end of the range must not be before its start.")
            return cleaned

    return DateRangeForm


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def given_filters(filterset):
    """The filters that were given and fit, by name: what a list or export was filtered by."""
    if not filterset.is_bound:
        return {}
    filterset.is_valid()  # Fields that do not fit are left out of cleaned_data.
    return {name: value for name, value in filterset.form.cleaned_data.items() if value not in (None, "")}
