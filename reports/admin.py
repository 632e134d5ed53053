from django.contrib import admin

from .models import BenchmarkFigure


@admin.register(BenchmarkFigure)
class BenchmarkFigureAdmin(admin.ModelAdmin):
    """Published industry figures beside the clause analytics: administrators update them when a new
    edition of the report is published."""

    list_display = ["measure", "region", "value", "unit", "source", "edition"]
    list_filter = ["measure", "source", "edition"]
    fields = ["source", "edition", "address", "region", "measure", "value", "unit", "note"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "address":
            kwargs["assume_scheme"] = "https"  # An address typed without its scheme: the web's default now.
        return super().formfield_for_dbfield(db_field, request, **kwargs)
