from django import forms

from .models import MANDATORY_KINDS, Kind, Preference


class PreferencesForm(forms.Form):
    """One choice per kind of notification; the kinds that cannot be turned off are shown, not offered."""

    def __init__(self, *args, current, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            if kind in MANDATORY_KINDS:
                continue
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Preference.Mode.choices,
                initial=current.get(kind.value, Preference.Mode.IMMEDIATE),
                widget=forms.Select,
            )
