from django import forms

from .selectors import Period

# Day first, as people in the UK write dates; ISO too, which is what the links and the CSV carry.
DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %m %Y", "%d %b %Y", "%d %B %Y"]
LONGEST_YEARS = 10


def _date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        help_text="For example, 31/3/2026.",
        # A text box keeps whatever was typed, even a date that does not exist, so it can be corrected.
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"autocomplete": "off", "class": "date-input"}),
    )


class PeriodForm(forms.Form):
    """Which cases the figures count: those raised from one day to another, both included."""

    raised_from = _date_field("Raised from")
    raised_to = _date_field("Raised to")

    def __init__(self, *args, today, **kwargs):
        self.default = Period.last_twelve_months(today)
        kwargs.setdefault("initial", {"raised_from": self.default.start, "raised_to": self.default.end})
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("raised_from") or (
            self.default.start if "raised_from" not in self.errors else None
        )
        end = cleaned.get("raised_to") or (self.default.end if "raised_to" not in self.errors else None)
        if start and end:
            if start > end and cleaned.get("raised_to"):
                self.add_error("raised_to", "The end of the range must not be before its start.")
            elif start > end:
                self.add_error("raised_from", "The start of the range must not be after today.")
            elif end.year - start.year > LONGEST_YEARS:
                self.add_error("raised_to", f"Choose a range of at most {LONGEST_YEARS} years.")
        return cleaned

    def period(self):
        """The period the figures are for: what was asked, blanks filled from the default of the last
        twelve months; the default itself if the dates could not be used."""
        if not self.is_bound or not self.is_valid():
            return self.default
        return Period(
            start=self.cleaned_data["raised_from"] or self.default.start,
            end=self.cleaned_data["raised_to"] or self.default.end,
        )
