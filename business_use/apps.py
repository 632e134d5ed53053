from django.apps import AppConfig


class BusinessUseConfig(AppConfig):
    name = "business_use"
    verbose_name = "Business use of social media"
