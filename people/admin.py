"""Teams in the admin. Staff and their roles are in focuspolicy/admin.py: a change of someone's rights is
written to the audit log, which sits above this app."""

from django.contrib import admin

from .models import LoginSession, Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "head_of_service"]
    search_fields = ["name"]
    autocomplete_fields = ["head_of_service"]


@admin.register(LoginSession)
class LoginSessionAdmin(admin.ModelAdmin):
    """The sessions people signed in with, ended when they leave (people.services.person_leave). Read only:
    rows change only through sign-in and leaving."""

    list_display = ["user", "created_at"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user"]
    exclude = ["session_key"]  # A live session's key signs its holder in: never shown.

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
