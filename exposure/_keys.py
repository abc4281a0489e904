"""Integer codes for quasi-identifier keys, and matching with wildcards.

Private helpers shared by :mod:`exposure.reidentification`, :mod:`exposure.suda`
and :mod:`exposure.diversity`. Every key column becomes integer codes
(``-1`` for a missing value) once; all later work happens on distinct
combinations of codes, never on Python objects and never in a loop over records.

Wildcard matching follows sdcMicro's ``freqCalc``: a missing value matches any
value. Keys are grouped by their *missing-pattern* (the set of observed
columns; at most ``2 ** M`` patterns) and, for every pair of patterns
``(S, T)``, the keys of pattern ``T`` are aggregated on the columns observed in
both and looked up by the keys of pattern ``S``. The cost is that of a few
group-bys per pattern pair, whatever the number of records.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from exposure._sort_ids import dense_ids, sorted_ids
from exposure.errors import ParameterError

_DENSE_MIN = 1 << 20


def check_choice(value: object, name: str, func: str, choices: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``choices``, else raise ParameterError."""
    if not isinstance(value, str) or value not in choices:
        allowed = "{" + ", ".join(repr(c) for c in sorted(choices)) + "}"
        raise ParameterError(
            f"The {name!r} parameter of {func} must be one of {allowed}. Got {value!r} instead."
        )
    return value


def check_keys(frame: pd.DataFrame, keys: object, func: str) -> list[str]:
    """Validate ``keys``: a non-empty list of distinct column names of ``frame``."""
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(
            f"The 'frame' parameter of {func} must be a pandas DataFrame. "
            f"Got {type(frame).__name__} instead."
        )
    if isinstance(keys, str) or not isinstance(keys, Sequence | pd.Index):
        raise ParameterError(
            f"The 'keys' parameter of {func} must be a list of column names. Got {keys!r} instead."
        )
    keys = list(keys)
    if not keys:
        raise ParameterError(
            f"The 'keys' parameter of {func} must name at least one column. Got [] instead."
        )
    if len(set(keys)) != len(keys):
        raise ParameterError(
            f"The 'keys' parameter of {func} must not repeat a column. Got {keys!r} instead."
        )
    absent = [k for k in keys if k not in frame.columns]
    if absent:
        raise ParameterError(
            f"The 'keys' parameter of {func} must name columns of frame. Got {absent[0]!r} instead."
        )
    return keys


def _is_blank(uniques: object) -> np.ndarray:
    """Flag the unique values that are empty or whitespace-only strings."""
    if isinstance(getattr(uniques, "dtype", None), pd.StringDtype):
        # A value with a letter or a digit is not blank: only the others, few,
        # are given to Python's strip (one string at a time).
        values = pd.Series(uniques)
        maybe = ~values.str.contains("[0-9A-Za-z]").to_numpy(dtype=bool, na_value=True)
        blank = np.zeros(len(values), dtype=bool)
        blank[maybe] = _is_blank(values[maybe].to_numpy(dtype=object))
        return blank
    values = pd.Series(np.asarray(uniques, dtype=object), dtype=object)
    try:
        stripped = values.str.strip()
    except AttributeError:  # no string among the values
        return np.zeros(len(values), dtype=bool)
    return stripped.eq("").fillna(False).to_numpy(dtype=bool)


def _factorize(series: pd.Series) -> tuple[np.ndarray, object]:
    """``pd.factorize(series)``'s groups (not its numbering); a categorical is not hashed again.

    Its codes are used, renumbered over the categories in use.
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        return _in_use(series.cat.codes.to_numpy().astype(np.int64), series.cat.categories)
    return pd.factorize(series, use_na_sentinel=True)


def _in_use(codes: np.ndarray, uniques: object) -> tuple[np.ndarray, object]:
    """Codes into ``uniques`` (``-1`` for missing) renumbered over the values in use."""
    used = np.bincount(codes + 1, minlength=len(uniques) + 1)[1:] > 0
    if used.all():
        return codes, uniques
    number = np.append(np.cumsum(used) - 1, -1)  # the last slot is for code -1
    return number[codes], uniques[used]


def encode_column(series: pd.Series) -> tuple[np.ndarray, int]:
    """Integer codes of one column: ``-1`` for missing (NA, None, ``""``), and the cardinality.

    Equal values get equal codes; the codes themselves carry no order.
    """
    codes, uniques = _factorize(series)
    codes = codes.astype(np.int64, copy=False)
    dtype = getattr(uniques, "dtype", None)
    textual = dtype is None or not (
        pd.api.types.is_numeric_dtype(dtype)
        or pd.api.types.is_bool_dtype(dtype)
        or pd.api.types.is_datetime64_any_dtype(dtype)
    )
    if textual and len(uniques):
        blank = _is_blank(uniques)
        if blank.any():
            codes = np.where(blank[np.maximum(codes, 0)] & (codes >= 0), -1, codes)
    return codes, max(len(uniques), 1)


def encode_keys(frame: pd.DataFrame, keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Codes of shape (n_records, n_keys), ``-1`` where missing, and each column's cardinality."""
    columns = [encode_column(frame[k]) for k in keys]
    codes = np.empty((len(frame), len(keys)), dtype=np.int64)
    for j, (c, _) in enumerate(columns):
        codes[:, j] = c
    return codes, np.array([card for _, card in columns], dtype=np.int64)


