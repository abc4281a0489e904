"""Integer keys grouped by sorting, not hashing.

At ten million keys a hash table no longer fits in cache: ``pd.factorize``
on int64 costs about a second. numpy sorts ten million int64 in a few
hundredths of a second (SIMD sort); packed with their positions into one
int64, one plain sort is a stable argsort. :func:`dense_ids` numbers keys as
``pd.factorize`` does, :func:`sorted_ids` in key order, for ids that only group.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["dense_ids", "sorted_ids", "sorted_runs"]


def dense_ids(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(key)[0]`` for integer keys, by sorting instead of hashing.

    Distinct values are numbered 0, 1, 2... by first appearance, as
    ``pd.factorize`` numbers them: rows keep their order, and so every sum
    over them its floating-point result.

    Parameters
    ----------
    key : ndarray of int, shape (n,)

    Returns
    -------
    ids : ndarray of int64, shape (n,)
        The number of each key's value.
    firsts : ndarray of int64, shape (n_distinct,)
        The position of each value's first key, by number (so increasing).

    Examples
    --------
    >>> ids, firsts = dense_ids(np.array([7, 3, 7, 9, 3]))
    >>> ids.tolist(), firsts.tolist()
    ([0, 1, 0, 2, 1], [0, 1, 3])
    """
    n = len(key)
    runs = sorted_runs(key)
    if runs is None:
        ids = pd.factorize(key)[0].astype(np.int64, copy=False)
        # Numbered by first appearance: a number first occurs where the running maximum rises.
        return ids, np.flatnonzero(np.diff(np.maximum.accumulate(ids), prepend=-1) > 0)
    position, starts = runs
    # The first position of each value (in key order) opens its number.
    first = position[starts]
    opens = np.zeros(n, dtype=bool)
    opens[first] = True
    number = np.cumsum(opens, dtype=position.dtype)[first]
    number -= 1
    group = np.cumsum(starts, dtype=position.dtype)
    group -= 1
    ids = np.empty(n, dtype=np.int64)
    ids[position] = number[group]
    return ids, np.flatnonzero(opens)


def sorted_ids(key: np.ndarray) -> tuple[np.ndarray, int]:
    """Dense ids of integer keys numbered in key order, and how many: :func:`dense_ids` less
    the numbering by first appearance, for ids that only group.

    Examples
    --------
    >>> ids, n_distinct = sorted_ids(np.array([7, 3, 7, 9, 3]))
    >>> ids.tolist(), n_distinct
    ([1, 0, 1, 2, 0], 3)
    """
    runs = sorted_runs(key)
    if runs is None:
        ids = pd.factorize(key)[0].astype(np.int64, copy=False)
        return ids, int(ids.max(initial=-1)) + 1
    position, starts = runs
    group = np.cumsum(starts, dtype=np.int64)
    group -= 1
    ids = np.empty(len(key), dtype=np.int64)
    ids[position] = group
    return ids, int(group[-1]) + 1


def sorted_runs(key: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """``np.argsort(key, kind="stable")``, and where each run of equal keys starts in it.

    Each key is packed with its position into one int64, so that one plain
    (SIMD) sort is a stable argsort; the packed array then becomes the
    positions, in place. None when the keys span too wide a range to share an
    int64 with ``n`` positions, or there are none. Positions are int32 below
    2**31 keys: half the memory to write and read.

    Examples
    --------
    >>> [a.tolist() for a in sorted_runs(np.array([7, 3, 7, 9, 3]))]
    [[1, 4, 0, 2, 3], [True, False, True, False, True]]
    """
    n = len(key)
    shift = max((n - 1).bit_length(), 1)
    low = int(key.min()) if n else 0
    if n == 0 or int(key.max()) - low >= 1 << (63 - shift):
        return None
    packed = key.astype(np.int64)  # a copy: sorted in place below
    packed -= low
    packed <<= shift
    packed |= np.arange(n, dtype=np.int64)
    packed.sort()
    # Neighbours hold one key when they differ only in the position bits.
    starts = np.empty(n, dtype=bool)
    starts[:1] = True
    np.greater_equal(packed[1:] ^ packed[:-1], 1 << shift, out=starts[1:])
    packed &= (1 << shift) - 1
    return packed.astype(np.int32) if n < 1 << 31 else packed, starts
