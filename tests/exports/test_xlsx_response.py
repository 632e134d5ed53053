"""exports.spreadsheets.xlsx_response: an Excel download that streams while its rows are read, and reads
back as a spreadsheet program reads it: text as text, numbers as numbers, dates as dates, nothing as a
formula."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEntry
from exports.spreadsheets import CELL_LIMIT, ROWS_PER_CHUNK, XLSX_TYPE, xlsx_response
from tests.exports.read_back import xlsx_content_rows, xlsx_rows

HEADER = ["Reference", "Count", "Opened on"]
OPENED_ON = datetime.date(2026, 1, 5)


class CountedRows:
    """Rows as the database gives them, lazily, counting how many have been read."""

    def __init__(self, count):
        self.count, self.read = count, 0

    def __iter__(self):
        for number in range(self.count):
            self.read += 1
            yield [f"DR-2026-{number:05d}", number, OPENED_ON + datetime.timedelta(days=number % 365)]


def download(rows, header=HEADER):
    return xlsx_response(filename="records.xlsx", header=header, rows=rows, sheet_title="Records")


def worksheet(content):
    """The first sheet, read whole by openpyxl (not read-only), so that each cell has its type and format."""
    return load_workbook(io.BytesIO(content)).worksheets[0]


def test_the_first_bytes_go_out_before_the_rows_are_all_read():
    rows = CountedRows(5_000)
    response = download(rows)
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="records.xlsx"'
    assert rows.read == 0  # Nothing is read until the download is.

    chunks = iter(response.streaming_content)
    # The workbook's own parts go at once, before the database has given a row; then a chunk of rows.
    first = next(chunks)
    assert first.startswith(b"PK\x03\x04")
    assert rows.read == 0
    second = next(chunks)
    assert rows.read == ROWS_PER_CHUNK

    content = first + second + b"".join(chunks)
    assert rows.read == 5_000
    read_back = xlsx_content_rows(content)
    assert read_back[0] == HEADER
    assert len(read_back) == 5_001
    assert read_back[-1] == ["DR-2026-04999", 4999, datetime.datetime(2026, 9, 16)]  # 254 days on


def test_a_large_file_is_a_valid_zip_without_zip64():
    content = b"".join(download(CountedRows(5_000)).streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        assert archive.namelist()[0] == "[Content_Types].xml"
        for part in archive.infolist():
            # Sizes after each part (it was written without going back), in the 32-bit form Excel expects
            # of a file this small: it refuses ZIP64 headers it does not need.
            assert part.flag_bits & 0x08
            assert part.extract_version == 20
    assert worksheet(content).max_row == 5_001


def test_cells_read_back_as_text_numbers_and_dates():
    raised = timezone.make_aware(datetime.datetime(2026, 7, 1, 9, 30))  # British Summer Time
    row = [
        "Posted a photograph",
        42,
        2.5,
        Decimal("1.25"),
        True,
        OPENED_ON,
        raised,
        datetime.time(14, 15),
        None,
        "",
        "last",
    ]
    header = [f"Column {number}" for number in range(1, len(row) + 1)]
    content = b"".join(download([row], header=header).streaming_content)
    sheet = worksheet(content)
    assert [cell.value for cell in sheet[1]] == header
    text, whole, fraction, decimal, flag, date, moment, time, nothing, empty, last = sheet[2]
    assert (text.value, text.data_type) == ("Posted a photograph", "s")
    assert (whole.value, whole.data_type) == (42, "n")
    assert (fraction.value, fraction.data_type) == (2.5, "n")
    assert (decimal.value, decimal.data_type) == (1.25, "n")
    assert (flag.value, flag.data_type) == (True, "b")
    assert date.value == datetime.datetime(2026, 1, 5)
    assert date.is_date and date.number_format == "yyyy-mm-dd"
    # Excel has no time zones: the time as it was in London.
    assert moment.value == datetime.datetime(2026, 7, 1, 9, 30)
    assert moment.is_date and moment.number_format == "yyyy-mm-dd h:mm:ss"
    assert time.value == datetime.time(14, 15)
    assert time.is_date
    assert (nothing.value, empty.value, last.value) == (None, None, "last")
    # Read-only, as the other tests read, the row still holds every column.
    assert len(xlsx_content_rows(content)[1]) == len(header)


CRAFTED = [
    '=HYPERLINK("https://evil.example","Click me")',
    "+1",
    "-2",
    "@SUM(A1:A9)",
    "\t=1+1",
    "=1+1",
    "=",
]


def test_text_that_starts_like_a_formula_is_text_not_a_formula():
    content = b"".join(download([CRAFTED], header=["Header"] * len(CRAFTED)).streaming_content)
    sheet = worksheet(content)
    cells = list(sheet.iter_rows())
    assert all(cell.data_type != "f" for row in cells for cell in row)
    assert [cell.value for cell in cells[1]] == ["'" + text for text in CRAFTED]


def test_text_is_escaped_and_what_xml_cannot_hold_is_dropped():
    row = [
        "<b>Tom & Jerry</b> ]]>",
        "a\x00b\x08c\x1fd\ufffe",
        "  spaces kept  ",
        "first line\nsecond line",
        "Café ✓ 😀",
        "x" * (CELL_LIMIT + 10),
    ]
    content = b"".join(download([row], header=["Header"] * len(row)).streaming_content)
    escaped, controls, spaces, lines, unicode, long = xlsx_content_rows(content)[1]
    assert escaped == "<b>Tom & Jerry</b> ]]>"
    assert controls == "abcd"
    assert spaces == "  spaces kept  "
    assert lines == "first line\nsecond line"
    assert unicode == "Café ✓ 😀"
    # Excel's limit for a cell, with a note that the text was cut there.
    assert len(long) == CELL_LIMIT
    assert long.startswith("xxxx") and long.endswith("the CSV download has the whole text]")


def test_the_header_stays_in_view_and_dates_fit_their_columns():
    sheet = worksheet(b"".join(download(CountedRows(3)).streaming_content))
    assert sheet.title == "Records"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    # Wide enough for 2026-01-05 rather than ####.
    assert sheet.column_dimensions["C"].width >= len("2026-01-05") + 1


def test_an_export_with_no_rows_is_the_header_alone():
    rows = xlsx_content_rows(b"".join(download([]).streaming_content))
    assert rows == [HEADER]


@pytest.mark.django_db
def test_the_records_export_reads_its_rows_as_it_is_downloaded(client, hr, make_record, staff):
    records = [make_record(staff) for _ in range(3)]
    client.force_login(hr)
    response = client.get(reverse("discipline:export_xlsx"))
    assert isinstance(response, StreamingHttpResponse)
    # Audited before the first byte, with the rows counted.
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.what == "exported disciplinary records as Excel (3 rows)"
    with CaptureQueriesContext(connection) as reading:
        rows = xlsx_rows(response)
    assert "discipline_disciplinaryrecord" in reading.captured_queries[0]["sql"]
    assert {row[0] for row in rows[1:]} == {record.reference for record in records}
