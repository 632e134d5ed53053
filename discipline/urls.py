from django.urls import path

from .views import lists, records, settings

app_name = "discipline"

urlpatterns = [
    path("", lists.record_list, name="list"),
    path("export.csv", lists.export_csv, name="export_csv"),
    path("export.xlsx", lists.export_xlsx, name="export_xlsx"),
    path("open/", records.open_record, name="open"),
    path("warning-periods/", settings.warning_periods, name="warning_periods"),
    path("open/referral/<int:pk>/", records.open_from_referral, name="open_from_referral"),
    path("<str:reference>/", records.detail, name="detail"),
    path("<str:reference>/steps/<str:step>/", records.record_step, name="step"),
    path("<str:reference>/summary.pdf", lists.record_pdf, name="pdf"),
]
