from django.urls import path

from . import views

app_name = "business_use"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.choose_kind, name="choose"),
    path("new/<slug:kind>/", views.request_new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("cases/<str:reference>/cite/", views.cite_for_case, name="cite"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/<slug:move>/", views.move, name="move"),
]
