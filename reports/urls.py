from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("figures.csv", views.csv_download, name="csv"),
    path("review/<slug:slug>/", views.review_pack, name="review_pack"),
    path("review/<slug:slug>/pack.pdf", views.review_pack_pdf, name="review_pack_pdf"),
]
