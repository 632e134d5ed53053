"""The signed-in person's own API tokens: list, create (the key is shown once), revoke. No page takes
another person: every view works on request.user."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.views import form_submit, message_submit

from .forms import ApiTokenForm
from .models import ApiToken
from .tokens import api_token_create, api_token_revoke


@login_required
@never_cache
def token_list(request):
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = form_submit(form, api_token_create, user=request.user, name=data["name"], days=data["days"])
        if made:
            token, key = made
            # Rendered, not redirected: the key is in this one response and stored nowhere.
            return render(request, "api/token_created.html", {"token": token, "key": key})
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "api/tokens.html", {"form": form, "tokens": tokens, "now": timezone.now()})


@require_POST
@login_required
def token_revoke(request, pk):
    if message_submit(request, api_token_revoke, user=request.user, pk=pk):
        messages.success(request, "The token is revoked.")
    return redirect("api_tokens:list")
