"""Parquet: every column cast to text, nested values as JSON.

Strings that are not valid UTF-8 (Parquet does not check) are decoded with
replacement characters rather than failing the file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa

from ..errors import InputError
from ._common import RawTable, check_width, from_columns, no_rejects, sanitised, unique_headers

__all__ = ["read_parquet"]


def read_parquet(path: Path, name: str) -> RawTable:
    """Read a Parquet file as text columns; see :func:`exposure.readers.read_table`."""
    import pyarrow.parquet as pq

    try:
        check_width(len(pq.read_schema(path).names), name)
        table = pq.read_table(path)
        columns = [_as_text(column) for column in table.columns]
    except (pa.ArrowException, OSError, ValueError, TypeError) as exc:
        raise InputError(f"{name}: not a readable Parquet file. Check the file, or try "
                         "--input-format csv.") from sanitised(exc)
    names = unique_headers([str(field) for field in table.column_names])
    return from_columns(names, columns, range(1, table.num_rows + 1), no_rejects(), name)


def _as_text(column: pa.ChunkedArray) -> pa.ChunkedArray | list[str]:
    kind = column.type
    if pa.types.is_nested(kind):
        return ["" if value is None else json.dumps(value, ensure_ascii=False, default=str)
                for value in column.to_pylist()]
    if not (pa.types.is_binary(kind) or pa.types.is_large_binary(kind)
            or pa.types.is_fixed_size_binary(kind)):
        text = column.cast(pa.string()).fill_null("")
        try:
            text.validate(full=True)  # Parquet does not promise valid UTF-8
            return text
        except pa.ArrowInvalid:
            column = column.cast(pa.large_binary())
    return ["" if value is None else value.decode("utf-8", errors="replace")
            for value in column.to_pylist()]
