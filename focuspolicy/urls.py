from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from people.forms import LoginForm

from . import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", health.healthz, name="healthz"),
    path("readyz/", health.readyz, name="readyz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/two-factor/", include("signin.urls")),
    # Sign-in with the organisation's accounts (OpenID Connect): 404 unless the OIDC_* settings are given.
    path("oidc/", include("signin.oidc_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/api-tokens/", include("api.token_urls")),
    path("policies/", include("policies.urls")),
    path("cases/", include("cases.urls")),
    path("anonymous/", include("cases.anonymous_urls")),
    path("audit/", include("audit.urls")),
    path("exports/", include("exports.urls")),
    path("notifications/", include("notifications.urls")),
    path("discipline/", include("discipline.urls")),
    path("reports/", include("reports.urls")),
    path("business-use/", include("business_use.urls")),
    path("data-protection/", include("dataprotection.urls")),
    path("api/", include("api.urls")),
    # Before the admin's own URLs, so that its sign-in is the site's (see views.admin_login).
    path("admin/login/", views.admin_login),
    path("admin/", admin.site.urls),
]

# A request Django refuses as it reads it (too large, too many fields) gets a page that says why.
handler400 = "core.bad_input.bad_request"

admin.site.site_header = "focuspolicy administration"
admin.site.site_title = "focuspolicy"
