"""What a file is: its name says what to expect, its first bytes say what it is.

A leak arrives renamed, re-zipped, or piped in without a name; the content
decides how it is read. When the name promises one thing and the content is
another (a ``.csv`` that is a workbook), the user is told rather than
guessed for, unless ``--input-format`` says what the table is.
"""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

__all__ = ["COMPRESSED", "sniff_kind", "expected_kind", "format_from_name", "inner_name",
           "describe", "display"]

COMPRESSED = {"gzip": ".gz", "bzip2": ".bz2", "xz": ".xz"}

_MAGIC = (  # (prefix, kind), first match wins
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"PAR1", "parquet"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls"),
    (b"%PDF", "pdf"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "rar"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"SQLite format 3\x00", "sqlite"),
)
_DESCRIPTIONS = {
    "text": "text", "gzip": "gzip-compressed", "bzip2": "bzip2-compressed",
    "xz": "xz-compressed", "zip": "a zip archive", "xlsx": "an Excel workbook (XLSX)",
    "parquet": "a Parquet file", "binary": "binary data", "xls": "a legacy Excel workbook (.xls)",
    "pdf": "a PDF document", "7z": "a 7-Zip archive", "rar": "a RAR archive",
    "tar": "a tar archive", "zstd": "zstd-compressed", "sqlite": "an SQLite database",
}
_EXTENSIONS = {
    "csv": "text", "tsv": "text", "tab": "text", "txt": "text", "json": "text", "jsonl": "text",
    "ndjson": "text", "gz": "gzip", "gzip": "gzip", "bz2": "bzip2", "xz": "xz", "zip": "zip",
    "xlsx": "xlsx", "xlsm": "xlsx", "parquet": "parquet", "pq": "parquet", "xls": "xls",
}
_TEXT_FORMATS = {"csv": "csv", "txt": "csv", "tsv": "tsv", "tab": "tsv", "json": "json",
                 "jsonl": "jsonl", "ndjson": "jsonl"}
# Controls other than tab, line feed, form feed and carriage return.
_CONTROL = frozenset((*range(9), 11, *range(14, 32), 127))


def sniff_kind(path: Path, *, encoding: str | None = None) -> str:
    """What the first bytes of ``path`` say it is.

    One of ``text``, ``gzip``, ``bzip2``, ``xz``, ``zip``, ``xlsx``,
    ``parquet``, ``binary``, or a kind exposure does not read (``xls``,
    ``pdf``, ``7z``, ``rar``, ``tar``, ``zstd``, ``sqlite``).

    Text is anything without a known signature and with few control bytes;
    with an explicit ``encoding`` (UTF-16 is full of zero bytes) it is not
    checked here but after decoding.
    """
    with open(path, "rb") as handle:
        head = handle.read(1 << 16)
    for prefix, kind in _MAGIC:
        if head.startswith(prefix):
            return "xlsx" if kind == "zip" and _is_workbook(path) else kind
    if len(head) > 262 and head[257:262] == b"ustar":
        return "tar"
    if encoding or head.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "text"
    if sum(byte in _CONTROL for byte in head) > max(2, len(head) / 100):
        return "binary"
    return "text"


def _is_workbook(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def _suffix(name: str) -> str:
    return Path(name).suffix.lower().lstrip(".")


def expected_kind(name: str) -> str | None:
    """The kind a file name promises, or None when it says nothing (``stdin``, ``.dat``)."""
    return _EXTENSIONS.get(_suffix(name))


def format_from_name(name: str) -> str | None:
    """The table format of a text file from its extension, or None."""
    return _TEXT_FORMATS.get(_suffix(name))


def inner_name(name: str) -> str:
    """The name of what a compressed file holds: ``leak.csv.gz`` -> ``leak.csv``."""
    return name[: -len(Path(name).suffix)] if expected_kind(name) in COMPRESSED else name


def describe(kind: str) -> str:
    """A few words for a kind, for messages."""
    return _DESCRIPTIONS.get(kind, kind)


def display(name: str) -> str:
    """A file name fit for a one-line message: unprintable characters become ``?``."""
    return "".join(ch if ch.isprintable() else "?" for ch in name)
