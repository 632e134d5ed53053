from django.urls import path

from . import views

app_name = "dataprotection"

urlpatterns = [
    path("", views.index, name="index"),
    path("retention/", views.retention_schedule, name="retention"),
    path("legal-holds/", views.holds, name="holds"),
    path("legal-holds/case/<str:reference>/", views.hold_case, name="hold_case"),
    path("legal-holds/<int:pk>/lift/", views.hold_lift, name="hold_lift"),
    path("requests/", views.requests, name="requests"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/archive/", views.request_archive, name="request_archive"),
    path("erasure/new/", views.erasure_new, name="erasure_new"),
]
