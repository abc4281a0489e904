"""Quasi-identifier keys as distinct rows of codes, and their wildcard frequencies.

The records of a leak are encoded once (:func:`key_rows`): each becomes the
id of its distinct key row, and every later measure (``fk``, ``Fk``,
homogeneity, MSUs) works on the rows and is broadcast back by id.

:func:`wildcard_sums` gives what :func:`exposure._keys.wildcard_reduce` gives
for sums, but codes the rows on each set of compared columns once, where
``wildcard_reduce`` codes them again for every pair of missing-patterns: the
same bins, filled in the same order, hence the same floating-point sums.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._keys import bits, combine, distinct_rows, encode_keys

__all__ = ["KeyRows", "frequencies", "key_rows", "projection", "wildcard_sums"]

_DENSE_MIN = 1 << 20


@dataclass(frozen=True)
class KeyRows:
    """The distinct key rows of some records.

    Attributes
    ----------
    ids : ndarray of int64, shape (n_records,)
        The row of each record.
    rows : ndarray of int64, shape (n_rows, n_keys)
        Each distinct combination of codes, ``-1`` where missing (a value of its own).
    counts : ndarray of int64, shape (n_rows,)
        Records per row.
    cards : ndarray of int64, shape (n_keys,)
        Distinct values of each key.
    """

    ids: np.ndarray
    rows: np.ndarray
    counts: np.ndarray
    cards: np.ndarray


def key_rows(frame: pd.DataFrame, keys: Sequence[str]) -> KeyRows:
    """Encode the ``keys`` columns of ``frame`` once (``""``, NA and blanks are missing).

    Examples
    --------
    >>> keyed = key_rows(pd.DataFrame({"sex": ["F", "F", None], "zip": ["1", "1", "2"]}),
    ...                  ["sex", "zip"])
    >>> keyed.ids.tolist(), keyed.rows.tolist(), keyed.counts.tolist()
    ([0, 0, 1], [[0, 0], [-1, 1]], [2, 1])
    """
    codes, cards = encode_keys(frame, keys)
    ids, rows, counts = distinct_rows(codes, cards)
    return KeyRows(ids, rows, counts.astype(np.int64, copy=False), cards)


def frequencies(keyed: KeyRows, weights: np.ndarray | None,
                missing: str) -> tuple[np.ndarray, np.ndarray]:
    """``fk`` and ``Fk`` of each row, as :func:`exposure._keys.key_frequencies` gives its records.

    ``missing="wildcard"``: a missing value matches any value (sdcMicro's
    ``freqCalc``); ``"category"``: it is a value of its own. Without
    ``weights``, ``Fk`` is ``fk``.

    Examples
    --------
    >>> keyed = key_rows(pd.DataFrame({"sex": ["F", "F", None, "M"]}), ["sex"])
    >>> [f.tolist() for f in frequencies(keyed, None, "wildcard")]
    [[3.0, 4.0, 2.0], [3.0, 4.0, 2.0]]
    """
    n_rows = len(keyed.rows)
    fk = keyed.counts.astype(np.float64)
    fw = (fk if weights is None
          else np.bincount(keyed.ids, weights=weights, minlength=n_rows))
    if missing == "category" or not (keyed.rows < 0).any():
        return fk, fw
    summed = np.column_stack([fk] if weights is None else [fk, fw])
    per_row = wildcard_sums(keyed.rows, keyed.cards, summed)
    fk, fw = per_row[:, 0], per_row[:, -1]
    all_missing = (keyed.rows < 0).all(axis=1)
    if all_missing.any():
        n = len(keyed.ids)
        fk = np.where(all_missing, float(n), fk)
        fw = np.where(all_missing, float(n) if weights is None else weights.sum(), fw)
    return fk, (fk if weights is None else fw)


def projection(rows: np.ndarray, cards: np.ndarray, cols: Sequence[int], *,
               base: tuple[np.ndarray, int] | None = None,
               base_cols: Sequence[int] = ()) -> tuple[np.ndarray, int]:
    """Dense codes of ``rows`` on ``cols`` (a missing value is a value of its own), and their range.

    ``base``, the dense codes of the same rows on ``base_cols`` (a subset of
    ``cols``), saves coding those columns again.

    Examples
    --------
    >>> rows = np.array([[0, 1], [0, -1], [1, 1]])
    >>> code, size = projection(rows, np.array([2, 2]), [0])
    >>> code.tolist(), size
    ([1, 1, 2], 3)
    >>> projection(rows, np.array([2, 2]), [0, 1], base=(code, size), base_cols=[0])[0].tolist()
    [5, 3, 8]
    """
    code, size = base if base is not None else (np.zeros(len(rows), dtype=np.int64), 1)
    rest = [c for c in cols if c not in set(base_cols)]
    if rest:
        more, more_size = combine(rows[:, rest] + 1, cards[rest] + 1)
        code, size = combine(np.column_stack([code, more]), [size, more_size])
    if size > max(_DENSE_MIN, 4 * len(code)):
        code = pd.factorize(code)[0].astype(np.int64, copy=False)
        size = int(code.max()) + 1 if len(code) else 1
    return code, size


def wildcard_sums(rows: np.ndarray, cards: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Sum ``values`` over the rows that match each row, missing values being wildcards.

    Equal to ``_keys.wildcard_reduce(rows, cards, values, "sum")`` bit for bit
    (see the module docstring).

    Parameters
    ----------
    rows : ndarray of shape (n_rows, n_keys)
        Distinct key rows, ``-1`` where missing.
    cards : ndarray of shape (n_keys,)
    values : ndarray of float, shape (n_rows, n_values)

    Returns
    -------
    ndarray of shape (n_rows, n_values)

    Examples
    --------
    >>> rows = np.array([[0, 0], [0, -1], [1, 0]])
    >>> wildcard_sums(rows, np.array([2, 1]), np.array([[1.0], [2.0], [4.0]])).ravel().tolist()
    [3.0, 3.0, 4.0]
    """
    n_keys = rows.shape[1]
    full = (1 << n_keys) - 1
    pattern = ((rows >= 0) * (1 << np.arange(n_keys, dtype=np.int64))).sum(axis=1)
    present = [int(p) for p in np.unique(pattern)]
    members = {p: np.flatnonzero(pattern == p) for p in present}
    codes: dict[int, tuple[np.ndarray, int]] = {full: (np.arange(len(rows)), len(rows))}
    out = np.zeros_like(values)
    for s in present:
        dst = members[s]
        if s == 0:
            out[dst] = values.sum(axis=0)
            continue
        acc = np.zeros((len(dst), values.shape[1]), dtype=values.dtype)
        for t in present:
            if s == full and t == 0 and n_keys > 1:
                continue  # sdcMicro's addAllNAtoKeys = FALSE
            src, common = members[t], s & t
            if not common:
                acc = acc + values[src].sum(axis=0)
                continue
            if common not in codes:
                codes[common] = _coded(rows, cards, common, codes)
            code, size = codes[common]
            got = np.empty_like(acc)
            for c in range(values.shape[1]):
                got[:, c] = np.bincount(code[src], weights=values[src, c],
                                        minlength=size)[code[dst]]
            acc = acc + got
        out[dst] = acc
    return out


def _coded(rows: np.ndarray, cards: np.ndarray, mask: int,
           known: dict[int, tuple[np.ndarray, int]]) -> tuple[np.ndarray, int]:
    """The projection of ``rows`` on the columns of ``mask``, from the largest known within it."""
    within = [m for m in known if m & mask == m and m != mask]
    if not within:
        return projection(rows, cards, bits(mask))
    base = max(within, key=int.bit_count)
    return projection(rows, cards, bits(mask), base=known[base], base_cols=bits(base))
