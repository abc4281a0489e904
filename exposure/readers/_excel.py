"""Excel workbooks (XLSX): one sheet, every cell back to the text a reader saw.

openpyxl reads the sheet in read-only mode, row by row, so memory holds the
text of the records and not the workbook's object model. Numbers, dates and
booleans are written back as text: whole numbers without ``.0``, a number
shown with leading zeros (format ``00000`` or ``00" "00" "00" "00" "00``)
with its zeros, dates in ISO 8601. Formulas are read as the value Excel last
computed, never evaluated.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import InputError
from ._common import (
    RawTable,
    check_width,
    from_columns,
    headerless_note,
    is_header,
    positional_names,
    rejects,
    sanitised,
    unique_headers,
)

__all__ = ["read_xlsx", "cell_text"]

# A number format made of digit placeholders "0", quoted literals and spaces.
_ZERO_PADDED = re.compile(r'(?:0|"[^"]*"|\\.| )+')


def cell_text(value: Any, number_format: str = "General") -> str:
    """The text of one cell value as the spreadsheet shows it, without locale.

    Examples
    --------
    >>> cell_text(612345678, '00" "00" "00" "00" "00'), cell_text(75001.0), cell_text(1.5)
    ('0612345678', '75001', '1.5')
    >>> cell_text(dt.datetime(2020, 7, 6, 14, 30)), cell_text(dt.datetime(1987, 3, 14))
    ('2020-07-06 14:30:00', '1987-03-14')
    >>> cell_text(None), cell_text(True)
    ('', 'TRUE')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.replace(microsecond=0).isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        if value >= 0 and _ZERO_PADDED.fullmatch(number_format or ""):
            text = text.zfill(_placeholders(number_format))
        return text
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _placeholders(number_format: str) -> int:
    return re.sub(r'"[^"]*"|\\.', "", number_format).count("0")


def read_xlsx(path: Path, name: str, *, sheet: str | None, header: bool | None) -> RawTable:
    """Read one sheet of an XLSX workbook; see :func:`exposure.readers.read_table`."""
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover - openpyxl is a declared dependency
        raise InputError(f"{name}: reading XLSX needs openpyxl: pip install openpyxl, "
                         "or save the sheet as CSV.") from None
    # A file object, not the path: openpyxl refuses names without .xlsx, and
    # a renamed workbook or an unpacked zip member has none.
    with open(path, "rb") as handle:
        try:
            workbook = load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - a hostile workbook can raise anything
            raise InputError(f"{name}: not a readable XLSX workbook. Check the file, or save "
                             "it as CSV and pass that.") from sanitised(exc)
        try:
            worksheet, notes = _pick_sheet(workbook, name, sheet)
            try:
                lines = [[cell_text(getattr(c, "value", None), getattr(c, "number_format", ""))
                          for c in row] for row in worksheet.iter_rows()]
            except Exception as exc:  # noqa: BLE001 - as above
                message = (f"{name}: a sheet of the workbook cannot be read. Check the file, "
                           "or save the sheet as CSV and pass that.")
                raise InputError(message) from sanitised(exc)
        finally:
            workbook.close()
    table = _table(lines, name, header)
    return replace(table, notes=notes + table.notes)


def _pick_sheet(workbook: Any, name: str, sheet: str | None) -> tuple[Any, tuple[str, ...]]:
    names = workbook.sheetnames
    if sheet is None:
        note = (f"{name}: read the first of {len(names)} sheets; pass --sheet NAME or "
                "--sheet NUMBER to read another.")
        return workbook[names[0]], (note,) if len(names) > 1 else ()
    if sheet in names:
        return workbook[sheet], ()
    if sheet.isdigit() and 1 <= int(sheet) <= len(names):
        return workbook[names[int(sheet) - 1]], ()
    raise InputError(f"{name}: no sheet '{sheet}' in the workbook, which has {len(names)} "
                     f"sheet(s). Pass --sheet with a sheet name or a number from 1 to "
                     f"{len(names)}.")


def _table(lines: list[list[str]], name: str, header: bool | None) -> RawTable:
    filled = [n for n, line in enumerate(lines) if any(cell.strip() for cell in line)]
    if not filled:
        return from_columns([], [], [], rejects([], []), name)
    lines = lines[filled[0]:filled[-1] + 1]  # blank rows around the table are not records
    has_header = is_header(lines[0], header)
    width = max(len(line) for line in lines)
    check_width(width, name)
    head = lines[0] if has_header else []
    names = unique_headers(head + [""] * (width - len(head))) if has_header else \
        positional_names(width)
    records = lines[1:] if has_header else lines
    good_rows: list[int] = []
    rejected_rows: list[int] = []
    columns: list[list[str]] = [[] for _ in names]
    for number, line in enumerate(records, start=1):
        if not any(cell.strip() for cell in line):
            rejected_rows.append(number)
            continue
        good_rows.append(number)
        for position, column in enumerate(columns):
            column.append(line[position] if position < len(line) else "")
    table = from_columns(names, columns, good_rows,
                         rejects(rejected_rows, ["empty row"] * len(rejected_rows)), name)
    return replace(table, notes=headerless_note(name, header, has_header),
                   header_line=has_header)
