from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Autofocus would skip the "Skip to main content" link for keyboard users.
        self.fields["username"].widget.attrs.pop("autofocus", None)