def combine(codes: np.ndarray, cards: Sequence[int]) -> tuple[np.ndarray, int]:
    """One int64 code per row of non-negative ``codes``; equal rows get equal codes."""
    return combine_columns([codes[:, j] for j in range(codes.shape[1])], cards, len(codes))


def combine_columns(columns: Sequence[np.ndarray], radix: Sequence[int], n: int, *,
                    offset: int = 0) -> tuple[np.ndarray, int]:
    """One int64 code per row of ``columns`` (each, plus ``offset``, in ``[0, radix)``).

    Returns the codes and their range. Mixed-radix arithmetic, one column at
    a time (no matrix of the columns is made); when the radix product would
    pass what :func:`sort_with_positions` can sort (``2 ** (63 - bits of
    n)``), the partial code is first renumbered densely, in key order.

    Examples
    --------
    >>> combine_columns([np.array([0, 1, 1]), np.array([2, 0, 2])], [2, 3], 3)[0].tolist()
    [2, 3, 5]
    """
    limit = 1 << (63 - max((n - 1).bit_length(), 1))
    code = np.zeros(n, dtype=np.int64)
    size = 1
    for j, (column, card) in enumerate(zip(columns, (int(c) for c in radix), strict=True)):
        if j == 0:
            code = column.astype(np.int64)  # a copy, changed in place below
        else:
            if size * card > limit:
                code, size = _compress(code)
            code *= card
            code += column
        if offset:
            code += offset
        size *= card
    return code, size


def _compress(code: np.ndarray) -> tuple[np.ndarray, int]:
    ids, n_distinct = sorted_ids(code)
    return ids, max(n_distinct, 1)


def _dense(code: np.ndarray, size: int) -> tuple[np.ndarray, int]:
    """Make ``code`` small enough to index a table."""
    if size > max(_DENSE_MIN, 4 * len(code)):
        return _compress(code)
    return code, size


