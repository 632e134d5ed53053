"""Spreadsheet downloads that start at once and hold memory flat however many rows: CSV and Excel both
stream as the rows are read from the database. Every cell goes through `neutralise`, so a value cannot run
as a formula when opened.

An Excel (.xlsx) file is a zip of XML parts. openpyxl saves a workbook only whole, to a file, which for
100,000 records took most of a request before the first byte went out. So openpyxl makes every part but the
rows (content types, workbook, styles, theme, properties, and the sheet with its header row, frozen panes
and column widths), as a workbook of the header alone; the rows are written here as XML into the sheet's
part, a chunk at a time, in a zip that is sent as it grows.
"""

import csv
import datetime
import io
import re
from itertools import islice
from zipfile import ZIP_DEFLATED, ZipFile

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.compat import safe_string
from openpyxl.compat.numbers import NUMERIC_TYPES
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.xml.functions import tostring

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


# Rows sent to the client at a time: a chunk per row would cost more in the streaming than in the file.
ROWS_PER_CHUNK = 500


def _csv_value(value):
    # One call per cell: this runs for every cell of 100,000 rows. A date is written as str(date), which
    # is its ISO form; a date and time to the minute.
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    return neutralise(value)


def csv_response(*, filename, header, rows):
    """A streamed CSV download. `rows` is an iterable of sequences, read lazily (use .iterator())."""

    def chunks():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        # A byte order mark, so that Excel opens the UTF-8 file with the right characters. The header
        # goes at once, before the rows are read from the database.
        buffer.write("\ufeff")
        writer.writerow([_csv_value(value) for value in header])
        yield _take(buffer)
        for count, row in enumerate(rows, start=1):
            # Text, the most common cell, without a call per cell: 1,000,000 rows of ten cells each.
            writer.writerow(
                [
                    ("'" + value if value.startswith(FORMULA_STARTS) else value)
                    if value.__class__ is str
                    else _csv_value(value)
                    for value in row
                ]
            )
            if count % ROWS_PER_CHUNK == 0:
                yield _take(buffer)
        yield _take(buffer)

    return _download(chunks(), filename=filename, content_type=CSV_TYPE)


def _take(buffer):
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _download(chunks, *, filename, content_type):
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def xlsx_response(*, filename, header, rows, sheet_title="Export"):
    """A streamed Excel download of one sheet: the header row, then `rows`, read lazily (use .iterator()).

    Text is text, numbers are numbers and dates are dates (a date and time in local time: Excel has no time
    zones); an empty value is an empty cell. The first bytes go out once the first chunk of rows is written.
    """
    return _download(_xlsx_chunks(header, rows, sheet_title), filename=filename, content_type=XLSX_TYPE)


def _xlsx_chunks(header, rows, sheet_title):
    package = _Package(header=header, sheet_title=sheet_title)
    outbox = _Outbox()
    # Not ZIP64: Excel refuses or "repairs" a file whose parts carry ZIP64 headers they do not need, and a
    # sheet needs them only past 2 GB of XML, millions of rows beyond Excel's limit of 1,048,576.
    with ZipFile(outbox, "w", ZIP_DEFLATED) as archive:
        for name, content in package.parts:
            archive.writestr(name, content)
        # The download starts here, before the database has given a row (sorting the records can take it
        # a second or two).
        yield outbox.take()
        rows = iter(rows)
        chunk = list(islice(rows, ROWS_PER_CHUNK))
        with archive.open(package.sheet_name, "w") as sheet:
            # The first chunk is read before the sheet is begun, to fit the column widths to it.
            sheet.write(package.sheet_top(widths=_widths(header, chunk)))
            number = 2  # The header is row 1.
            while chunk:
                sheet.write(package.rows_xml(chunk, first=number).encode())
                number += len(chunk)
                if written := outbox.take():  # Nothing, while zlib holds a chunk's bytes back.
                    yield written
                chunk = list(islice(rows, ROWS_PER_CHUNK))
            sheet.write(package.sheet_tail)
    yield outbox.take()


class _Outbox(io.RawIOBase):
    """Where the zip is written, handed on as it grows. It cannot seek, so zipfile writes each part's
    sizes in a data descriptor after the part rather than going back to its header."""

    def __init__(self):
        self._written = []

    def writable(self):
        return True

    def write(self, data):
        self._written.append(bytes(data))
        return len(data)

    def take(self):
        data = b"".join(self._written)
        self._written.clear()
        return data


# Characters XML 1.0 cannot hold: openpyxl's control characters (which it refuses in a cell rather than
# dropping), and the surrogates and non-characters it lets through.
ILLEGAL_IN_XML = re.compile(f"{ILLEGAL_CHARACTERS_RE.pattern}|[\ud800-\udfff\ufffe\uffff]")
# Excel holds at most 32,767 characters in a cell, and will not open a file with more without repairing
# it. Longer text is cut, with a note; the CSV download has it whole.
CELL_LIMIT = 32_767
CUT_NOTE = " [… cut at Excel's limit for a cell; the CSV download has the whole text]"
# Column widths in characters, fitted to the header and the first rows within these bounds.
MIN_WIDTH, MAX_WIDTH = 8, 60
SAMPLE_DATES = (datetime.datetime(2000, 1, 1), datetime.date(2000, 1, 1), datetime.time())


