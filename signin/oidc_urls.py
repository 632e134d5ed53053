from django.urls import path

from .oidc_views import ProviderCallback, ProviderSignIn

# Not namespaced: mozilla-django-oidc reverses "oidc_authentication_callback" itself.
urlpatterns = [
    path("authenticate/", ProviderSignIn.as_view(), name="oidc_authentication_init"),
    path("callback/", ProviderCallback.as_view(), name="oidc_authentication_callback"),
]
