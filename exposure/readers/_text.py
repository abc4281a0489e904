"""Delimited text (CSV, TSV, TXT): sniffed encoding, delimiter and header.

The fast path is pyarrow's CSV reader with an invalid-row handler: a ragged
line is rejected with its record number instead of stopping the read. When a
quoted field holds a line break, line numbers stop being record numbers, so
the records are counted exactly with the csv module instead (slower, rare).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import itertools
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ..errors import InputError
from ._common import (
    RawTable,
    check_width,
    headerless_note,
    is_header,
    no_rejects,
    positional_names,
    rejects,
    sanitised,
    unique_headers,
)

__all__ = ["read_delimited", "sniff_encoding", "sniff_delimiter"]

_DELIMITERS = (",", ";", "\t", "|")
_SNIFF_BYTES = 1 << 20
_BLOCK = 1 << 20
_MAX_BLOCK = 1 << 30
# Controls other than tab, line feed, form feed and carriage return: text has
# almost none of them.
_BINARY = frozenset(chr(c) for c in (*range(9), 11, *range(14, 32), 127))
_ASCII_COMPATIBLE = ("utf8", "utf8sig", "cp1252", "latin1", "iso88591", "iso885915")


def sniff_encoding(sample: bytes, *, truncated: bool = False) -> str:
    """The encoding of a text sample: a BOM, else UTF-8 if it decodes, else cp1252 or latin-1.

    ``truncated`` says the sample is the start of a longer file, which may
    end in the middle of a multi-byte character.

    Examples
    --------
    >>> sniff_encoding("Zoé".encode("utf-8")), sniff_encoding("Zoé".encode("cp1252"))
    ('utf-8', 'cp1252')
    >>> sniff_encoding(codecs.BOM_UTF16_LE + "Zoé".encode("utf-16-le"))
    'utf-16'
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if truncated and exc.start >= len(sample) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"
    try:
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"  # cp1252 leaves five bytes undefined; latin-1 reads any byte


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header into most fields, and the other lines alike.

    Each candidate is tried with the csv module (so delimiters inside quotes
    do not count) on the first lines; the one giving the most lines with the
    header's field count wins, then the one giving more fields. csv.Sniffer
    is not used: it picks a delimiter absent from the text on ragged samples.

    Examples
    --------
    >>> sniff_delimiter("nom;prenom;tel\\nA;B;0612\\n")
    ';'
    """
    best, best_score = ",", (0, 0)
    with _field_limit():
        for delimiter in _DELIMITERS:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            widths = [len(fields) for fields in itertools.islice(reader, 51) if fields]
            if len(widths) > 1:
                widths.pop()  # the sample may end in the middle of a record
            if not widths or widths[0] < 2:
                continue
            score = (sum(width == widths[0] for width in widths), widths[0])
            if score > best_score:
                best, best_score = delimiter, score
    return best


def read_delimited(path: Path, name: str, *, delimiter: str | None, encoding: str | None,
                   header: bool | None) -> RawTable:
    """Read delimited text as text columns; see :func:`exposure.readers.read_table`."""
    with open(path, "rb") as handle:
        sample = handle.read(_SNIFF_BYTES)
    encoding = encoding or sniff_encoding(sample, truncated=len(sample) == _SNIFF_BYTES)
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"{name}: unknown encoding '{encoding}'. "
                         "Try --encoding utf-8 or --encoding cp1252.") from None
    text = sample.decode(encoding, errors="replace").lstrip("\ufeff")
    if not text.strip() and len(sample) < _SNIFF_BYTES:
        return RawTable(pd.DataFrame({"row": pd.Series([], dtype="int64")}), no_rejects(), 0,
                        name)
    if sum(ch in _BINARY for ch in text) > max(2, len(text) / 100):
        raise InputError(f"{name}: looks like binary data, not a table. Check the file; if it "
                         "is UTF-16 text without a byte-order mark, pass --encoding utf-16.")
    delimiter = delimiter or sniff_delimiter(text)
    first = _first_record(path, delimiter, encoding)
    if not any(cell.strip() for cell in first):
        raise InputError(f"{name}: the first line is blank; a header line is expected. "
                         "Remove the blank lines at the top of the file.")
    check_width(len(first), name)
    has_header = is_header(first, header)
    names = unique_headers(first) if has_header else positional_names(len(first))
    if has_header and any("\n" in cell or "\r" in cell for cell in first):
        table = _parse_exactly(path, name, names, has_header, delimiter, encoding)
    else:
        table = _parse(path, name, names, has_header, delimiter, encoding)
    return replace(table, notes=headerless_note(name, header, has_header),
                   header_line=has_header)


@contextlib.contextmanager
def _field_limit() -> Iterator[None]:
    """Let the csv module read cells of any size (its default stops at 128 KiB)."""
    previous = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _first_record(path: Path, delimiter: str, encoding: str) -> list[str]:
    with open(path, newline="", encoding=encoding, errors="replace") as handle, _field_limit():
        return [cell.lstrip("\ufeff") for cell in next(csv.reader(handle, delimiter=delimiter),
                                                        [])]


def _parse(path: Path, name: str, names: list[str], has_header: bool, delimiter: str,
           encoding: str) -> RawTable:
    invalid: list[tuple[int | None, str]] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        reason = "empty row" if row.actual_columns <= 1 and not (row.text or "").strip() else (
            f"{row.actual_columns} fields where the header has {row.expected_columns}")
        invalid.append((row.number, reason))
        return "skip"

    folded = codecs.lookup(encoding).name.replace("-", "").replace("_", "")
    arrow_encoding = "utf8" if folded in ("utf8", "utf8sig") else encoding
    block = _BLOCK
    while True:
        invalid.clear()
        try:
            table = pacsv.read_csv(
                path,
                read_options=pacsv.ReadOptions(column_names=names, skip_rows=int(has_header),
                                               encoding=arrow_encoding, use_threads=True,
                                               block_size=block),
                parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                                 ignore_empty_lines=False,
                                                 invalid_row_handler=on_invalid),
                convert_options=pacsv.ConvertOptions(
                    # large_string is what pandas keeps: no copy when converted.
                    column_types={column: pa.large_string() for column in names},
                    strings_can_be_null=False, quoted_strings_can_be_null=False),
            )
            break
        except (UnicodeDecodeError, pa.ArrowException) as exc:
            # A record longer than a block (a cell of megabytes) needs bigger blocks.
            if "straddling" in str(exc) and block < _MAX_BLOCK:
                block *= 4
                continue
            raise InputError(f"{name}: cannot be read as delimited text with encoding "
                             f"{encoding}. Try --encoding cp1252, or check that the file is "
                             "a CSV (--input-format).") from sanitised(exc)
    parsed = table.num_rows
    records_in = parsed + len(invalid)
    frame = table.to_pandas()
    if not invalid:
        frame.insert(0, "row", pd.Series(pd.RangeIndex(1, parsed + 1), dtype="int64"))
        return RawTable(frame, no_rejects(), records_in, name)
    numbers = [number for number, _ in invalid]
    if (None in numbers or folded not in _ASCII_COMPATIBLE
            or _physical_lines(path) != records_in + has_header):
        # A quoted field holds a line break, so line numbers are not record
        # numbers: count records exactly with the csv module (slower, rare).
        return _parse_exactly(path, name, names, has_header, delimiter, encoding)
    rejected_rows = [number - has_header for number in numbers]
    keep = pd.Index(range(1, records_in + 1)).difference(rejected_rows)
    frame.insert(0, "row", pd.Series(keep, dtype="int64"))
    return RawTable(frame, rejects(rejected_rows, [reason for _, reason in invalid]),
                    records_in, name)


def _physical_lines(path: Path) -> int:
    count, last = 0, b"\n"
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            count += block.count(b"\n")
            last = block[-1:]
    return count + (last != b"\n")


def _parse_exactly(path: Path, name: str, names: list[str], has_header: bool, delimiter: str,
                   encoding: str) -> RawTable:
    width = len(names)
    good: list[list[str]] = []
    good_rows: list[int] = []
    rejected_rows: list[int] = []
    reasons: list[str] = []
    with open(path, newline="", encoding=encoding, errors="replace") as handle, _field_limit():
        reader = csv.reader(handle, delimiter=delimiter)
        if has_header:
            next(reader, None)
        try:
            for number, fields in enumerate(reader, start=1):
                if len(fields) == width:
                    good.append(fields)
                    good_rows.append(number)
                else:
                    rejected_rows.append(number)
                    reasons.append("empty row" if not any(f.strip() for f in fields)
                                   else f"{len(fields)} fields where the header has {width}")
        except csv.Error as exc:
            raise InputError(f"{name}: cannot be read as delimited text. Check that the file "
                             "is a CSV (--input-format).") from sanitised(exc)
    if good and not has_header:
        good[0][0] = good[0][0].lstrip("\ufeff")
    frame = pd.DataFrame(good, columns=names, dtype="str") if good else pd.DataFrame(
        {column: pd.Series([], dtype="str") for column in names})
    frame.insert(0, "row", pd.Series(good_rows, dtype="int64"))
    return RawTable(frame, rejects(rejected_rows, reasons), len(good_rows) + len(rejected_rows),
                    name)
