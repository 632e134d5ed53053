from django import forms
from django.conf import settings

from .tokens import MAX_DAYS


class ApiTokenForm(forms.Form):
    """A new token for the person asking: there is no field for whose token it is."""

    name = forms.CharField(max_length=100, help_text="What the token is for, e.g. the system that uses it.")
    days = forms.IntegerField(
        label="Expires after (days)",
        required=False,
        min_value=1,
        max_value=MAX_DAYS,
        help_text=f"Leave empty for {settings.API_TOKEN_DAYS} days; at most {MAX_DAYS}.",
    )
