"""Downloads read back as a spreadsheet program would read them."""

import csv
import io

from openpyxl import load_workbook


def csv_rows(response):
    """A CSV download as a list of rows (the header first), after its byte order mark."""
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response):
    """An Excel download's first sheet as a list of rows (the header first), read with openpyxl."""
    return xlsx_content_rows(b"".join(response.streaming_content))


def xlsx_content_rows(content):
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return rows


def by_reference(rows):
    """Data rows by their first cell (the reference), with the header's names as keys."""
    header, *data = rows
    return {row[0]: dict(zip(header, row, strict=True)) for row in data}
