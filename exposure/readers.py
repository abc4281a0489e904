"""Read a leaked table from disk, every cell as text, every record accounted for.

This is the input edge of the pipeline. It guesses the format from the
extension (``--format`` overrides), sniffs the encoding and the delimiter of
delimited text, and gives every record ``row``: its 1-based position among the
records of the input (the header is not a record). A record that cannot be
parsed (a ragged line) is not dropped: it goes to ``rejected`` with its row
number and a reason, so that ``records_in == len(frame) + len(rejected)``.

Nothing read here is ever put into a message: errors name the file, the row
and what to try.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from .errors import InputError

__all__ = ["RawTable", "read_table", "FORMATS", "sha256_file"]

FORMATS = ("csv", "tsv", "parquet")
_DELIMITERS = (",", ";", "\t", "|")
_SNIFF_BYTES = 1 << 20


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
    """

    frame: pd.DataFrame
    rejected: pd.DataFrame
    records_in: int
    source: str


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of a file, read in blocks (the audit trail of the input)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_table(path: str | Path, *, format: str | None = None, encoding: str | None = None,
               delimiter: str | None = None) -> RawTable:
    """Read a CSV, TSV or Parquet file as text columns.

    Parameters
    ----------
    path : str or Path
        The file to read.
    format : {"csv", "tsv", "parquet"}, default=None
        Guessed from the extension when None (anything unknown is read as
        delimited text).
    encoding : str, default=None
        Text encoding; sniffed when None (UTF-8, UTF-8 with BOM, else cp1252).
    delimiter : str, default=None
        Field delimiter; sniffed when None among ``,`` ``;`` tab and ``|``.

    Returns
    -------
    RawTable

    Raises
    ------
    InputError
        The file is missing, empty, or not a table; the message says what to try.
    """
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise InputError(f"{name}: no such file.")
    fmt = format or _guess_format(path)
    if fmt not in FORMATS:
        raise InputError(f"{name}: unknown format '{fmt}'. Use one of: {', '.join(FORMATS)}.")
    if fmt == "parquet":
        return _read_parquet(path)
    return _read_delimited(path, "\t" if fmt == "tsv" and delimiter is None else delimiter,
                           encoding)


def _guess_format(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    return {"tsv": "tsv", "tab": "tsv", "parquet": "parquet", "pq": "parquet"}.get(suffix, "csv")


def _read_parquet(path: Path) -> RawTable:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(f"{path.name}: not a readable Parquet file. "
                         "Check the file, or try --format csv.") from _sanitised(exc)
    columns = {name: table.column(name).cast(pa.string()).fill_null("")
               for name in table.column_names}
    frame = pa.table(columns).to_pandas()
    frame.insert(0, "row", pd.RangeIndex(1, len(frame) + 1, dtype="int64"))
    return RawTable(frame, _no_rejects(), len(frame), path.name)


def _read_delimited(path: Path, delimiter: str | None, encoding: str | None) -> RawTable:
    with open(path, "rb") as handle:
        sample = handle.read(_SNIFF_BYTES)
    if not sample.strip():
        raise InputError(f"{path.name}: the file is empty.")
    encoding = encoding or _sniff_encoding(sample)
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"{path.name}: unknown encoding '{encoding}'. "
                         "Try --encoding utf-8 or --encoding cp1252.") from None
    text_sample = sample.decode(encoding, errors="replace")
    delimiter = delimiter or _sniff_delimiter(text_sample)
    header = next(csv.reader(io.StringIO(text_sample), delimiter=delimiter), [])
    if not any(cell.strip() for cell in header):
        raise InputError(f"{path.name}: the first line is blank; a header line is expected.")
    names = _unique_headers(header)
    return _parse(path, names, delimiter, encoding)


