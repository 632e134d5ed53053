from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self):
        from people.services import when_person_leaves

        from .tokens import api_tokens_revoke_all

        @when_person_leaves
        def revoke_tokens(*, person, by):
            api_tokens_revoke_all(person=person, by=by, reason="left focus")
