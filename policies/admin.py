from django.contrib import admin

from .models import (
    Acknowledgement,
    Clause,
    ClauseFlag,
    ClauseItem,
    ClauseReacknowledgement,
    Comment,
    CommentReply,
    MaterialChange,
    Policy,
    PolicyVersion,
    ReviewDateChange,
    Section,
)


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "review_interval_months"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["owner"]
    search_fields = ["title"]


class _TextOfAVersion:
    """A version's text never changes once imported (each web process keeps it a while: policies.selectors):
    shown here, never added to. Deleting stays possible, so that a version or policy can be deleted."""

    def has_add_permission(self, request, obj=None):
        return False


class SectionInline(_TextOfAVersion, admin.TabularInline):
    model = Section
    fields = ["number", "title"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    """Versions are made by import_policy and approved in the app; the text is read-only here."""

    list_display = ["policy", "number", "status", "effective_date", "next_review_date"]
    list_filter = ["policy", "status"]
    readonly_fields = [
        "policy",
        "number",
        "status",
        "source_text",
        "content_hash",
        "imported_at",
        "imported_by",
        "approved_at",
        "approved_by",
        "effective_date",
        "next_review_date",
    ]
    inlines = [SectionInline]

    def has_add_permission(self, request):
        return False


class ClauseInline(_TextOfAVersion, admin.StackedInline):
    model = Clause
    fields = ["number", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Section)
class SectionAdmin(_TextOfAVersion, admin.ModelAdmin):
    list_display = ["__str__", "version"]
    list_filter = ["version__policy"]
    readonly_fields = ["version", "number", "title", "intro"]
    inlines = [ClauseInline]


class ClauseItemInline(_TextOfAVersion, admin.TabularInline):
    model = ClauseItem
    readonly_fields = ["position", "text"]
    extra = 0
    can_delete = False


@admin.register(Clause)
class ClauseAdmin(_TextOfAVersion, admin.ModelAdmin):
    list_display = ["number", "section", "text"]
    list_filter = ["section__version__policy", "section__version__number"]
    search_fields = ["number", "text"]
    readonly_fields = ["section", "position", "number", "text"]
    exclude = ["search_document"]
    inlines = [ClauseItemInline]


@admin.register(ClauseItem)
class ClauseItemAdmin(_TextOfAVersion, admin.ModelAdmin):
    list_display = ["clause", "position", "text"]
    readonly_fields = ["clause", "position", "text"]


@admin.register(ReviewDateChange)
class ReviewDateChangeAdmin(admin.ModelAdmin):
    list_display = ["version", "previous_date", "new_date", "changed_by", "changed_at"]
    readonly_fields = ["version", "previous_date", "new_date", "reason", "changed_by", "changed_at"]


@admin.register(Acknowledgement)
class AcknowledgementAdmin(admin.ModelAdmin):
    list_display = ["user", "version", "acknowledged_at"]
    list_filter = ["version__policy", "version__number"]
    search_fields = ["user__username", "user__last_name"]
    readonly_fields = ["user", "version", "acknowledged_at"]


@admin.register(ClauseReacknowledgement)
class ClauseReacknowledgementAdmin(admin.ModelAdmin):
    list_display = ["user", "clause", "acknowledged_at"]
    list_filter = ["clause__section__version__policy", "clause__section__version__number"]
    search_fields = ["user__username", "user__last_name"]
    readonly_fields = ["user", "clause", "acknowledged_at"]


@admin.register(MaterialChange)
class MaterialChangeAdmin(admin.ModelAdmin):
    list_display = ["clause", "marked_by", "marked_at"]
    list_filter = ["clause__section__version__policy", "clause__section__version__number"]
    readonly_fields = ["clause", "marked_by", "marked_at"]


@admin.register(ClauseFlag)
class ClauseFlagAdmin(admin.ModelAdmin):
    # Raised by the evidence of cases (cases.review_flags), cleared by the next approved version: read here.
    list_display = ["policy", "clause_number", "reason", "cases_counted", "flagged_at", "cleared_at"]
    list_filter = ["policy", "reason"]
    readonly_fields = ["policy", "clause_number", "reason", "cases_counted", "flagged_at", "cleared_at"]


class CommentReplyInline(admin.TabularInline):
    model = CommentReply
    readonly_fields = ["author", "body", "created_at"]
    extra = 0


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["policy", "clause", "author", "created_at", "addressed_at"]
    list_filter = ["policy"]
    readonly_fields = [
        "policy",
        "version",
        "clause",
        "author",
        "body",
        "created_at",
        "addressed_at",
        "addressed_by",
    ]
    inlines = [CommentReplyInline]


@admin.register(CommentReply)
class CommentReplyAdmin(admin.ModelAdmin):
    list_display = ["comment", "author", "created_at"]
    readonly_fields = ["comment", "author", "body", "created_at"]
