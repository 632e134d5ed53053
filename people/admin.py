from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from core.admin import ReadOnlyAdminMixin

from .models import LoginSession, Team, User


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "head_of_service"]
    search_fields = ["name"]
    autocomplete_fields = ["head_of_service"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "get_full_name",
        "job_title",
        "employment_type",
        "team",
        "line_manager",
        "is_active",
    ]
    list_filter = ["is_active", "employment_type", "team", "groups", "professional_body"]
    search_fields = ["username", "first_name", "last_name", "email", "job_title"]
    autocomplete_fields = ["team", "line_manager"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (
            "Staff record",
            {
                "fields": [
                    "job_title",
                    "employment_type",
                    "team",
                    "line_manager",
                    "left_on",
                    "professional_body",
                    "registration_number",
                ]
            },
        ),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (
            "Staff record",
            {
                "fields": [
                    "first_name",
                    "last_name",
                    "email",
                    "job_title",
                    "employment_type",
                    "team",
                    "line_manager",
                ]
            },
        ),
    ]


@admin.register(LoginSession)
class LoginSessionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The sessions people signed in with, ended when they leave (people.services.person_leave)."""

    list_display = ["user", "created_at"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user"]
    view_permission = "people.view_loginsession"
    exclude = ["session_key"]  # A live session's key signs its holder in: never shown.
