"""Distinct values and distinct rows: columns as small integer codes, texts built once.

Text with few distinct values (a specialty, a reason code) is coded once
and read through its codes: a record holds a byte, not a string to hash
again. Reasons and explanations depend on a dozen columns that take a few
thousand distinct combinations across millions of patients or records: each
text is built once per distinct row (:func:`on_distinct_rows`), the rows
grouped by folding their codes, where
:func:`exposure.normalize.on_unique_rows` hashes every column.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .normalize import on_groups

__all__ = ["category_at", "coded_rank", "distinct_rows", "on_distinct_rows", "sort_rank",
           "sorted_codes", "take_category", "take_text"]


def sorted_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Each value's position among the distinct values sorted (-1 where missing), and those values.

    A categorical is read through its codes, and its categories are ranked by
    value, whatever their order and including none that is unused: codes and
    values are those of the same values as text. (``pd.factorize(sort=True)``
    would follow the category order, and name the categorical's values with a
    CategoricalIndex, which ``Categorical.from_codes`` reads as all its
    categories.)

    Examples
    --------
    >>> ranked = pd.Series(pd.Categorical(["d", None, "b"], categories=["d", "c", "b"]))
    >>> codes, distinct = sorted_codes(ranked)
    >>> codes.tolist(), distinct.tolist()
    ([1, -1, 0], ['b', 'd'])
    """
    if isinstance(values.dtype, np.dtype) and values.dtype.kind in "iu" and len(values):
        numbers = values.to_numpy()
        offset = numbers.astype(np.intp) - numbers.min()
        if offset.max() < 2 * len(offset):  # a small range (a DPC): counted, not hashed
            present = np.bincount(offset) > 0
            distinct = (np.flatnonzero(present) + numbers.min()).astype(numbers.dtype)
            dense = (np.cumsum(present) - 1).astype(_code_type(len(distinct)))
            return dense[offset], pd.Index(distinct)
    if not isinstance(values.dtype, pd.CategoricalDtype):
        codes, distinct = pd.factorize(values, sort=True, use_na_sentinel=True)
        return codes.astype(_code_type(len(distinct))), pd.Index(distinct)
    raw = values.cat.codes.to_numpy()
    names = values.cat.categories
    used = np.flatnonzero(np.bincount(raw + 1, minlength=len(names) + 1)[1:])
    by_value = used[names[used].argsort()]
    rank = np.full(len(names) + 1, -1, dtype=np.int64)  # the last slot is read by code -1
    rank[by_value] = np.arange(len(by_value))
    return rank.astype(_code_type(len(names)))[raw], names[by_value]


def _code_type(count: int) -> type[np.signedinteger]:
    """The smallest signed integer type for codes -1..count.

    Codes of ten million records are 80 MB in int64, 10 MB in int8: every
    pass over them, and every ``ufunc.at``, is that much cheaper.
    """
    return next(t for t in (np.int8, np.int16, np.int32, np.int64) if count <= np.iinfo(t).max)


def sort_rank(values: pd.Series, *, descending: bool = False) -> np.ndarray:
    """Dense integer ranks that sort like ``values`` (missing values last, as pandas does).

    A categorical ranks by value, as its values as text would.

    Examples
    --------
    >>> sort_rank(pd.Series(["b", None, "a", "b"])).tolist()
    [1, 2, 0, 1]
    >>> sort_rank(pd.Series([1.0, 4.0, None]), descending=True).tolist()
    [1, 0, 2]
    """
    return coded_rank(sorted_codes(values), descending=descending)


def coded_rank(coded: tuple[np.ndarray, pd.Index], *, descending: bool = False) -> np.ndarray:
    """:func:`sort_rank` of values already coded by :func:`sorted_codes` (not to be modified)."""
    codes, distinct = coded
    ranks = len(distinct) - 1 - codes if descending else codes
    missing = codes < 0
    if missing.any():
        ranks = np.where(missing, len(distinct), ranks)
    return ranks


