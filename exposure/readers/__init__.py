"""Read a leaked table from disk, every cell as text, every record accounted for.

This is the input edge of the pipeline. The first bytes of the file say what
it is (text, XLSX, Parquet, gzip, bzip2, xz, zip); the name or
``--input-format`` says what the user expects, and a contradiction is an
error that says which flag to use. Compressed files are unpacked into a
private temporary folder, deleted when reading ends. Every record gets
``row``: its 1-based position among the records of the input (a header is not
a record). A record that cannot be parsed is not dropped: it goes to
``rejected`` with its row number and a reason, so that
``records_in == len(frame) + len(rejected)``.

Formats: delimited text (``,`` ``;`` tab ``|``; UTF-8, UTF-8 with BOM, UTF-16
with BOM, cp1252/latin-1), XLSX (one sheet), JSON arrays and JSON Lines,
Parquet; any of them compressed, or in a zip archive. A zip with several
tables is read whole: the members are read in archive order and their rows
numbered on, one after the other; :attr:`RawTable.parts` says where each
member's rows start. ``member`` reads one member instead.

A file with no record (empty, or a header only) is an error: nothing could be
assessed, and "no notification required" must never come from an empty
export. Nothing read here is ever put into a message: errors name the file,
the row and what to try.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import InputError, ParameterError
from ._archive import Budget, check_declared_size, data_members, unpack, unzip
from ._common import Part, RawTable, check_width, no_rejects
from ._detect import (
    COMPRESSED,
    describe,
    display,
    expected_kind,
    format_from_name,
    inner_name,
    sniff_kind,
)
from ._excel import read_xlsx
from ._json import read_json
from ._parquet import read_parquet
from ._text import read_delimited

__all__ = ["RawTable", "Part", "read_table", "FORMATS", "sha256_file"]

FORMATS = ("csv", "tsv", "xlsx", "json", "jsonl", "parquet")
_MAX_DEPTH = 3
_MAX_MEMBERS = 1000
_UNPACK_ADVICE = {
    "xlsx": "Pass --input-format xlsx, or give the file the .xlsx extension.",
    "parquet": "Pass --input-format parquet, or give the file the .parquet extension.",
    "text": "Pass --input-format csv (or json), or give the file the .csv extension.",
    "zip": "Give the file the .zip extension, or pass --input-format with the format of the "
           "tables inside.",
}
_UNSUPPORTED = {
    "binary": "looks like binary data, not a table. Check the file; if it is UTF-16 text "
              "without a byte-order mark, pass --encoding utf-16.",
    "xls": "is a legacy Excel workbook (.xls), which exposure does not read. Save it as .xlsx "
           "or CSV and pass that.",
}


@dataclass(frozen=True)
class _Options:
    format: str | None
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    header: bool | None


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of a file, read in blocks (the audit trail of the input)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_table(path: str | Path, *, format: str | None = None, encoding: str | None = None,
               delimiter: str | None = None, sheet: str | None = None,
               member: str | None = None, header: bool | None = None) -> RawTable:
    """Read a leaked table as text columns, whatever its format.

    Parameters
    ----------
    path : str or Path
        The file to read.
    format : {"csv", "tsv", "xlsx", "json", "jsonl", "parquet"}, default=None
        The format of the table (inside any compression); from the content and
        the extension when None.
    encoding : str, default=None
        Text encoding; sniffed when None (a BOM, else UTF-8, else cp1252).
    delimiter : str, default=None
        Field delimiter of delimited text; sniffed among ``,`` ``;`` tab ``|``.
    sheet : str, default=None
        Sheet of a workbook, by name or 1-based number; the first when None.
    member : str, default=None
        The one file of a zip archive to read; all its tables when None.
    header : bool, default=None
        Whether the first line of text or of a sheet is a header; when None,
        it is unless one of its cells looks like a value (an e-mail, a phone
        number, a date, a number). Without a header, columns are named
        ``column_1``, ``column_2``...

    Returns
    -------
    RawTable

    Raises
    ------
    InputError
        The file is missing, empty, holds no record, is not what its name
        says, or cannot be read; the message says what to try.
    ParameterError
        ``format`` or ``delimiter`` is not one this function knows.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "leak.csv").write_text("Nom;Téléphone\\nDupont;0612345678\\nragged\\n")
    >>> table = read_table(folder / "leak.csv")
    >>> table.frame
       row     Nom   Téléphone
    0    1  Dupont  0612345678
    >>> table.rejected
       row                            reason
    0    2  1 fields where the header has 2
    """
    if format is not None and format not in FORMATS:
        raise ParameterError(f"The 'format' parameter of read_table must be one of "
                             f"{', '.join(FORMATS)}. Got {format!r} instead.")
    if delimiter is not None and len(delimiter) != 1:
        raise ParameterError("The 'delimiter' parameter of read_table must be a single "
                             f"character. Got {delimiter!r} instead.")
    path = Path(path)
    name = display(path.name)
    if path.is_dir():
        raise InputError(f"{name}: is a folder. Pass the leaked file itself.")
    if not path.exists():
        raise InputError(f"{name}: no such file.")
    if not path.is_file():
        raise InputError(f"{name}: is not a regular file. Pipe it in with `exposure score -`.")
    options = _Options(format, encoding, delimiter, sheet, header)
    budget = Budget(path.stat().st_size, name)
    with tempfile.TemporaryDirectory(prefix="exposure-") as folder:
        table = _read(path, name, path.name, options, member, budget, Path(folder), 0)
    if table.records_in == 0:
        if len(table.frame.columns) > 1:
            raise InputError(f"{name}: holds a header but no record, so there is nothing to "
                             "assess. Check that the export is complete.")
        raise InputError(f"{name}: the file is empty.")
    return table


def _read(path: Path, label: str, hint: str, options: _Options, member: str | None,
          budget: Budget, folder: Path, depth: int) -> RawTable:
    """Read ``path``; ``label`` names it in messages, ``hint`` is the name it came with."""
    kind = sniff_kind(path, encoding=options.encoding)
    _check_kind(kind, label, hint, options.format)
    if (kind in COMPRESSED or kind == "zip") and depth >= _MAX_DEPTH:
        raise InputError(f"{label}: archives nested more than {_MAX_DEPTH} deep. Unpack it "
                         "yourself and pass the files inside.")
    if kind in COMPRESSED:
        target = _scratch(folder)
        try:
            unpack(path, label, kind, target, budget)
            return _read(target, label, inner_name(hint), options, member, budget, folder,
                         depth + 1)
        finally:
            target.unlink(missing_ok=True)
    if kind == "zip":
        return _read_zip(path, label, options, member, budget, folder, depth)
    if member is not None:
        raise InputError(f"{label}: --member picks a file in a zip archive, and this is "
                         f"{describe(kind)}. Leave --member out.")
    if kind == "xlsx":
        check_declared_size(path, budget)
        return read_xlsx(path, label, sheet=options.sheet, header=options.header)
    if kind == "parquet":
        return read_parquet(path, label)
    fmt = options.format or format_from_name(hint) or _text_format(path)
    if fmt in ("json", "jsonl"):
        return read_json(path, label, encoding=options.encoding,
                         lines=True if fmt == "jsonl" else None)
    delimiter = options.delimiter or ("\t" if fmt == "tsv" else None)
    return read_delimited(path, label, delimiter=delimiter, encoding=options.encoding,
                          header=options.header)


def _check_kind(kind: str, label: str, hint: str, declared: str | None) -> None:
    if kind in _UNSUPPORTED:
        raise InputError(f"{label}: {_UNSUPPORTED[kind]}")
    if kind not in (*COMPRESSED, "zip", "xlsx", "parquet", "text"):
        raise InputError(f"{label}: is {describe(kind)}, not a table. Unpack or export the "
                         "table it holds as CSV or XLSX and pass that.")
    if declared is not None:
        expected = declared if declared in ("xlsx", "parquet") else "text"
        if kind in (*COMPRESSED, "zip") or kind == expected:
            return
    else:
        expected = expected_kind(hint)
        if expected is None or kind == expected:
            return
    if kind in COMPRESSED:
        advice = (f"Add {COMPRESSED[kind]} to its name, or pass --input-format with the format "
                  "of the table inside.")
    else:
        advice = _UNPACK_ADVICE[kind]
    raise InputError(f"{label}: is {describe(kind)}, not {describe(expected)}. {advice}")


def _text_format(path: Path) -> str:
    with open(path, "rb") as handle:
        head = handle.read(4096)
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        head = head.removeprefix(bom)
    start = head.replace(b"\x00", b"").lstrip()[:1]
    return "json" if start in (b"[", b"{") else "csv"


def _scratch(folder: Path) -> Path:
    handle, name = tempfile.mkstemp(dir=folder)
    os.close(handle)
    return Path(name)


def _read_zip(path: Path, label: str, options: _Options, member: str | None, budget: Budget,
              folder: Path, depth: int) -> RawTable:
    tables, others = data_members(path, label)
    notes: list[str] = []
    if member is not None:
        everything = tables + others
        chosen = ([info for info in everything if info.filename == member]
                  or [info for info in everything if Path(info.filename).name == member])
        if len(chosen) != 1:
            raise InputError(f"{label}: {'no' if not chosen else 'more than one'} member "
                             f"named '{display(member)}'. `unzip -l` lists the members; pass "
                             "the full path it shows.")
    else:
        chosen = tables
        if not chosen:
            raise InputError(f"{label}: holds no table (CSV, TSV, TXT, JSON, XLSX or Parquet, "
                             "maybe compressed). Pass --member NAME to read a file with "
                             "another extension.")
        if len(chosen) > _MAX_MEMBERS:
            raise InputError(f"{label}: {len(chosen)} tables in one archive, more than the "
                             f"{_MAX_MEMBERS} read together. Unzip it and score the files in "
                             "batches, or pass --member NAME.")
        if others:
            notes.append(f"{label}: skipped {len(others)} file(s) that are not tables by their "
                         "extension; pass --member NAME to read one.")
    read: list[tuple[str, RawTable]] = []
    for info in chosen:
        target = _scratch(folder)
        member_label = f"{label}: {display(info.filename)}"
        try:
            unzip(path, label, info, target, budget)
            read.append((display(info.filename), _read(target, member_label, info.filename,
                                                      options, None, budget, folder, depth + 1)))
        finally:
            target.unlink(missing_ok=True)
    return _concat(label, read, notes)


def _concat(label: str, read: list[tuple[str, RawTable]], notes: list[str]) -> RawTable:
    """One table from several, rows numbered on in order; missing columns are empty."""
    frames, rejected, parts = [], [], []
    offset = 0
    for member, table in read:
        frames.append(table.frame.assign(row=table.frame["row"] + offset))
        rejected.append(table.rejected.assign(row=table.rejected["row"] + offset))
        parts.append(Part(member, offset + 1, table.records_in))
        notes.extend(table.notes)
        offset += table.records_in
    check_width(len(set().union(*(table.frame.columns for _, table in read))), label)
    frame = pd.concat(frames, ignore_index=True)
    text = [column for column in frame.columns if column != "row"]
    if text:
        frame[text] = frame[text].fillna("")
    rejects = pd.concat(rejected, ignore_index=True)
    return RawTable(frame, rejects if len(rejects) else no_rejects(), offset, label,
                    parts=tuple(parts), notes=tuple(notes),
                    header_line=any(table.header_line for _, table in read))
