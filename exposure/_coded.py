"""Columns as integer codes into their distinct values, for the normalise stage.

A leak of ten million appointments holds far fewer distinct names, phones or
dates than records. Each column is dictionary-encoded once (pyarrow): string
work then runs on the distinct values (:class:`Coded`), and records get the
results by code, gathered by Arrow or numpy. The codes of the cells as read
also tell identical records apart (:func:`duplicated`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .normalize import broadcast

__all__ = ["Coded", "duplicated", "encode", "raw_codes"]


@dataclass(frozen=True)
class Coded:
    """Records as codes into distinct values: the work is done on ``values`` only.

    Attributes
    ----------
    codes : ndarray of int of shape (n_records,)
        Position of each record's value in ``values``; -1 for no value.
    values : Series of shape (n_values,)
        The values (text, or a normaliser's result for it). They need not be
        distinct nor all used; there are far fewer of them than records.
    """

    codes: np.ndarray
    values: pd.Series

    def map(self, func: Callable[[pd.Series], pd.Series | pd.DataFrame]) -> Coded:
        """The same records, with ``func`` applied to each distinct value."""
        return Coded(self.codes, func(self.values).reset_index(drop=True))

    def field(self, name: str) -> Coded:
        """One column of a :meth:`map` whose ``func`` returned a DataFrame."""
        return Coded(self.codes, self.values[name])

    def where(self, keep: pd.Series) -> Coded:
        """Records whose value fails ``keep`` (one bool per distinct value) lose it."""
        keep = np.asarray(keep, dtype=bool)
        if keep.all():
            return self
        return Coded(np.where(np.append(keep, False)[self.codes], self.codes, -1), self.values)

    def without(self, dropped: np.ndarray) -> Coded:
        """:meth:`where` ``~dropped``, and the dropped values blanked: no normaliser reads them."""
        if not dropped.any():
            return self
        return Coded(self.where(~dropped).codes, self.values.mask(dropped, ""))

    def gather(self, per_value: np.ndarray, missing: object) -> np.ndarray:
        """``per_value`` (one per distinct value, numpy) for each record; ``missing`` if none."""
        return np.append(per_value, np.array([missing], dtype=per_value.dtype))[self.codes]

    def present(self) -> np.ndarray:
        """True for each record with a (non-missing) value."""
        return self.gather(self.values.notna().to_numpy(dtype=bool), False)

    def fillna(self, other: Coded) -> Coded:
        """This value, else ``other``'s: codes of ``other`` follow this column's values."""
        codes = np.where(self.present(), self.codes,
                         np.where(other.codes >= 0, other.codes + len(self.values), -1))
        values = pd.concat([self.values, other.values], ignore_index=True)
        return Coded(codes, values)

    def take(self, rows: np.ndarray | slice) -> Coded:
        """Only the records at ``rows``."""
        return Coded(self.codes[rows], self.values)

    def per_record(self, index: pd.Index) -> pd.Series:
        """One value per record (missing where there is none)."""
        return broadcast(self.codes, self.values, index)

    def categorical(self, index: pd.Index) -> pd.Series:
        """One value per record, as a Categorical of the distinct values records hold, sorted.

        Sorted, so that sorting or grouping by the column orders as the text
        does; no unused category, so that counting by category counts no zero.
        """
        used = np.bincount(self.codes[self.codes >= 0], minlength=len(self.values)) > 0
        value_codes, categories = pd.factorize(self.values.where(used), sort=True,
                                               use_na_sentinel=True)
        codes = np.append(value_codes, -1)[self.codes]
        categories = pd.Index(categories, dtype="str")
        return pd.Series(pd.Categorical.from_codes(codes, categories=categories), index=index)


def _arrow(column: pd.Series) -> pa.ChunkedArray:
    """The column's Arrow data (text columns as read are Arrow-backed: no copy)."""
    data = pa.array(column, from_pandas=True)
    return pa.chunked_array([data]) if isinstance(data, pa.Array) else data


def _dictionary(values: pa.ChunkedArray) -> tuple[np.ndarray, pa.Array]:
    """Codes (-1 for null) and distinct values of an Arrow array, by one hash pass."""
    encoded = pc.dictionary_encode(values)
    if encoded.num_chunks == 0:
        return np.zeros(0, dtype=np.int32), pa.array([], values.type)
    indices = pa.concat_arrays([chunk.indices for chunk in encoded.chunks])
    return indices.fill_null(-1).to_numpy(), encoded.chunk(0).dictionary


def raw_codes(column: pd.Series) -> np.ndarray:
    """Codes of the cells as read (-1 for missing): equal cells, equal codes.

    These tell identical records apart exactly as ``DataFrame.duplicated``
    does (" a" is not "a", 1 is not "1").
    """
    if column.dtype == "str":
        return _dictionary(_arrow(column))[0]
    return pd.factorize(column, use_na_sentinel=True)[0]


def encode(column: pd.Series) -> tuple[np.ndarray, Coded]:
    """:func:`raw_codes`, and the stripped non-blank text of the cells (what normalisers read).

    A text column as read is hashed once for both: the text's values are the
    distinct cells stripped (two may strip alike: the work on them is merely
    done twice), and a cell blank once stripped has no value.

    Examples
    --------
    >>> raw, text = encode(pd.Series(["a", " a", "", "a", None], dtype="str"))
    >>> raw.tolist(), text.codes.tolist(), text.values.tolist()
    ([0, 1, 2, 0, -1], [0, 1, -1, 0, -1], ['a', 'a', ''])
    """
    text = column if column.dtype == "str" else column.astype("str")
    raw, distinct = _dictionary(_arrow(text))
    key = raw if text is column else raw_codes(column)
    stripped = pc.utf8_trim_whitespace(distinct)
    blank = pc.equal(stripped, "").to_numpy(zero_copy_only=False)
    codes = np.where(np.append(blank, False)[raw], -1, raw) if blank.any() else raw
    return key, Coded(codes, pd.Series(stripped, dtype="str"))


def row_hash(columns: list[np.ndarray], n_records: int) -> np.ndarray:
    """A 64-bit hash of each record's codes (equal records, equal hashes)."""
    digest = np.zeros(n_records, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for codes in columns:
            digest ^= codes.astype(np.uint64) + np.uint64(1)
            digest *= np.uint64(0x9E3779B97F4A7C15)
            digest ^= digest >> np.uint64(29)
    return digest


def duplicated(columns: list[np.ndarray], n_records: int) -> np.ndarray:
    """True for each record equal in every column to an earlier one (missing equals missing).

    The records whose hash is shared are the only candidates, and only those
    are compared code by code: a hash collision never makes a duplicate.

    Parameters
    ----------
    columns : list of ndarray of int of shape (n_records,)
        Each column's codes (-1 for missing), as :func:`raw_codes` gives them.
    n_records : int

    Returns
    -------
    ndarray of bool of shape (n_records,)

    Examples
    --------
    >>> duplicated([np.array([0, 1, 0, 0]), np.array([-1, 2, -1, 3])], 4).tolist()
    [False, False, True, False]
    """
    if not columns:
        return np.zeros(n_records, dtype=bool)
    candidates = np.flatnonzero(
        pd.Series(row_hash(columns, n_records)).duplicated(keep=False).to_numpy())
    duplicate = np.zeros(n_records, dtype=bool)
    if len(candidates):
        rows = np.stack([codes[candidates] for codes in columns], axis=1)
        _, group = np.unique(rows, axis=0, return_inverse=True)
        duplicate[candidates] = pd.Series(group.ravel()).duplicated().to_numpy()
    return duplicate
