"""Filter pieces shared by the apps' FilterSets, which serve both a page and the API.

A value that does not fit is an error of the filter's form: the page shows it beside the filter and leaves
the filter out; the API refuses the request with a 400 that names the filter.
"""

import copy
import functools
import hashlib

import django_filters
from django import forms
from django.core.cache import caches
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils.safestring import mark_safe
from django_filters.fields import ModelChoiceField
from django_filters.filters import FilterMethod
from drf_spectacular.utils import extend_schema_field

from .tables import escape  # as autoescape, without a SafeString made for each part

# The largest key the database holds: anything above is refused rather than sent to it.
MAX_ID = 2**63 - 1
# The value of a ChosenIdFilter that chooses what has none (no team recorded).
NONE = "none"


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


# How long each web process keeps a filter's options read as values (every team, every policy): they change
# rarely, and reading them cost All cases two queries on every page (issue 13). And as long the filter forms
# drawn with them (fields_html_key): a new team or policy is offered within two minutes; a value given in the
# address is checked against the database at once.
CHOICES_KEPT_SECONDS = 60


class _ValuesIterator(ModelChoiceIterator):
    """The choices as (value, label) read with values_list: a page offers hundreds of teams without making
    a model instance of each; the choice of none of them (`null_label`) last."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from _options_of(self.queryset, self.field.to_field_name or "pk", self.field.label_field)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)


def _options_of(queryset, value_field, label_field):
    rows = queryset.values_list(value_field, label_field)
    if queryset.query.where:  # narrowed for this page: read afresh
        return list(rows)
    meta = queryset.model._meta
    ordering = ",".join(queryset.query.order_by or meta.ordering)
    key = f"filter-options:{meta.label}:{value_field}:{label_field}:{ordering}"
    return caches["process"].get_or_set(key, lambda: list(rows), CHOICES_KEPT_SECONDS)


class _ValuesChoiceField(ModelChoiceField):
    iterator = _ValuesIterator

    def __init__(self, *args, label_field, **kwargs):
        self.label_field = label_field
        super().__init__(*args, **kwargs)


class ValuesChoiceFilter(django_filters.ModelChoiceFilter):
    """One of `queryset`, its options read as values: `label_field` is shown (it must be what the objects'
    str() shows) and the value is the `to_field_name` field (the id by default). The filter's value is still
    the chosen object. With `null_label`, the value `none` chooses the objects with none (the field is
    empty)."""

    def __init__(self, *args, label_field, **kwargs):
        self.field_class = _ValuesChoiceField
        kwargs["label_field"] = label_field
        if kwargs.get("null_label") is not None:
            kwargs.setdefault("null_value", NONE)
        super().__init__(*args, **kwargs)


class ChosenIdFilter(ValuesChoiceFilter):
    """The id of one of `queryset`, such as a team: the page offers them by name, the API takes the id.
    An id that names none of them is refused, on the page as in the API."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        schema = _id_schema(kwargs.get("help_text", ""))
        if self.extra.get("null_label") is not None:
            description = schema.pop("description")
            schema = {"oneOf": [schema, {"type": "string", "enum": [NONE]}], "description": description}
        extend_schema_field(schema)(self)


class _Filters(dict):
    """A FilterSet class's filters: copy.deepcopy gives each FilterSet its own, sharing what they read."""

    def __deepcopy__(self, memo):
        return {name: _own_copy(filter_) for name, filter_ in self.items()}


def _own_copy(filter_):
    """The filter for one FilterSet: its attributes its own (the FilterSet sets `model` and `parent`), with
    its own arguments for the field, queryset (never one whose rows another request read) and method bound
    to it (a method filter calls its own FilterSet's method); choices and labels shared."""
    own = copy.copy(filter_)
    own.extra = filter_.extra.copy()
    attributes = vars(filter_)
    if isinstance(attributes.get("filter"), FilterMethod):
        own.filter = FilterMethod(own)
    if isinstance(attributes.get("queryset"), QuerySet):
        own.queryset = filter_.queryset.all()
    vars(own).pop("_field", None)
    return own


class _Fields(dict):
    """A form class's fields; copy.deepcopy copies each field as Django does (Field.__deepcopy__: its
    widget, error messages and validators), but its list of choices, which a form never changes in place,
    is shared."""

    def __deepcopy__(self, memo):
        for field in self.values():
            choices = vars(field).get("_choices")
            if choices is not None:
                memo[id(choices)] = choices
        return {name: copy.deepcopy(field, memo) for name, field in self.items()}


