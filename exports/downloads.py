"""A table downloaded as CSV or Excel, audited before any of it leaves."""

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


def _what(what, rows, format):
    return f"exported {what} as {FORMATS[format]} ({rows} row{'' if rows == 1 else 's'})"
