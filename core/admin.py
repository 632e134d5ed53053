"""Admin pieces the apps share."""


class ReadOnlyAdminMixin:
    """For records that change only through their services, which write the timeline and the audit log:
    the admin shows them and never adds, changes or deletes. `view_permission` says who may see them."""

    view_permission = None

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(self.view_permission)

    def has_module_permission(self, request):
        return self.has_view_permission(request)
