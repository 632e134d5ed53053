from django.urls import path

from . import views
from .registers import views as registers

app_name = "business_use"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.choose_kind, name="choose"),
    path("new/<slug:kind>/", views.request_new, name="new"),
    # The registers of section 6 (business_use.registers).
    path("registers/", registers.registers, name="registers"),
    path("registers/accounts/add/", registers.account_add, name="account_add"),
    path("registers/accounts/<int:pk>/", registers.account, name="account"),
    path("registers/accounts/<int:pk>/edit/", registers.account_edit, name="account_edit"),
    path("registers/accounts/<int:pk>/retire/", registers.account_retire, name="account_retire"),
    path("registers/sites/add/", registers.site_add, name="site_add"),
    path("registers/sites/add/from/<int:pk>/", registers.site_add_from_request, name="site_add_from_request"),
    path("registers/sites/<int:pk>/", registers.site, name="site"),
    path("registers/sites/<int:pk>/edit/", registers.site_edit, name="site_edit"),
    path("registers/sites/<int:pk>/withdraw/", registers.site_withdraw, name="site_withdraw"),
    path("<int:pk>/", views.detail, name="detail"),
    path("cases/<str:reference>/cite/", views.cite_for_case, name="cite"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/<slug:move>/", views.move, name="move"),
]
