"""Per-patient reductions over records, on integer codes instead of Python values.

A leak has a million records; going through pandas for each "first e-mail
of each patient" or "level of each record's patient" builds, hashes and
copies text columns. Here patients are numbered ``0..n-1`` once, every record
carries its patient's number, and the reductions are numpy ``ufunc.at`` and
``bincount`` over those numbers; text is only gathered at the end, by
position, in Arrow.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["patient_codes", "input_rank", "first_record", "any_record", "sort_rank", "take_text"]


def patient_codes(patient_id: pd.Series) -> tuple[pd.Index, np.ndarray]:
    """The distinct patient ids, sorted, and each record's position among them.

    Examples
    --------
    >>> ids, codes = patient_codes(pd.Series([7, 3, 7]))
    >>> ids.tolist(), codes.tolist()
    ([3, 7], [1, 0, 1])
    """
    codes, ids = pd.factorize(patient_id, sort=True)
    return pd.Index(ids, name="patient_id"), codes


def input_rank(row: pd.Series) -> np.ndarray:
    """Each record's place in input order: by ``row``, ties kept in frame order.

    Examples
    --------
    >>> input_rank(pd.Series([5, 2, 9, 2])).tolist()
    [2, 0, 3, 1]
    """
    order = np.argsort(row.to_numpy(), kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank


def first_record(codes: np.ndarray, n_patients: int, rank: np.ndarray,
                 mask: np.ndarray | None = None) -> np.ndarray:
    """Per patient, the position of its first record (smallest ``rank``) where ``mask``.

    Parameters
    ----------
    codes : ndarray of int, shape (n_records,)
        Each record's patient number, ``-1`` for a record to ignore.
    n_patients : int
    rank : ndarray of int, shape (n_records,)
        A permutation of ``0..n_records-1`` giving the order of the records.
    mask : ndarray of bool, shape (n_records,), default=None
        The records that may be chosen; all when None.

    Returns
    -------
    ndarray of int64, shape (n_patients,)
        A position in the records, ``-1`` when the patient has no such record.

    Examples
    --------
    >>> first_record(np.array([0, 1, 0, 1]), 3, np.array([3, 2, 1, 0]),
    ...              np.array([True, False, True, False])).tolist()
    [2, -1, -1]
    """
    keep = codes >= 0 if mask is None else mask & (codes >= 0)
    first = np.full(n_patients, len(rank), dtype=np.int64)
    np.minimum.at(first, codes[keep], rank[keep])
    # rank -> position: the inverse permutation, with one slot for "none".
    position = np.full(len(rank) + 1, -1, dtype=np.int64)
    position[rank] = np.arange(len(rank))
    return position[first]


def any_record(codes: np.ndarray, n_patients: int, mask: np.ndarray) -> np.ndarray:
    """Per patient, whether any of its records is in ``mask``.

    Examples
    --------
    >>> any_record(np.array([0, 1, 1]), 3, np.array([False, False, True])).tolist()
    [False, True, False]
    """
    return np.bincount(codes[mask & (codes >= 0)], minlength=n_patients) > 0


def sort_rank(values: pd.Series, *, descending: bool = False) -> np.ndarray:
    """Dense integer ranks that sort like ``values`` (missing values last, as pandas does).

    Examples
    --------
    >>> sort_rank(pd.Series(["b", None, "a", "b"])).tolist()
    [1, 2, 0, 1]
    >>> sort_rank(pd.Series([1.0, 4.0, None]), descending=True).tolist()
    [1, 0, 2]
    """
    codes, distinct = pd.factorize(values, sort=True, use_na_sentinel=True)
    ranks = len(distinct) - 1 - codes if descending else codes
    return np.where(codes < 0, len(distinct), ranks)


def take_text(values: pd.Series, positions: np.ndarray, index: pd.Index | None = None
              ) -> pd.Series:
    """``values`` at ``positions`` as a ``str`` Series, missing where a position is ``-1``.

    The gathering happens in Arrow: no Python string is created.

    Examples
    --------
    >>> take_text(pd.Series(["a", None, "c"]), np.array([2, -1, 0])).tolist()
    ['c', nan, 'a']
    """
    source = pa.array(values, from_pandas=True)
    if not pa.types.is_string(source.type) and not pa.types.is_large_string(source.type):
        source = source.cast(pa.large_string())
    taken = pc.take(source, pa.array(positions, mask=positions < 0))
    return pd.Series(taken, dtype="str", index=index)
