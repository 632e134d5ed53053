from django import forms
from django.utils import timezone

from core.limits import LONG_TEXT

from .models import BusinessUseRequest, Kind, OfficialAccount


class _RequestForm(forms.ModelForm):
    required = ()
    labels_for_kind = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.required:
            self.fields[name].required = True
        for name, label in self.labels_for_kind.items():
            self.fields[name].label = label
        for field in self.fields.values():
            if isinstance(field, forms.TypedChoiceField) and field.required:
                # No blank choice to pick by mistake on a radio list.
                field.choices = [choice for choice in field.choices if choice[0]]


class OfficialPostForm(_RequestForm):
    required = ("account", "content")
    labels_for_kind = {"content": "The proposed content"}
    # The accounts in use in the register of official accounts (6.1).
    account = forms.ChoiceField(label="Which account", widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = [
            (account.code, account.name) for account in OfficialAccount.objects.in_use()
        ]

    class Meta:
        model = BusinessUseRequest
        fields = ["account", "content", "links"]
        widgets = {
            "account": forms.RadioSelect,
            "content": forms.Textarea(attrs={"rows": 6}),
            "links": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"links": "Addresses of pictures, documents or pages to go with the post, one per line."}


class ProfessionalSiteForm(_RequestForm):
    required = ("site", "purpose", "from_date", "to_date")
    labels_for_kind = {"content": "What you will share or ask"}

    class Meta:
        model = BusinessUseRequest
        fields = ["site", "purpose", "from_date", "to_date", "content"]
        widgets = {
            "purpose": forms.RadioSelect,
            "from_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "to_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "content": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"site": "For example a professional network or an online forum for social workers."}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from_date"), cleaned.get("to_date")
        if start and end and end < start:
            self.add_error("to_date", "The end date cannot be before the start date.")
        return cleaned


class RecommendationForm(_RequestForm):
    required = ("recommended_for", "site", "content")
    labels_for_kind = {"site": "On which site", "content": "The recommendation or referral"}

    class Meta:
        model = BusinessUseRequest
        fields = ["recommended_for", "site", "content"]
        widgets = {"content": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"recommended_for": "The person or organisation to be recommended or referred."}


class AdviceForm(_RequestForm):
    required = ("topic", "content")
    labels_for_kind = {"content": "What you are considering", "site": "Which site, forum or tool"}

    class Meta:
        model = BusinessUseRequest
        fields = ["topic", "site", "content"]
        help_texts = {"site": "If you are asking whether one is acceptable (6.6)."}
        widgets = {"topic": forms.RadioSelect, "content": forms.Textarea(attrs={"rows": 6})}


KIND_FORMS = {
    Kind.OFFICIAL_POST: OfficialPostForm,
    Kind.PROFESSIONAL_SITE: ProfessionalSiteForm,
    Kind.RECOMMENDATION: RecommendationForm,
    Kind.ADVICE: AdviceForm,
}


class MoveForm(forms.Form):
    """The details a move needs: a reason, an answer, or where and when it was published."""

    expected_state = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=LONG_TEXT, required=False)
    published_at = forms.DateTimeField(
        label="When it was published",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    published_where = forms.CharField(label="Where", max_length=300, required=False)
    published_link = forms.URLField(label="Link", max_length=500, required=False, assume_scheme="https")

    def __init__(self, *args, move, request, **kwargs):
        kwargs.setdefault("prefix", move.name)
        super().__init__(*args, **kwargs)
        self.move = move
        self.fields["expected_state"].initial = request.state
        if move.needs_reason:
            self.fields["text"].label = "Reason"
            self.fields["text"].required = True
            self.fields["text"].help_text = "The requester will read this."
        elif move.needs_answer:
            self.fields["text"].label = "Your answer"
            self.fields["text"].required = True
        else:
            del self.fields["text"]
        if move.records_publication:
            self.fields["published_where"].required = True
            self.fields["published_where"].help_text = "The account or site, e.g. focus Facebook."
            self.fields["published_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
            self.fields["published_at"].required = True
            if request.account:
                self.fields["published_where"].initial = request.account_name()
            elif request.site:
                self.fields["published_where"].initial = request.site
        else:
            for name in ("published_at", "published_where", "published_link"):
                del self.fields[name]

    @property
    def has_details(self):
        return len(self.visible_fields()) > 0
