from django.contrib import admin

from .models import Delivery, Notification, Preference


class DeliveryInline(admin.TabularInline):
    model = Delivery
    readonly_fields = [
        "channel",
        "status",
        "due_at",
        "digest",
        "claimed_at",
        "attempts",
        "last_error",
        "sent_at",
    ]
    extra = 0
    can_delete = False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: for administrators to see what was sent and why a delivery failed."""

    list_display = ["created_at", "recipient", "kind", "title", "read_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "title"]
    readonly_fields = ["recipient", "kind", "title", "link", "created_at", "read_at"]
    inlines = [DeliveryInline]

    def has_add_permission(self, request):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["notification", "channel", "status", "attempts", "due_at", "sent_at", "last_error"]
    list_filter = ["status", "channel", "digest"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "mode"]
    list_filter = ["kind", "mode"]
