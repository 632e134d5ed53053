"""The API, version 1, with its OpenAPI schema and documentation pages (served from our own static files).

All of it is for people signed in: the schema answers 401 without credentials, and the documentation pages
send the browser to sign in first.
"""

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter()
router.register("policies", views.PolicyViewSet, basename="policy")
router.register("versions", views.PolicyVersionViewSet, basename="version")
router.register("clauses", views.ClauseViewSet, basename="clause")
router.register("cases", views.CaseViewSet, basename="case")
router.register("my-concerns", views.MyConcernViewSet, basename="my-concern")
router.register("disciplinary-records", views.DisciplinaryRecordViewSet, basename="disciplinary-record")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script from this address (?script), not inline, so the
    # page runs under the Content Security Policy without 'unsafe-inline'.
    path(
        "docs/",
        login_required(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html")
        ),
        name="docs",
    ),
    # The one exception to the Content Security Policy: Redoc builds its styles in <style> elements at run
    # time (styled-components) and shows only an error without 'unsafe-inline' styles, and runs its search
    # in a worker made from a blob. Its scripts stay strict; the page shows the schema, never personal data.
    path(
        "redoc/",
        login_required(
            csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]})(
                SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html")
            )
        ),
        name="redoc",
    ),
    # Last: addresses ending in a slash that nothing above matches. (Without the slash, Django first
    # redirects to the address with one.)
    re_path(r"^(?P<path>.*/)$", views.not_found),
]
