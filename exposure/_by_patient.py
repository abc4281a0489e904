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
from scipy.sparse import csr_matrix

__all__ = ["any_record", "first_record", "input_rank", "max_by", "min_by", "patient_codes",
           "records_by_patient", "sort_rank", "take_category", "take_text"]


def patient_codes(patient_id: pd.Series) -> tuple[pd.Index, np.ndarray]:
    """The distinct patient ids, sorted, and each record's position among them.

    Linked ids are 1..n_patients: a bitmap over their range numbers them
    without a hash table or a sort. Ids spread thinly (a partition of the
    Dask engine's, numbered by first row) are factorised.

    Examples
    --------
    >>> ids, codes = patient_codes(pd.Series([7, 3, 7]))
    >>> ids.tolist(), codes.tolist()
    ([3, 7], [1, 0, 1])
    """
    values = patient_id.to_numpy()
    if values.dtype.kind in "iu" and len(values):
        low = values.min()
        offset = values - low
        if int(offset.max()) < 2 * len(values):
            seen = np.zeros(int(offset.max()) + 1, dtype=bool)
            seen[offset] = True
            ids = (np.flatnonzero(seen) + low).astype(values.dtype)
            return pd.Index(ids, name="patient_id"), (np.cumsum(seen) - 1)[offset]
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


def records_by_patient(codes: np.ndarray, n_patients: int, rank: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Each patient's records in order: positions grouped by patient, and where each group starts.

    That is the patients x records incidence matrix in CSR form, with records
    as columns in ``rank`` order: scipy builds it by counting (O(n), 10 ms for
    a million records) where ``np.lexsort((rank, codes))`` sorts (30 ms).

    Parameters
    ----------
    codes : ndarray of int, shape (n_records,)
        Each record's patient number, ``0..n_patients-1``.
    n_patients : int
    rank : ndarray of int, shape (n_records,)
        A permutation of ``0..n_records-1`` giving the order of the records.

    Returns
    -------
    order : ndarray of int64, shape (n_records,)
        Record positions, patient 0's first, each patient's in ``rank`` order
        (``np.lexsort((rank, codes))``).
    offsets : ndarray of int, shape (n_patients + 1,)
        Patient ``p``'s records are ``order[offsets[p]:offsets[p + 1]]``.

    Examples
    --------
    >>> order, offsets = records_by_patient(np.array([1, 0, 1, 0]), 3, np.array([3, 2, 1, 0]))
    >>> order.tolist(), offsets.tolist()
    ([3, 1, 2, 0], [0, 2, 4, 4])
    """
    n_records = len(codes)
    incidence = csr_matrix((np.ones(n_records, dtype=bool), (codes, rank)),
                           shape=(n_patients, n_records))
    incidence.sort_indices()  # already sorted by construction: this only checks
    by_rank = np.empty(n_records, dtype=np.int64)
    by_rank[rank] = np.arange(n_records)
    return by_rank[incidence.indices], incidence.indptr


def any_record(codes: np.ndarray, n_patients: int, mask: np.ndarray) -> np.ndarray:
    """Per patient, whether any of its records is in ``mask``.

    Examples
    --------
    >>> any_record(np.array([0, 1, 1]), 3, np.array([False, False, True])).tolist()
    [False, True, False]
    """
    return np.bincount(codes[mask & (codes >= 0)], minlength=n_patients) > 0


def _extreme_by(ufunc: np.ufunc, codes: np.ndarray, n_patients: int,
                values: np.ndarray) -> np.ndarray:
    """``ufunc.at`` (maximum or minimum) per patient, as ``groupby().max()`` / ``.min()``.

    Missing values (NaN, NaT) are skipped; a patient with none gets NaN
    (floats) or the identity of ``ufunc`` (integers, datetimes), to be masked.
    """
    if values.dtype.kind in "fmM":
        keep = ~np.isnan(values)
        codes, values = codes[keep], values[keep]
    if values.dtype.kind in "mM":  # datetimes compare as their int64 ticks
        return _extreme_by(ufunc, codes, n_patients, values.view(np.int64)).view(values.dtype)
    # ``out`` takes the very dtype of ``values``: any cast sends ufunc.at down a
    # slow buffered path (30 ms instead of 1.5 ms for a million records).
    if values.dtype.kind == "f":
        out = np.full(n_patients, -np.inf if ufunc is np.maximum else np.inf, dtype=values.dtype)
        ufunc.at(out, codes, values)
        out[np.bincount(codes, minlength=n_patients) == 0] = np.nan
        return out
    limits = np.iinfo(values.dtype)
    out = np.full(n_patients, limits.min if ufunc is np.maximum else limits.max,
                  dtype=values.dtype)
    ufunc.at(out, codes, values)
    return out


def max_by(codes: np.ndarray, n_patients: int, values: np.ndarray) -> np.ndarray:
    """Per patient, the largest of ``values`` over its records (missing values skipped).

    Parameters
    ----------
    codes : ndarray of int, shape (n_records,)
        Each record's patient number.
    n_patients : int
    values : ndarray of int, float or datetime64, shape (n_records,)

    Returns
    -------
    ndarray of shape (n_patients,), the dtype of ``values``
        A patient without a value gets NaN (floats), else the dtype's lowest
        value (NaT for datetimes): mask it.

    Examples
    --------
    >>> max_by(np.array([0, 1, 0, 1]), 3, np.array([2.0, np.nan, 5.0, np.nan])).tolist()
    [5.0, nan, nan]
    >>> max_by(np.array([1, 1, 0]), 2, np.array([4, 9, 1])).tolist()
    [1, 9]
    """
    return _extreme_by(np.maximum, codes, n_patients, values)


def min_by(codes: np.ndarray, n_patients: int, values: np.ndarray) -> np.ndarray:
    """Per patient, the smallest of ``values``: :func:`max_by`'s mirror.

    Examples
    --------
    >>> when = np.array(["2020-07-06", "NaT", "2020-05-01"], dtype="datetime64[D]")
    >>> min_by(np.array([0, 0, 0]), 1, when).tolist()
    [datetime.date(2020, 5, 1)]
    """
    return _extreme_by(np.minimum, codes, n_patients, values)


def _sorted_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
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
    >>> codes, distinct = _sorted_codes(ranked)
    >>> codes.tolist(), distinct.tolist()
    ([1, -1, 0], ['b', 'd'])
    """
    if not isinstance(values.dtype, pd.CategoricalDtype):
        codes, distinct = pd.factorize(values, sort=True, use_na_sentinel=True)
        return codes, pd.Index(distinct)
    raw = values.cat.codes.to_numpy()
    names = values.cat.categories
    used = np.flatnonzero(np.bincount(raw[raw >= 0], minlength=len(names)))
    by_value = used[names[used].argsort()]
    rank = np.full(len(names) + 1, -1, dtype=np.int64)  # the last slot is read by code -1
    rank[by_value] = np.arange(len(by_value))
    return rank[raw], names[by_value]


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
    codes, distinct = _sorted_codes(values)
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
    codes, distinct = _sorted_codes(values)
    taken = np.append(codes, -1)[positions]  # position -1 reads the appended "missing"
    return pd.Series(pd.Categorical.from_codes(taken, categories=distinct), index=index)
