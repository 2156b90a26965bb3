"""Spreadsheet exports (CSV and XLSX) that people open in Excel, WPS or LibreOffice.

Both writers take the same ``Column`` list and the same rows (text as ``str``, numbers as
``int`` or ``Decimal``, ``None`` for empty), and both pass every text cell through
``safe_text``: a value such as ``=HYPERLINK(...)`` typed into a licence number must reach the
reader as text, never as a formula (CSV/formula injection). Rows are consumed one at a time:
CSV as a generator of lines, XLSX through openpyxl's write-only mode into a temporary file, so
memory stays flat however many rows there are.

Headers are resolved when the writer is called, in the language active for the request; the
rows themselves are pulled later, possibly from another thread.
"""

import csv
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from marketplace.core.streaming import file_chunks, streaming_response

# What a spreadsheet program treats as the start of a formula (or, for tab and CR, as a way to
# smuggle one past a naive check). OWASP "CSV Injection".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

TEXT = "text"
INTEGER = "0"
DECIMAL = "0.00"


def safe_text(value: str) -> str:
    """``value``, with a leading apostrophe when a spreadsheet would read it as a formula."""
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Column:
    """One column: its header (translatable), its kind (``TEXT``, ``INTEGER``, ``DECIMAL``)
    and its width in characters in the XLSX."""

    header: str
    kind: str = TEXT
    width: int = 12


class _Echo:
    def write(self, value):
        return value


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_text(value)
    return str(value)  # int, or a Decimal already at its places ("12.50")


def csv_lines(columns: Sequence[Column], rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV text, a line at a time, starting with a byte-order mark (spreadsheet programs
    then read UTF-8, hence the Chinese, correctly)."""
    headers = [safe_text(str(c.header)) for c in columns]

    def generate() -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(headers)
        for row in rows:
            yield writer.writerow([_csv_value(v) for v in row])

    return generate()


def xlsx_file(columns: Sequence[Column], rows: Iterable[Sequence], *, title: str) -> IO[bytes]:
    """An XLSX workbook of one sheet written to a temporary file, returned open at its start.

    The header row is bold, frozen and carries an autofilter; numbers are numeric cells; text
    cells are always strings. The caller closes the file (``streaming.file_chunks`` does).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.filters import AutoFilter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    # Write-only sheets take their layout before the first row.
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    bold = Font(bold=True)

    def text_cell(value: str) -> WriteOnlyCell:
        # openpyxl drops nothing on its own: control characters would fail the whole file.
        cell = WriteOnlyCell(sheet, safe_text(ILLEGAL_CHARACTERS_RE.sub("", value)))
        cell.data_type = "s"  # never a formula, whatever the value looks like
        return cell

    header = []
    for column in columns:
        cell = text_cell(str(column.header))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        cells = []
        for column, value in zip(columns, row, strict=True):
            if value is None:
                cells.append(None)
            elif column.kind == TEXT:
                cells.append(text_cell(str(value)))
            else:
                cell = WriteOnlyCell(sheet, Decimal(value) if column.kind == DECIMAL else int(value))
                cell.number_format = column.kind
                cells.append(cell)
        sheet.append(cells)
        count += 1
    sheet.auto_filter = AutoFilter(ref=f"A1:{get_column_letter(len(columns))}{count + 1}")
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the caller closes it
    workbook.save(handle.name)
    handle.seek(0, os.SEEK_SET)
    return handle


XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_response(
    request, columns: Sequence[Column], rows: Iterable[Sequence], *, xlsx: bool, filename: str, title: str
):
    """A download of ``rows``: ``filename``.xlsx (a sheet named ``title``, its length known) when
    ``xlsx``, else ``filename``.csv streamed a line at a time."""
    if xlsx:
        handle = xlsx_file(columns, rows, title=title)
        size = os.fstat(handle.fileno()).st_size
        response = streaming_response(request, file_chunks(handle), content_type=XLSX_MEDIA_TYPE, batch=1)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        response["Content-Length"] = str(size)
        return response
    response = streaming_response(request, csv_lines(columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
