from django.urls import path, re_path

from . import clause_views, views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("figures.csv", views.csv_download, name="csv"),
    path("review/<slug:slug>/", views.review_pack, name="review_pack"),
    path("review/<slug:slug>/pack.pdf", views.review_pack_pdf, name="review_pack_pdf"),
    path("clauses/", clause_views.clause_index, name="clauses"),
    re_path(
        r"^clauses/(?P<slug>[-\w]+)/(?P<clause_number>\d{1,3}\.\d{1,3})/$",
        clause_views.clause_page,
        name="clause",
    ),
]