def take_text(values: pd.Series, positions: np.ndarray, index: pd.Index | None = None
              ) -> pd.Series:
    """``values`` at ``positions`` as a ``str`` Series, missing where a position is ``-1``.

    The gathering happens in Arrow: no Python string is created. A
    categorical is gathered on its codes, then only the values taken are
    decoded (not the ten million of the column).

    Examples
    --------
    >>> take_text(pd.Series(["a", None, "c"]), np.array([2, -1, 0])).tolist()
    ['c', nan, 'a']
    >>> take_text(pd.Series(["a", None, "c"], dtype="category"), np.array([2, -1, 1])).tolist()
    ['c', nan, nan]
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        taken = codes[positions] if len(codes) else np.zeros(len(positions), dtype=codes.dtype)
        return take_text(pd.Series(values.cat.categories, dtype="str"),
                         np.where(positions < 0, -1, taken), index)
    source = pa.array(values, from_pandas=True)
    if not pa.types.is_string(source.type) and not pa.types.is_large_string(source.type):
        source = source.cast(pa.large_string())
    taken = pc.take(source, pa.array(positions, mask=positions < 0))
    return pd.Series(taken, dtype="str", index=index)


def take_category(values: pd.Series, positions: np.ndarray, index: pd.Index | None = None
                  ) -> pd.Series:
    """``values`` at ``positions`` as a Categorical, missing where a position is ``-1``.

    For text with few distinct values (a specialty, a reason code): each
    distinct value is stored once, each patient holds a small integer, and
    later groupings read the codes instead of hashing text again. The
    categories are the distinct values of ``values``, sorted (for a
    categorical ``values``: those it uses, by value).

    Examples
    --------
    >>> taken = take_category(pd.Series(["b", None, "a"]), np.array([2, -1, 0, 2]))
    >>> taken.tolist(), taken.cat.categories.tolist()
    (['a', nan, 'b', 'a'], ['a', 'b'])
    """
    return category_at(sorted_codes(values), positions, index)


def category_at(coded: tuple[np.ndarray, pd.Index], positions: np.ndarray,
                index: pd.Index | None = None) -> pd.Series:
    """:func:`take_category` of values already coded by :func:`sorted_codes`.

    Examples
    --------
    >>> coded = sorted_codes(pd.Series(["b", None, "a"]))
    >>> category_at(coded, np.array([2, -1, 0])).tolist()
    ['a', nan, 'b']
    """
    codes, distinct = coded
    taken = codes[positions] if len(codes) else np.zeros(len(positions), dtype=np.int64)
    taken[positions < 0] = -1
    return pd.Series(pd.Categorical.from_codes(taken, categories=distinct), index=index)


def distinct_rows(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each row's group, equal rows together (missing equals missing), and each group's first row.

    Groups are numbered 0, 1, 2... in order of first appearance, as
    :func:`exposure.normalize.row_groups` numbers them. A categorical column
    is read through its codes, a boolean one as 0/1 and small non-negative
    integers as they are, where ``row_groups`` hashes every column: at ten
    million records, a second for a dozen columns. Other columns are factorised.

    Returns
    -------
    group : ndarray of int, shape (n_rows,)
    first : ndarray of int64, shape (n_groups,), the position of each group's first row

    Examples
    --------
    >>> f = pd.DataFrame({"a": pd.Categorical(["x", "y", "x"]), "b": [True, False, True]})
    >>> group, first = distinct_rows(f)
    >>> group.tolist(), first.tolist()
    ([0, 1, 0], [0, 1])
    """
    columns = [_column_codes(values) for _, values in frame.items()]
    # In int32 when the combinations fit: half the memory to go through.
    small = np.prod([float(radix) for _, radix in columns]) < 2**31
    key, size = np.zeros(len(frame), dtype=np.int32 if small else np.int64), 1  # |key| < size
    for codes, radix in columns:
        if size * radix > np.iinfo(np.int64).max:  # renumber densely to make room
            key, distinct_keys = pd.factorize(key)
            size = len(distinct_keys)
        # In place, the codes in their own small type: no temporary of ten million.
        key *= radix
        np.add(key, codes, out=key, casting="unsafe")  # codes fit: |codes| < radix
        size *= radix
    group, distinct_keys = pd.factorize(key)  # numbered by first appearance
    # So the running maximum of the numbers steps up by one at each group's first row.
    running = np.maximum.accumulate(group)
    return group, np.searchsorted(running, np.arange(len(distinct_keys)))


def on_distinct_rows(frame: pd.DataFrame, func: Callable[[pd.DataFrame], pd.Series], *,
                     by: list[str] | None = None) -> pd.Series:
    """:func:`exposure.normalize.on_unique_rows`, its rows grouped by :func:`distinct_rows`.

    The same contract and result: ``func`` builds the text of each distinct
    row (the rows in order of first appearance, categorical columns decoded)
    and the result is a Categorical of those texts. ``by`` names the columns
    that tell rows apart when the others follow from them (a severity from
    its DPC and EI): fewer columns to fold.

    Examples
    --------
    >>> f = pd.DataFrame({"a": pd.Categorical(["x", "y", "x"]), "b": [True, False, True]})
    >>> on_distinct_rows(f, lambda u: u["a"] + u["b"].astype(str)).tolist()
    ['xTrue', 'yFalse', 'xTrue']
    """
    group, first = distinct_rows(frame if by is None else frame[by])
    return on_groups(frame, group, first, func)


def _column_codes(values: pd.Series) -> tuple[np.ndarray, int]:
    """Codes equal for equal values of a column, and their radix.

    The codes run over ``radix`` values from -1 (missing) or 0, so that each
    row's codes fold into one integer, mixed radix, without a collision.
    Categorical codes and booleans are taken as they are.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), len(values.cat.categories) + 1
    if values.dtype == bool:
        return values.to_numpy(), 2
    if isinstance(values.dtype, np.dtype) and values.dtype.kind in "iu" and len(values):
        numbers = values.to_numpy()
        low, high = int(numbers.min()), int(numbers.max())
        if low >= 0 and high < 2 * len(numbers):  # a count, a DPC: its own code
            return numbers, high + 1
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    return codes, len(distinct) + 1
