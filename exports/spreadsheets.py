"""Spreadsheet downloads that hold memory flat however many rows: CSV streams row by row as it is read
from the database; Excel is written by openpyxl's write-only workbook to a temporary file and streamed
from there. Every cell goes through `neutralise`, so a value cannot run as a formula when opened.
"""

import csv
import datetime
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook

# Characters that make a spreadsheet treat a cell as a formula (OWASP: CSV injection), with tab and
# carriage return, which some programs strip before looking.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """The value made safe for a spreadsheet cell: text that starts like a formula gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    # csv.writer writes into this and gets the line back, so that each row can be streamed.
    def write(self, value):
        return value


def _csv_value(value):
    value = neutralise(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def csv_response(*, filename, header, rows):
    """A streamed CSV download. `rows` is an iterable of sequences, read lazily (use .iterator())."""
    writer = csv.writer(_Echo())

    def lines():
        # A byte order mark, so that Excel opens the UTF-8 file with the right characters.
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([_csv_value(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_value(value):
    value = neutralise(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        # Excel has no time zones: write the local wall-clock time.
        from django.utils import timezone

        value = timezone.localtime(value).replace(tzinfo=None)
    return value


def xlsx_response(*, filename, header, rows, sheet_title="Export"):
    """An Excel download written row by row to a temporary file, then streamed from it."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_value(value) for value in row])
    spool = tempfile.TemporaryFile()
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
