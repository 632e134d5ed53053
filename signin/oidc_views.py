"""The two addresses of sign-in with the organisation's accounts (signin/oidc.py): /oidc/authenticate/ sends
the browser to the provider with a fresh state and nonce, /oidc/callback/ takes it back with a code. Both
answer 404 unless OIDC is configured."""

import logging

import requests
from django.conf import settings
from django.contrib import auth, messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .oidc import REFUSAL

logger = logging.getLogger(__name__)

FAILED = "Sign-in with {provider} did not succeed. Please try again."
UNREACHABLE = "{provider} could not be reached. Please try again in a few minutes."


class _OnlyWhenConfigured:
    def dispatch(self, request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ProviderSignIn(_OnlyWhenConfigured, OIDCAuthenticationRequestView):
    """To the provider's sign-in page; `next` is kept (if it is on this site) for the way back."""


class ProviderCallback(_OnlyWhenConfigured, OIDCAuthenticationCallbackView):
    """Back from the provider: signed in, or to the login page with a message that says why not."""

    def get(self, request):
        provider = settings.OIDC_PROVIDER_NAME
        try:
            return super().get(request)
        except SuspiciousOperation as error:
            # An unknown or replayed state, a wrong nonce or signature: someone else's or a forged answer.
            logger.warning("Sign-in with the identity provider refused: %s", error)
        except requests.HTTPError as error:
            # The provider answered, and said no (a code already used, or not issued to this browser).
            logger.warning(
                "The identity provider refused the code: %s", getattr(error.response, "status_code", None)
            )
        except requests.RequestException as error:
            logger.warning("The identity provider could not be reached: %s", type(error).__name__)
            setattr(request, REFUSAL, UNREACHABLE.format(provider=provider))
        return self.login_failure()

    def login_failure(self):
        message = getattr(self.request, REFUSAL, None) or FAILED.format(provider=settings.OIDC_PROVIDER_NAME)
        messages.error(self.request, message)
        return redirect("login")

    def login_success(self):
        next_url = self.success_url  # read first: login() empties the session of anyone signed in before
        # Always login(), even for the person already signed in here: a new session key at every sign-in.
        auth.login(self.request, self.user)
        return HttpResponseRedirect(next_url)
