from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Team, User


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
