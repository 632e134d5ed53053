"""Teams in the admin. Staff and their roles are in focuspolicy/admin.py: a change of someone's rights is
written to the audit log, which sits above this app."""

from django.contrib import admin

from .models import Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "head_of_service"]
    search_fields = ["name"]
    autocomplete_fields = ["head_of_service"]
