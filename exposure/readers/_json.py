"""JSON arrays and JSON Lines: each object is a record, its keys are columns.

A value that is an object or an array is kept as its JSON text; numbers keep
the digits written in the file; ``null`` is an empty cell. An item that is
not an object (a number, a string, an array) cannot be a record: it is
rejected with its position. In JSON Lines a record is a line (``row`` is the
line number); in an array it is an item.
"""

from __future__ import annotations

import codecs
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import InputError
from ._common import RawTable, check_width, from_columns, rejects, sanitised, unique_headers

__all__ = ["read_json", "json_text"]


def json_text(value: Any) -> str:
    """The text of one JSON value as a cell: strings as they are, the rest as JSON.

    Examples
    --------
    >>> json_text("Zoé"), json_text(None), json_text(Decimal("1.50")), json_text(True)
    ('Zoé', '', '1.50', 'true')
    >>> json_text({"ville": "Paris", "cp": ["75001", 2]})
    '{"ville": "Paris", "cp": ["75001", 2]}'
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_nested(item) for item in value) + "]"
    return "{" + ", ".join(f"{json.dumps(key, ensure_ascii=False)}: {_nested(item)}"
                           for key, item in value.items()) + "}"


def _nested(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else (
        "null" if value is None else json_text(value))


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Keep both values of a repeated key: the second becomes ``key_2``."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        candidate, n = key, 1
        while candidate in out:
            n += 1
            candidate = f"{key}_{n}"
        out[candidate] = value
    return out


def _loads(text: str) -> Any:
    return json.loads(text, object_pairs_hook=_object, parse_float=Decimal,
                      parse_constant=lambda constant: constant)


def read_json(path: Path, name: str, *, encoding: str | None, lines: bool | None) -> RawTable:
    """Read a JSON array of objects or JSON Lines; see :func:`exposure.readers.read_table`.

    ``lines`` None decides from the first character: ``[`` is an array.
    """
    raw = path.read_bytes()
    if encoding is None:
        encoding = "utf-16" if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) \
            else "utf-8-sig"
    try:
        text = raw.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputError(f"{name}: not {encoding} text. JSON is UTF-8; pass --encoding if "
                         "this file is not.") from sanitised(exc)
    if not text.strip():
        return from_columns([], [], [], rejects([], []), name)
    if lines is None:
        lines = not text.lstrip().startswith("[")
    items, numbers, rejected_rows, reasons = (_lines(text, name) if lines
                                              else _array(text, name))
    if not items and reasons:
        _not_records(text, name, lines)
    keys: dict[str, None] = {}
    for item in items:
        keys.update(dict.fromkeys(item))
        check_width(len(keys), name)
    names = unique_headers(list(keys)) if keys else []
    columns = [[json_text(item.get(key)) for item in items] for key in keys]
    return from_columns(names, columns, numbers, rejects(rejected_rows, reasons), name)


def _array(text: str, name: str) -> tuple[list[dict], list[int], list[int], list[str]]:
    try:
        data = _loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name}: not valid JSON (line {exc.lineno}, column {exc.colno}). "
                         "Check that the file is complete.") from sanitised(exc)
    except RecursionError as exc:
        raise InputError(f"{name}: JSON nested too deeply to be a table.") from sanitised(exc)
    if not isinstance(data, list):
        _not_records(text, name, False)
    items, numbers, rejected_rows, reasons = [], [], [], []
    for number, item in enumerate(data, start=1):
        if isinstance(item, dict):
            items.append(item)
            numbers.append(number)
        else:
            rejected_rows.append(number)
            reasons.append(f"a JSON {_kind(item)}, not an object")
    return items, numbers, rejected_rows, reasons


def _lines(text: str, name: str) -> tuple[list[dict], list[int], list[int], list[str]]:
    pieces = text.split("\n")  # not splitlines(): U+2028 may sit inside a string
    if pieces and not pieces[-1].strip():
        pieces.pop()  # the line break ending the last line
    items, numbers, rejected_rows, reasons = [], [], [], []
    for number, line in enumerate(pieces, start=1):
        if not line.strip():
            rejected_rows.append(number)
            reasons.append("empty row")
            continue
        try:
            item = _loads(line)
        except json.JSONDecodeError as exc:
            rejected_rows.append(number)
            reasons.append(f"not valid JSON (column {exc.colno})")
            continue
        except RecursionError:
            rejected_rows.append(number)
            reasons.append("JSON nested too deeply")
            continue
        if isinstance(item, dict):
            items.append(item)
            numbers.append(number)
        else:
            rejected_rows.append(number)
            reasons.append(f"a JSON {_kind(item)}, not an object")
    return items, numbers, rejected_rows, reasons


def _not_records(text: str, name: str, lines: bool) -> None:
    """Say why no record was found, the most likely cause first."""
    try:
        whole = _loads(text)
    except (json.JSONDecodeError, RecursionError):
        whole = None
    if isinstance(whole, dict):
        raise InputError(f"{name}: one JSON object, not a list of records. Extract the list "
                         "of records (for example with jq '.data') and pass that.")
    if lines:
        raise InputError(f"{name}: no line is a JSON object. Records are expected as one "
                         "object per line (JSON Lines), or as an array of objects; if the "
                         "file is a CSV, pass --input-format csv.")
    raise InputError(f"{name}: no item of the JSON array is an object. Records are expected "
                     "as an array of objects, or as JSON Lines.")


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    return "null" if value is None else "number"