class FilterSet(django_filters.FilterSet):
    """django-filters' FilterSet, its form class made once per FilterSet class rather than on every request:
    building a field for each of All cases' 18 filters and the class around them cost 2 ms a page (issue 13).

    A filter whose field depends on the request (a clause filter offering the numbers the person's own list
    cites, a queryset that is a function of the request) has its field made for each request, in its place
    among the others; every form still gets its own copies of the fields, as Django's forms do.

    Each FilterSet, and each form, copies the class's filters or fields for itself (copy.deepcopy): here
    without copying the lists of choices they only read (_Filters, _Fields), which was most of the copying
    (9,000 function calls on All cases)."""

    @classmethod
    def get_filters(cls):
        return _Filters(super().get_filters())

    def get_form_class(self):
        shared = type(self).__dict__.get("_shared_form_class")
        if shared is None:
            # Made from this request's filters: a per-request field here only keeps its place in the order.
            shared = super().get_form_class()
            shared.base_fields = _Fields(shared.base_fields)
            type(self)._shared_form_class = shared
            shared.shared_form_class, shared.per_request_fields = shared, ()
        per_request = {name: f.field for name, f in self.filters.items() if _per_request(f)}
        if not per_request:
            return shared
        names = tuple(per_request)  # before the metaclass, which changes the dict it is given
        # A subclass's field of the same name takes the shared one's place (DeclarativeFieldsMetaclass).
        form_class = type(shared.__name__, (shared,), per_request)
        form_class.base_fields = _Fields(form_class.base_fields)
        form_class.per_request_fields = names
        return form_class


def fields_html_key(form):
    """The key of a filter form's fields drawn as HTML (focuspolicy.templatetags.lists.filter_fields), kept
    by each web process for CHOICES_KEPT_SECONDS like the options they offer: the same for every form of
    one FilterSet given the same values and offering the same choices. None for a form with errors, which
    is drawn afresh, or one not made by a FilterSet here. Drawing All cases' 18 fields cost it a tenth of
    its time (issue 13)."""
    shared = getattr(type(form), "shared_form_class", None)
    if shared is None or form.errors:
        return None
    values = [(name, form.data.getlist(name)) for name in form.fields]
    choices = [list(form.fields[name].choices) for name in form.per_request_fields]
    drawn_with = (form.is_bound, values, choices, form.initial, form.prefix, form.auto_id)
    given = hashlib.sha256(repr(drawn_with).encode()).hexdigest()
    return f"filter-fields:{id(shared)}:{given}"


def _per_request(filter_):
    return getattr(filter_, "per_request", False) or callable(getattr(filter_, "queryset", None))


class QuickSelect(forms.Select):
    """A select written in Python, the same HTML as Django's template for each option: a filter of hundreds
    of options (teams) otherwise costs a page most of its time. Grouped choices go to Django's template."""

    def use_required_attribute(self, initial):
        # Asked before the field's own `required`: Django's Select reads the first choice to answer, which
        # for a model's choices runs their query a second time.
        return self.is_required and super().use_required_attribute(initial)

    def render(self, name, value, attrs=None, renderer=None):
        choices = tuple(iter(self.choices))  # iter: tuple() would ask a queryset for its len(), a COUNT
        chosen = frozenset(self.format_value(value))
        try:
            options = _options(choices, chosen)
        except TypeError:  # a value or label that cannot be a cache key: written afresh
            options = _options.__wrapped__(choices, chosen)
        if options is None:
            return super().render(name, value, attrs, renderer)
        attributes = _flat(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{escape(name)}"{attributes}>{options}</select>')  # noqa: S308 - escaped


def _flat(attrs):
    """As django.forms.utils.flatatt: the attributes with values by name, then the true ones by name."""
    valued = sorted(
        (name, value) for name, value in attrs.items() if not isinstance(value, bool) and value is not None
    )
    true = sorted(name for name, value in attrs.items() if value is True)
    return "".join(f' {escape(n)}="{escape(v)}"' for n, v in valued) + "".join(f" {escape(n)}" for n in true)


# The same options are written on every page of a list (hundreds of teams, the same few chosen): kept.
@functools.lru_cache(maxsize=128)
def _options(choices, chosen):
    """The options' HTML; None for grouped choices, which Django's template writes."""
    if any(isinstance(label, (list, tuple)) for _value, label in choices):
        return None
    chosen = set(chosen)
    options = []
    for option_value, label in choices:
        option_value = "" if option_value is None else str(option_value)
        # Only the first option with the chosen value is selected, as Django's Select does.
        selected = option_value in chosen
        if selected:
            chosen.discard(option_value)
        selected_attr = " selected" if selected else ""
        options.append(f'<option value="{escape(option_value)}"{selected_attr}>{escape(label)}</option>')
    return "".join(options)


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
