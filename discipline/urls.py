from django.urls import path

from .views import bundle, letters, lists, records, settings

app_name = "discipline"

urlpatterns = [
    path("", lists.record_list, name="list"),
    path("export.csv", lists.export_csv, name="export_csv"),
    path("export.xlsx", lists.export_xlsx, name="export_xlsx"),
    path("open/", records.open_record, name="open"),
    path("warning-periods/", settings.warning_periods, name="warning_periods"),
    path("letters/", letters.template_list, name="letter_templates"),
    path("letters/<str:kind>/", letters.template_edit, name="letter_template"),
    path("open/referral/<int:pk>/", records.open_from_referral, name="open_from_referral"),
    path("<str:reference>/", records.detail, name="detail"),
    path("<str:reference>/steps/<str:step>/", records.record_step, name="step"),
    path("<str:reference>/letters/<str:kind>.pdf", letters.letter_pdf, name="letter_pdf"),
    path("<str:reference>/letters/<str:kind>.txt", letters.letter_text, name="letter_text"),
    path("<str:reference>/summary.pdf", lists.record_pdf, name="pdf"),
    path("<str:reference>/acas-bundle.pdf", bundle.acas_bundle, name="acas_bundle"),
    path(
        "<str:reference>/acas-bundle-redacted.pdf", bundle.acas_bundle_redacted, name="acas_bundle_redacted"
    ),
]
