"""Role-wide permissions read with the names of the person's roles, in one query per request.

Django's ModelBackend reads a person's own permissions and their groups' permissions in two queries, and
the roles took a third; every page asks for all three (the navigation, the second-factor check). Each
request loads the user afresh, so a role given or taken away counts from the person's next request, as
before.
"""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class RoleBackend(ModelBackend):
    """ModelBackend whose permissions come from `User.roles_and_permissions()`: one query, not three."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        # OIDC_ONLY: no password opens focuspolicy, at any door; people sign in with the provider.
        if settings.OIDC_ONLY:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:  # Every permission there is: ModelBackend's own reading.
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._role_names, user_obj._perm_cache = user_obj.roles_and_permissions()
        return user_obj._perm_cache
