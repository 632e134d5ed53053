"""A table downloaded as CSV or Excel, audited before any of it leaves."""

from django.conf import settings

from .services import export_audit
from .spreadsheets import csv_response, xlsx_response

FORMATS = {"csv": "CSV", "xlsx": "Excel"}


def table_download(*, format, table, queryset, by, what, filters, filename, sheet_title="Export"):
    """The rows of `queryset` as a CSV or Excel download of `table`, with its audit entry.

    `what` names the rows in words ("disciplinary records"). Both formats stream as the rows are read, so
    the rows are counted first (the same filtered queryset) and the entry is written before the first byte
    is sent: a download cut short is still in the log.
    """
    rows = queryset.count()
    export_audit(by=by, what=_what(what, rows, format), format=format, filters=filters, rows=rows)
    header, cells = table.header(), table.rows(queryset)
    if format == "csv":
        return csv_response(filename=f"{filename}.csv", header=header, rows=cells)
    return xlsx_response(filename=f"{filename}.xlsx", header=header, rows=cells, sheet_title=sheet_title)


def excel_refusal(format, queryset):
    """Why an Excel download of `queryset` is refused, or None: past EXPORT_EXCEL_MAX_ROWS rows.

    Asked before the download starts, with a count that stops one row past the limit (however many
    rows there are), so that a person learns it from the page rather than from a broken file.
    """
    if format != "xlsx":
        return None
    limit = settings.EXPORT_EXCEL_MAX_ROWS
    if queryset.order_by()[: limit + 1].count() <= limit:
        return None
    return (
        f"Nothing was exported: an Excel download holds at most {limit:,} rows, and these filters match "
        "more. Download CSV instead, which has no limit, or narrow the filters."
    )


def _what(what, rows, format):
    return f"exported {what} as {FORMATS[format]} ({rows} row{'' if rows == 1 else 's'})"