def distinct_rows(
    codes: np.ndarray, cards: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct rows of ``codes`` with a missing value treated as a value of its own.

    Returns the row id of each record, the distinct rows (ids in order of first
    appearance) and how many records each distinct row has.
    """
    return distinct_columns([codes[:, j] for j in range(codes.shape[1])], cards)


def distinct_columns(columns: Sequence[np.ndarray], cards: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`distinct_rows` of the rows that ``columns`` (codes, ``-1`` if missing) make.

    The distinct rows are stored column by column (Fortran order): the later
    work reads them a column at a time.
    """
    n = len(columns[0]) if len(columns) else 0
    code, _ = combine_columns(columns, [int(c) + 1 for c in cards], n, offset=1)
    ids, firsts = dense_ids(code)
    del code
    rows = np.empty((len(firsts), len(columns)), dtype=np.int64, order="F")
    for j, column in enumerate(columns):
        rows[:, j] = column[firsts]
    return ids, rows, np.bincount(ids, minlength=len(firsts))


def lookup(
    src: np.ndarray, values: np.ndarray, dst: np.ndarray, cards: Sequence[int], op: str
) -> np.ndarray:
    """Aggregate ``values`` of ``src`` rows by code; read the result for each ``dst`` row.

    ``src`` and ``dst`` hold non-negative codes over the same columns. ``op`` is
    ``"sum"`` (``values`` of shape (a, c), float) or ``"or"`` (uint64 bitsets,
    shape (a, w)). A ``dst`` row that matches no ``src`` row gets 0.
    """
    n_src = src.shape[0]
    if src.shape[1] == 0:
        total = values.sum(axis=0) if op == "sum" else np.bitwise_or.reduce(values, axis=0)
        return np.broadcast_to(total, (dst.shape[0],) + values.shape[1:]).copy()
    code, size = combine(np.concatenate([src, dst]), cards)
    code, size = _dense(code, size)
    src_code, dst_code = code[:n_src], code[n_src:]
    if op == "sum":
        out = np.empty((dst.shape[0], values.shape[1]), dtype=np.float64)
        for c in range(values.shape[1]):
            out[:, c] = np.bincount(src_code, weights=values[:, c], minlength=size)[dst_code]
        return out
    table = np.zeros((size, values.shape[1]), dtype=np.uint64)
    order = np.argsort(src_code, kind="stable")
    sorted_code = src_code[order]
    starts = (
        np.flatnonzero(np.r_[True, sorted_code[1:] != sorted_code[:-1]])
        if n_src
        else np.array([], int)
    )
    if n_src:
        table[sorted_code[starts]] = np.bitwise_or.reduceat(values[order], starts, axis=0)
    return table[dst_code]


def bits(mask: int) -> list[int]:
    """Positions of the set bits of ``mask`` (the observed columns of a pattern)."""
    return [j for j in range(mask.bit_length()) if mask >> j & 1]


def wildcard_reduce(rows: np.ndarray, cards: np.ndarray, values: np.ndarray, op: str) -> np.ndarray:
    """Aggregate ``values`` over all rows that match each row, missing values being wildcards.

    ``rows`` are distinct key rows (``-1`` = missing). Row ``d`` matches row
    ``e`` when, in every column, both are equal or one of them is missing. As in
    sdcMicro's ``freqCalc`` (alpha = 1): a row whose keys are all missing
    matches every row, but with two or more keys a complete row does not count
    the all-missing rows (sdcMicro's ``addAllNAtoKeys = FALSE``).
    """
    n_keys = rows.shape[1]
    full = (1 << n_keys) - 1
    observed = rows >= 0
    pattern = (observed * (1 << np.arange(n_keys, dtype=np.int64))).sum(axis=1)
    present = [int(p) for p in np.unique(pattern)]
    members = {p: np.flatnonzero(pattern == p) for p in present}
    out = np.zeros_like(values)
    total = values.sum(axis=0) if op == "sum" else np.bitwise_or.reduce(values, axis=0)
    for s in present:
        dst_idx = members[s]
        if s == 0:
            out[dst_idx] = total
            continue
        acc = np.zeros((len(dst_idx),) + values.shape[1:], dtype=values.dtype)
        for t in present:
            if s == full and t == 0 and n_keys > 1:
                continue
            cols = bits(s & t)
            src_idx = members[t]
            got = lookup(
                rows[np.ix_(src_idx, cols)],
                values[src_idx],
                rows[np.ix_(dst_idx, cols)],
                cards[cols],
                op,
            )
            acc = acc + got if op == "sum" else acc | got
        out[dst_idx] = acc
    return out


def key_frequencies(
    codes: np.ndarray, cards: np.ndarray, weights: np.ndarray | None, missing: str
) -> tuple[np.ndarray, np.ndarray]:
    """``fk`` and ``Fk`` per record from encoded keys (see ``individual_risk``)."""
    n = codes.shape[0]
    w = np.ones(n) if weights is None else weights
    if n == 0:
        return np.zeros(0), np.zeros(0)
    if missing == "category" or not (codes < 0).any():
        code, size = combine(codes + 1, cards + 1)
        if size > max(1 << 20, 4 * n):
            code = pd.factorize(code)[0]
            size = int(code.max()) + 1
        fk = np.bincount(code, minlength=size)[code].astype(np.float64)
        fw = fk if weights is None else np.bincount(code, weights=w, minlength=size)[code]
        return fk, fw
    ids, rows, counts = distinct_rows(codes, cards)
    values = np.column_stack([counts, np.bincount(ids, weights=w, minlength=len(counts))])
    per_key = wildcard_reduce(rows, cards, values, "sum")
    all_missing = (codes < 0).all(axis=1)
    fk, fw = per_key[ids, 0], per_key[ids, 1]
    if all_missing.any():
        fk = np.where(all_missing, float(n), fk)
        fw = np.where(all_missing, w.sum(), fw)
    if weights is None:
        fw = fk
    return fk, fw
