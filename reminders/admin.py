from django.contrib import admin

from .models import Limits, SentReminder, Timer


@admin.register(Limits)
class LimitsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return not Limits.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Timer)
class TimerAdmin(admin.ModelAdmin):
    list_display = ["kind_label", "due_at", "fired_at", "cancelled_at", "subject", "note"]
    list_filter = ["kind"]
    readonly_fields = [*(f.name for f in Timer._meta.fields), "kind_label", "subject"]

    def get_queryset(self, request):
        # One query per kind of subject for a page of timers, not one per timer.
        return super().get_queryset(request).prefetch_related("subject")

    @admin.display(description="kind", ordering="kind")
    def kind_label(self, timer):
        return timer.kind_label

    def has_add_permission(self, request):
        return False


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = ["key", "user", "sent_at"]
    search_fields = ["key"]
    readonly_fields = ["key", "user", "sent_at"]

    def has_add_permission(self, request):
        return False
