from django.urls import path, re_path

from . import views

app_name = "policies"

CLAUSE = r"(?P<clause_number>\d+\.\d+)"

urlpatterns = [
    path("", views.policy_list, name="list"),
    path("search/", views.search, name="search"),
    path("<slug:slug>/", views.policy_detail, name="policy"),
    path("<slug:slug>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<slug:slug>/acknowledge-changes/", views.acknowledge_changes, name="acknowledge_changes"),
    path("<slug:slug>/acknowledgements/", views.acknowledgements, name="acknowledgements"),
    path("<slug:slug>/compare/", views.compare, name="compare"),
    path("<slug:slug>/review/", views.review, name="review"),
    path("<slug:slug>/comments/", views.comments, name="comments"),
    path("<slug:slug>/comments/<int:pk>/", views.comment_detail, name="comment"),
    path("<slug:slug>/versions/<int:number>/", views.version_detail, name="version"),
    path("<slug:slug>/versions/<int:number>/approve/", views.approve, name="approve"),
    path(
        "<slug:slug>/versions/<int:number>/material-changes/", views.material_changes, name="material_changes"
    ),
    re_path(
        rf"^(?P<slug>[-\w]+)/versions/(?P<number>\d+)/{CLAUSE}/$", views.clause_detail, name="version_clause"
    ),
    re_path(rf"^(?P<slug>[-\w]+)/{CLAUSE}/$", views.clause_detail, name="clause"),
]
