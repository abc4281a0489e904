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

import functools
import operator
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._keys import bits, combine_columns, distinct_columns, encode_column, sorted_ids

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
    encoded = [encode_column(frame[key]) for key in keys]
    cards = np.array([card for _, card in encoded], dtype=np.int64)
    ids, rows, counts = distinct_columns([codes for codes, _ in encoded], cards)
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
    pattern = patterns(keyed.rows) if missing == "wildcard" else None
    if pattern is None or (pattern == (1 << keyed.rows.shape[1]) - 1).all():
        return fk, fw
    summed = np.column_stack([fk] if weights is None else [fk, fw])
    per_row = wildcard_sums(keyed.rows, keyed.cards, summed)
    fk, fw = per_row[:, 0], per_row[:, -1]
    all_missing = pattern == 0
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
    n = len(rows)
    code, size = base if base is not None else (np.zeros(n, dtype=np.int64), 1)
    rest = [c for c in cols if c not in set(base_cols)]
    if rest:
        more, more_size = combine_columns([rows[:, j] for j in rest],
                                          [int(cards[j]) + 1 for j in rest], n, offset=1)
        code, size = combine_columns([code, more], [size, more_size], n)
    if size > max(_DENSE_MIN, len(code)):
        code, size = sorted_ids(code)
    return code, max(size, 1)


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
    pattern = patterns(rows)
    present = [int(p) for p in np.flatnonzero(np.bincount(pattern))]
    always = functools.reduce(operator.and_, present, (1 << rows.shape[1]) - 1)
    if not always or len(present) < 2:
        return _wildcard_sums(rows, cards, values, pattern, present)
    # Rows match only rows alike on the columns every row observes (the
    # practitioner and the day, in a leak): a row alone on those matches only
    # itself, and its sum is its value (the other patterns add 0.0 to it).
    code, size = projection(rows, cards, bits(always))
    shared = np.flatnonzero(np.bincount(code, minlength=size)[code] > 1)
    del code
    out = values.copy()
    if len(shared):
        kept = pattern[shared]
        out[shared] = _wildcard_sums(np.asfortranarray(rows[shared]), cards, values[shared], kept,
                                     [int(p) for p in np.flatnonzero(np.bincount(kept))])
    return out


def _wildcard_sums(rows: np.ndarray, cards: np.ndarray, values: np.ndarray,
                   pattern: np.ndarray, present: list[int]) -> np.ndarray:
    """:func:`wildcard_sums` of ``rows``, whose missing-patterns are ``pattern``."""
    n_keys = rows.shape[1]
    full = (1 << n_keys) - 1
    members = {p: np.flatnonzero(pattern == p) for p in present}
    compared = {t: _compared(t, present, full, n_keys) for t in present}
    codes: dict[int, tuple[np.ndarray, int]] = {}
    at = {}  # (columns, destination pattern) -> the destination rows' codes on those columns
    acc = {s: np.zeros((len(members[s]), values.shape[1]), dtype=values.dtype) for s in present}
    # Sources outside, destinations inside: each row's sum still adds its sources
    # in pattern order, and the bins of one source pattern on one set of columns
    # are filled once for all the destinations that compare on those columns.
    for t in present:
        src = members[t]
        for common, targets in compared[t].items():
            if not common:
                total = values[src].sum(axis=0)
                for s in targets:
                    acc[s] += total
                continue
            if common == full:  # t == s == full: each row is its own bin
                acc[full] += values[src]
                continue
            if common not in codes:
                codes[common] = _coded(rows, cards, common, codes)
            code, size = codes[common]
            bins = np.column_stack([np.bincount(code[src], weights=values[src, c], minlength=size)
                                    for c in range(values.shape[1])])
            for s in targets:
                if (common, s) not in at:
                    at[common, s] = code[members[s]]
                acc[s] += bins[at[common, s]]
    out = np.zeros_like(values)
    for s in present:
        out[members[s]] = values.sum(axis=0) if s == 0 else acc[s]
    return out


def patterns(rows: np.ndarray) -> np.ndarray:
    """The missing-pattern of each row: bit ``j`` set when column ``j`` is observed.

    Examples
    --------
    >>> patterns(np.array([[0, 4, -1], [-1, -1, -1]])).tolist()
    [3, 0]
    """
    n_keys = rows.shape[1]
    pattern = np.zeros(len(rows), dtype=np.uint8 if n_keys <= 8 else np.int64)
    for j in range(n_keys):
        observed = (rows[:, j] >= 0).astype(pattern.dtype)
        observed <<= j
        pattern |= observed
    return pattern.astype(np.int64, copy=False)


def _compared(t: int, present: list[int], full: int, n_keys: int) -> dict[int, list[int]]:
    """The patterns that rows of pattern ``t`` count for, by the columns both observe."""
    compared: dict[int, list[int]] = {}
    for s in present:
        if s == 0 or (s == full and t == 0 and n_keys > 1):
            continue  # all-missing rows match all; sdcMicro's addAllNAtoKeys = FALSE
        compared.setdefault(s & t, []).append(s)
    return compared


def _coded(rows: np.ndarray, cards: np.ndarray, mask: int,
           known: dict[int, tuple[np.ndarray, int]]) -> tuple[np.ndarray, int]:
    """The projection of ``rows`` on the columns of ``mask``, from the largest known within it."""
    within = [m for m in known if m & mask == m and m != mask]
    if not within:
        return projection(rows, cards, bits(mask))
    base = max(within, key=int.bit_count)
    return projection(rows, cards, bits(mask), base=known[base], base_cols=bits(base))
