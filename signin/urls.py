from django.urls import path

from . import views

app_name = "signin"

urlpatterns = [
    path("", views.two_factor, name="two_factor"),
    path("set-up/", views.enrol, name="enrol"),
    path("set-up/qr-code.svg", views.qr_code, name="qr_code"),
    path("code/", views.verify, name="verify"),
]