def _sniff_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        # A sample cut in the middle of a multi-byte character is still UTF-8.
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3:
            return "utf-8"
    return "cp1252"


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header into most fields, and the other lines alike.

    Each candidate is tried with the csv module (so delimiters inside quotes
    do not count) on the first lines; the one giving the most lines with the
    header's field count wins, then the one giving more fields. csv.Sniffer
    is not used: it picks a delimiter absent from the text on ragged samples.
    """
    lines = text.splitlines()[:50]
    if len(lines) > 1:
        lines = lines[:-1]  # the sample may end in the middle of a line
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        widths = [len(fields) for fields in csv.reader(lines, delimiter=delimiter) if fields]
        if not widths or widths[0] < 2:
            continue
        score = (sum(width == widths[0] for width in widths), widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _unique_headers(header: list[str]) -> list[str]:
    """Blank headers become ``column_N``; repeated ones get ``_2``, ``_3``..."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for position, raw in enumerate(header, start=1):
        name = raw.strip().lstrip("\ufeff") or f"column_{position}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 1
        names.append(name)
    return names


def _parse(path: Path, names: list[str], delimiter: str, encoding: str) -> RawTable:
    invalid: list[tuple[int | None, str]] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        reason = "empty row" if row.actual_columns <= 1 and not (row.text or "").strip() else (
            f"{row.actual_columns} fields where the header has {row.expected_columns}")
        invalid.append((row.number, reason))
        return "skip"

    arrow_encoding = "utf8" if encoding.replace("-", "").lower() in ("utf8", "utf8sig") else encoding
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1,
                                           encoding=arrow_encoding, use_threads=True),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                             ignore_empty_lines=False,
                                             invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in names},
                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise InputError(f"{path.name}: cannot be read as delimited text with encoding "
                         f"{encoding}. Try --encoding cp1252 or check that the file is a "
                         "CSV.") from _sanitised(exc)
    parsed = table.num_rows
    records_in = parsed + len(invalid)
    if not invalid:
        rows = pd.RangeIndex(1, parsed + 1)
        frame = table.to_pandas()
        frame.insert(0, "row", pd.Series(rows, dtype="int64"))
        return RawTable(frame, _no_rejects(), records_in, path.name)
    numbers = [number for number, _ in invalid]
    if None in numbers or _physical_lines(path) != records_in + 1:
        # A quoted field holds a line break, so line numbers are not record
        # numbers: count records exactly with the csv module (slower, rare).
        return _parse_exactly(path, names, delimiter, encoding)
    rejected_rows = [number - 1 for number in numbers]  # line 1 is the header
    keep = pd.Index(range(1, records_in + 1)).difference(rejected_rows)
    frame = table.to_pandas()
    frame.insert(0, "row", pd.Series(keep, dtype="int64"))
    rejected = pd.DataFrame({"row": pd.Series(rejected_rows, dtype="int64"),
                             "reason": [reason for _, reason in invalid]})
    return RawTable(frame, rejected, records_in, path.name)


def _physical_lines(path: Path) -> int:
    count, last = 0, b"\n"
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            count += block.count(b"\n")
            last = block[-1:]
    return count + (last != b"\n")


def _parse_exactly(path: Path, names: list[str], delimiter: str, encoding: str) -> RawTable:
    width = len(names)
    good: list[list[str]] = []
    good_rows: list[int] = []
    rejected_rows: list[int] = []
    reasons: list[str] = []
    with open(path, newline="", encoding=encoding, errors="replace") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        next(reader, None)
        for number, fields in enumerate(reader, start=1):
            if len(fields) == width:
                good.append(fields)
                good_rows.append(number)
            else:
                rejected_rows.append(number)
                reasons.append("empty row" if not any(f.strip() for f in fields)
                               else f"{len(fields)} fields where the header has {width}")
    frame = pd.DataFrame(good, columns=names, dtype="str")
    frame.insert(0, "row", pd.Series(good_rows, dtype="int64"))
    rejected = pd.DataFrame({"row": pd.Series(rejected_rows, dtype="int64"), "reason": reasons})
    return RawTable(frame, rejected, len(good_rows) + len(rejected_rows), path.name)


def _no_rejects() -> pd.DataFrame:
    return pd.DataFrame({"row": pd.Series([], dtype="int64"), "reason": pd.Series([], dtype="str")})


def _sanitised(exc: BaseException) -> InputError:
    """A cause that keeps the exception type but drops its text.

    Arrow and codec messages quote the offending bytes, which are leaked data;
    with ``--verbose`` the traceback shows this cause instead.
    """
    return InputError(f"{type(exc).__name__} (details withheld: they quote the input)")
