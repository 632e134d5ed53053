from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.mark_read, name="mark_read"),
    path("<int:pk>/", views.open_notification, name="open"),
    path("preferences/", views.preferences, name="preferences"),
]
