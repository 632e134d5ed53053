"""get_FOO_display read from labels kept on the field.

Django builds a dict of a field's choices on every call of get_FOO_display; a list of 25 cases shows three
of them on each row, and the case page's timeline one per event (issue 13). The labels are the same:
choices are fixed when a model's class is made.
"""

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


class ChoiceLabels:
    """A model mixin, before models.Model in the bases: get_FOO_display as Django's, its labels kept."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        labels = field.__dict__.get("_choice_labels")
        if labels is None:
            labels = field._choice_labels = dict(make_hashable(field.flatchoices))
        try:
            label = labels.get(value, value)
        except TypeError:  # a value that is no dict key (a list, say): as Django makes it one
            label = labels.get(make_hashable(value), value)
        return force_str(label, strings_only=True)