class _Package:
    """The parts of a workbook of one sheet, made by openpyxl, with what the rows need to fit in."""

    def __init__(self, *, header, sheet_title):
        workbook = Workbook(write_only=True)
        self._sheet = sheet = workbook.create_sheet(title=sheet_title[:31])
        # The style openpyxl gives each kind of date, by its number format (yyyy-mm-dd and so on).
        self._date_styles = {
            type(sample): WriteOnlyCell(sheet, value=sample).style_id for sample in SAMPLE_DATES
        }
        sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        sheet.append([_header_cell(sheet, neutralise(title), bold) for title in header])
        saved = io.BytesIO()
        workbook.save(saved)
        with ZipFile(saved) as package:
            parts = {name: package.read(name) for name in package.namelist()}
        self.sheet_name = sheet.path.removeprefix("/")
        # The sheet's part, split where the column widths go (just before its data) and where the rows go
        # (after the header row, which openpyxl writes even for an empty header).
        start, data, rest = parts.pop(self.sheet_name).partition(b"<sheetData>")
        header_row, end, tail = rest.partition(b"</sheetData>")
        self._sheet_start, self._header_row, self.sheet_tail = start, data + header_row, end + tail
        # The content types first, as Office writes them: programs that recognise a file by its first
        # bytes look there for an Office document.
        self.parts = sorted(parts.items(), key=lambda part: part[0] != "[Content_Types].xml")
        self._letters = []

    def sheet_top(self, *, widths):
        """The sheet's XML up to its rows, with columns of these `widths` (in characters)."""
        columns = self._sheet.column_dimensions
        for number, width in enumerate(widths, start=1):
            columns[get_column_letter(number)].width = width
        cols = columns.to_tree()
        return self._sheet_start + (b"" if cols is None else tostring(cols)) + self._header_row

    def rows_xml(self, rows, *, first):
        """`rows` as the sheet's XML, numbered from `first`."""
        letters = self._letters
        width = max(map(len, rows))
        if width > len(letters):
            letters += [get_column_letter(number) for number in range(len(letters) + 1, width + 1)]
        cell = self._cell
        return "".join(
            f'<row r="{number}">'
            + "".join(cell(f"{letter}{number}", value) for letter, value in zip(letters, row, strict=False))
            + "</row>"
            for number, row in enumerate(rows, start=first)
        )

    def _cell(self, ref, value):
        """A cell's XML. Runs for every cell of 100,000 rows.

        An empty value is still written, as a cell without a value: a program that reads a row as wide as
        its last cell (openpyxl does, with no dimension given) then sees every column.
        """
        value = neutralise(value)
        if isinstance(value, str):
            if not value:
                return f'<c r="{ref}"/>'
            value = ILLEGAL_IN_XML.sub("", value)
            if len(value) > CELL_LIMIT:
                value = value[: CELL_LIMIT - len(CUT_NOTE)] + CUT_NOTE
            # An inline string rather than a shared one: no table of every text is kept to write at the end.
            space = ' xml:space="preserve"' if value != value.strip() else ""
            text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            return f'<c r="{ref}" t="inlineStr"><is><t{space}>{text}</t></is></c>'
        if isinstance(value, bool):
            return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, NUMERIC_TYPES):
            number = safe_string(value)  # As openpyxl writes it; "" for NaN and infinity, which Excel lacks.
            return f'<c r="{ref}"><v>{number}</v></c>' if number else f'<c r="{ref}"/>'
        if isinstance(value, datetime.datetime | datetime.date | datetime.time):
            if isinstance(value, datetime.datetime) and value.tzinfo is not None:
                # Excel has no time zones: the local wall-clock time.
                value = timezone.localtime(value).replace(tzinfo=None)
            style = self._date_styles[_date_kind(value)]
            return f'<c r="{ref}" s="{style}"><v>{safe_string(to_excel(value))}</v></c>'
        return self._cell(ref, str(value))


def _date_kind(value):
    # datetime is a kind of date, so the more particular first.
    for kind in (datetime.datetime, datetime.date, datetime.time):
        if isinstance(value, kind):
            return kind
    raise TypeError(value)


def _header_cell(sheet, title, font):
    cell = WriteOnlyCell(sheet, value=title)
    cell.font = font
    return cell


def _widths(header, rows):
    """Column widths that show the header and the first rows, so that dates do not show as ####."""
    widths = [len(str(title)) for title in header]
    for row in rows:
        if len(row) > len(widths):
            widths += [0] * (len(row) - len(widths))
        for place, value in enumerate(row):
            widths[place] = max(widths[place], _shown_length(value))
    return [min(max(width + 2, MIN_WIDTH), MAX_WIDTH) for width in widths]


def _shown_length(value):
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return len("2000-01-01 00:00:00")
    if isinstance(value, datetime.date):
        return len("2000-01-01")
    if isinstance(value, str):
        return max(map(len, value.splitlines()), default=0)
    return len(str(value))
