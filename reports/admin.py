from django.contrib import admin

from .models import BenchmarkFigure


@admin.register(BenchmarkFigure)
class BenchmarkFigureAdmin(admin.ModelAdmin):
    """Published industry figures beside the clause analytics: administrators update them when a new
    edition of the report is published."""

    list_display = ["measure", "region", "value", "unit", "source", "edition"]
    list_filter = ["measure", "source", "edition"]
    fields = ["source", "edition", "address", "region", "measure", "value", "unit", "note"]
