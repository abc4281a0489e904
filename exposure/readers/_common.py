"""What every reader shares: the result type, header names, and safe errors."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd
import pyarrow as pa

from ..errors import InputError

MAX_COLUMNS = 2048

# A first line with a cell shaped like one of these is a record, not a header.
_VALUE_SHAPES = re.compile(
    r"""\s*(?:
        [^@\s]+@[^@\s]+\.[A-Za-z]{2,}          # an e-mail
      | (?:\+|00)?\d[\d\s.\-()]{7,}\d          # a phone number, an identifier
      | \d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}.*      # a date
      | -?\d+(?:[.,]\d+)?                      # a number
    )\s*""", re.VERBOSE)


class Part(NamedTuple):
    """One file of an archive, and where its records sit among the rows.

    Attributes
    ----------
    name : str
        The member's name inside the archive.
    first_row : int
        ``row`` of its first record (1-based); its records follow contiguously.
    records : int
        How many records it holds (parsed or rejected).
    """

    name: str
    first_row: int
    records: int


@dataclass(frozen=True)
class RawTable:
    """What was read: the parsed records and the ones that could not be.

    Attributes
    ----------
    frame : DataFrame of shape (n_parsed, n_columns + 1)
        Every input column as text (missing cells are empty strings), plus
        ``row`` (int64, 1-based position in the input).
    rejected : DataFrame with columns ``row``, ``reason``
        Records that could not be parsed.
    records_in : int
        Records in the input: ``len(frame) + len(rejected)``.
    source : str
        The file name (no directory), for messages and the report.
    parts : tuple of Part, default=()
        The archive members read, in the order their rows are numbered.
    notes : tuple of str, default=()
        Things the user should know (another sheet was not read, a member
        was skipped); never a value read from the file.
    header_line : bool, default=False
        The first line of a text file or sheet was read as a header (so it
        is not a record).
    """

    frame: pd.DataFrame
    rejected: pd.DataFrame
    records_in: int
    source: str
    parts: tuple[Part, ...] = ()
    notes: tuple[str, ...] = field(default=())
    header_line: bool = False

    def __post_init__(self) -> None:
        if self.records_in != len(self.frame) + len(self.rejected):
            raise AssertionError("internal error: the reader lost track of records")


def check_width(width: int, name: str) -> None:
    """Refuse a table wider than any export of appointments (a wrong delimiter, or an attack).

    Thousands of columns cost minutes in every later stage for no record.
    """
    if width > MAX_COLUMNS:
        raise InputError(f"{name}: {width} columns, more than the {MAX_COLUMNS} a table of "
                         "appointments could have. Check the delimiter (--delimiter) and that "
                         "the file is a table.")


def unique_headers(header: list[str]) -> list[str]:
    """Column names from a header: stripped, blanks named, repeats numbered.

    ``row`` is taken by the record number, so an input column called ``row``
    becomes ``row_2``.

    Examples
    --------
    >>> unique_headers(["nom", "", "nom", "nom_2", " row "])
    ['nom', 'column_2', 'nom_3', 'nom_2', 'row_2']
    """
    used = {"row"}
    wanted = [raw.strip().lstrip("\ufeff") or f"column_{n}" for n, raw in
              enumerate(header, start=1)]
    # Names given by the file keep priority over the ones we make up.
    literal = {name for name in wanted if wanted.count(name) == 1 and name != "row"}
    names: list[str] = []
    for name in wanted:
        if name in literal:
            names.append(name)
            used.add(name)
            continue
        candidate, n = name, 1
        while candidate in used or candidate in literal:
            n += 1
            candidate = f"{name}_{n}"
        names.append(candidate)
        used.add(candidate)
    return names


def positional_names(width: int) -> list[str]:
    """Names for columns that have no header: ``column_1``, ``column_2``..."""
    return [f"column_{n}" for n in range(1, width + 1)]


def is_header(cells: list[str], header: bool | None) -> bool:
    """Whether the first line is a header: as told, else unless a cell looks like a value.

    Examples
    --------
    >>> is_header(["Nom", "Email", "Date du rendez-vous"], None)
    True
    >>> is_header(["Dupont", "marie@example.fr", "06/07/2020"], None)
    False
    """
    if header is not None:
        return header
    return not any(_VALUE_SHAPES.fullmatch(cell) for cell in cells if cell.strip())


def headerless_note(name: str, header: bool | None, has_header: bool) -> tuple[str, ...]:
    """Tell the user when the first line was guessed to be a record, not a header."""
    if header is None and not has_header:
        return (f"{name}: the first line looks like a record (a value such as an e-mail, a "
                "phone number or a date), so it was read as one and the columns are named "
                "column_1, column_2...; pass --header yes if it is a header.",)
    return ()


def no_rejects() -> pd.DataFrame:
    """An empty ``rejected`` table."""
    return rejects([], [])


def rejects(rows: list[int], reasons: list[str]) -> pd.DataFrame:
    """A ``rejected`` table: 1-based ``row`` and ``reason``."""
    return pd.DataFrame({"row": pd.Series(rows, dtype="int64"),
                         "reason": pd.Series(reasons, dtype="str")})


def from_columns(names: list[str], columns: list[list[str] | pa.ChunkedArray], rows: Sequence[int],
                 rejected: pd.DataFrame, source: str) -> RawTable:
    """A RawTable from text columns (all of one length) and their record numbers."""
    arrays = {name: values if isinstance(values, pa.ChunkedArray) else
              pa.array(values, type=pa.string()) for name, values in zip(names, columns)}
    frame = pa.table(arrays).to_pandas() if arrays else pd.DataFrame(index=range(len(rows)))
    frame.insert(0, "row", pd.Series(rows, dtype="int64"))
    return RawTable(frame, rejected, len(rows) + len(rejected), source)


def sanitised(exc: BaseException) -> InputError:
    """A cause that keeps the exception type but drops its text.

    Parser and codec messages quote the offending bytes, which are leaked
    data; with ``--verbose`` the traceback shows this cause instead.
    """
    return InputError(f"{type(exc).__name__} (details withheld: they quote the input)")
