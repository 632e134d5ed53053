"""Anonymous reporting, under its own prefix (/anonymous/) so that a proxy can be told to log nothing of it
(README, "Anonymous reporting")."""

from django.urls import path

from .views import anonymous

app_name = "anonymous"

urlpatterns = [
    path("report/", anonymous.report, name="report"),
    path("follow/", anonymous.follow, name="follow"),
    path("follow/name/", anonymous.claim, name="claim"),
]
