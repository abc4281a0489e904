"""Per-patient reductions over records, on integer codes instead of Python values.

A leak has a million records; going through pandas for each "first e-mail
of each patient" or "level of each record's patient" builds, hashes and
copies text columns. Here patients are numbered ``0..n-1`` once, every record
carries its patient's number, and the reductions are numpy ``ufunc.at`` and
``bincount`` over those numbers; text is only gathered at the end, by
position, in Arrow (:mod:`exposure._distinct`). :class:`PatientRecords` holds
the numbering of one stage, for all its reductions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix

from ._distinct import sorted_codes

__all__ = ["PatientRecords", "any_record", "first_record", "input_rank", "max_by", "min_by",
           "patient_codes", "patient_positions", "records_by_patient"]


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
            if len(ids) == len(seen):  # a run, as linkage numbers patients: offsets are codes
                return pd.Index(ids, name="patient_id"), offset.astype(np.intp, copy=False)
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


def patient_positions(patient_id: pd.Series, ids: pd.Index) -> np.ndarray:
    """Each record's position in ``ids``, -1 when absent: ``ids.get_indexer``.

    Ids that are a run of integers (patients numbered 1..n) give positions by
    subtraction: ``get_indexer`` would hash millions of keys.

    Examples
    --------
    >>> patient_positions(pd.Series([3, 1, 9]), pd.Index([1, 2, 3])).tolist()
    [2, 0, -1]
    """
    values, keys = patient_id.to_numpy(), ids.to_numpy()
    if not (len(keys) and values.dtype.kind in "iu" and keys.dtype.kind in "iu"
            and (np.diff(keys) == 1).all()):
        return ids.get_indexer(values)
    offset = values.astype(np.int64, copy=False) - int(keys[0])
    if len(offset) and offset.min() >= 0 and offset.max() < len(keys):
        return offset
    return np.where((offset >= 0) & (offset < len(keys)), offset, -1)


@dataclass(frozen=True)
class PatientRecords:
    """Records numbered by patient once, for all the reductions of one stage.

    At ten million records every pass counts: the patient numbers, the input
    order, the records grouped by patient and the codes of a text column
    (some 0.2 s to factorise) are computed once and shared by the functions
    that read them.

    Attributes
    ----------
    records : DataFrame of shape (n_records, ...)
    ids : Index, the distinct patient ids, sorted
    codes : ndarray of int, shape (n_records,), each record's position in ``ids``
    rank : ndarray of int or None
        Each record's place in input order (:func:`input_rank`); None when
        the records are in input order already.
    """

    records: pd.DataFrame
    ids: pd.Index
    codes: np.ndarray
    rank: np.ndarray | None
    _memo: dict[Any, Any] = field(default_factory=dict, repr=False)  # computed on first use

    @classmethod
    def of(cls, records: pd.DataFrame) -> PatientRecords:
        """Number the patients of ``records`` (``patient_id``) and their input order (``row``)."""
        ids, codes = patient_codes(records["patient_id"])
        row = records["row"].to_numpy()
        in_order = bool((row[1:] >= row[:-1]).all())
        return cls(records, ids, codes, None if in_order else input_rank(records["row"]))

    def __len__(self) -> int:
        return len(self.ids)

    def coded(self, column: str) -> tuple[np.ndarray, pd.Index]:
        """:func:`sorted_codes` of a column, computed on first use."""
        if ("coded", column) not in self._memo:
            self._memo["coded", column] = sorted_codes(self.records[column])
        return self._memo["coded", column]

    def in_groups(self) -> tuple[np.ndarray, np.ndarray]:
        """:func:`records_by_patient`, computed on first use."""
        if "in_groups" not in self._memo:
            self._memo["in_groups"] = records_by_patient(self.codes, len(self), self.rank)
        return self._memo["in_groups"]

    def first(self) -> np.ndarray:
        """The position of each patient's first record in the frame.

        Read off the groups when the frame is in input order: no pass over the records.
        """
        if self.rank is not None:
            return first_record(self.codes, len(self), None)
        order, offsets = self.in_groups()
        return order[offsets[:-1]]

    def equal(self, column: str, value: str) -> np.ndarray:
        """Which records hold ``value`` in ``column``, read on its codes."""
        codes, distinct = self.coded(column)
        found = distinct.get_indexer([value])[0]
        return codes == found if found >= 0 else np.zeros(len(codes), dtype=bool)


def first_record(codes: np.ndarray, n_patients: int, rank: np.ndarray | None,
                 mask: np.ndarray | None = None) -> np.ndarray:
    """Per patient, the position of its first record (smallest ``rank``) where ``mask``.

    Parameters
    ----------
    codes : ndarray of int, shape (n_records,)
        Each record's patient number, ``-1`` for a record to ignore.
    n_patients : int
    rank : ndarray of int, shape (n_records,), or None
        A permutation of ``0..n_records-1`` giving the order of the records;
        None for the order of ``codes``.
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
    if rank is None:  # no permutation to invert: the first is the smallest position
        first = np.full(n_patients, len(codes), dtype=np.int64)
        np.minimum.at(first, codes[keep], np.flatnonzero(keep))
        first[first == len(codes)] = -1
        return first
    first = np.full(n_patients, len(rank), dtype=np.int64)
    np.minimum.at(first, codes[keep], rank[keep])
    # rank -> position: the inverse permutation, with one slot for "none".
    position = np.full(len(rank) + 1, -1, dtype=np.int64)
    position[rank] = np.arange(len(rank))
    return position[first]


def records_by_patient(codes: np.ndarray, n_patients: int, rank: np.ndarray | None
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
    rank : ndarray of int, shape (n_records,), or None
        A permutation of ``0..n_records-1`` giving the order of the records;
        None for the order of ``codes``.

    Returns
    -------
    order : ndarray of int, shape (n_records,)
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
    # scipy's own index type (int32 below 2**31): no conversion on the way in.
    index = np.int32 if max(n_records, n_patients) < 2**31 - 1 else np.int64
    columns = np.arange(n_records, dtype=index) if rank is None else rank.astype(index)
    incidence = csr_matrix((np.ones(n_records, dtype=bool), (codes.astype(index), columns)),
                           shape=(n_patients, n_records))
    incidence.sort_indices()  # already sorted by construction: this only checks
    if rank is None:
        return incidence.indices, incidence.indptr
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
    mask = np.asarray(mask, dtype=bool)
    if len(codes) and codes.min() < 0:
        codes, mask = codes[codes >= 0], mask[codes >= 0]
    found = np.zeros(n_patients, dtype=np.uint8)
    np.maximum.at(found, codes, mask.view(np.uint8))  # on bytes: 13 ms for ten million
    return found.view(bool)


def _extreme_by(ufunc: np.ufunc, codes: np.ndarray, n_patients: int,
                values: np.ndarray) -> np.ndarray:
    """``ufunc.at`` (maximum or minimum) per patient, as ``groupby().max()`` / ``.min()``.

    Missing values (NaN, NaT) are skipped; a patient with none gets NaN, NaT,
    or (integers) the identity of ``ufunc``, to be masked. Each step that
    copies ten million values is taken only when needed (some value missing).
    """
    if values.dtype.kind in "mM":  # datetimes compare as their int64 ticks, NaT the lowest
        ticks = values.view(np.int64)
        if ufunc is np.minimum and np.isnat(values).any():  # NaT would win: make it the highest
            ticks = np.where(np.isnat(values), np.iinfo(np.int64).max, ticks)
        out = _extreme_by(ufunc, codes, n_patients, ticks)
        out[out == np.iinfo(np.int64).max] = np.iinfo(np.int64).min  # none: NaT
        return out.view(values.dtype)
    if values.dtype.kind == "f":
        missing = np.isnan(values)
        if missing.any():
            codes, values = codes[~missing], values[~missing]
        identity = -np.inf if ufunc is np.maximum else np.inf
    else:
        limits = np.iinfo(values.dtype)
        identity = limits.min if ufunc is np.maximum else limits.max
    # ``out`` takes the very dtype of ``values``, descriptor included: any cast, or
    # an equal but distinct descriptor, sends ufunc.at down a slow buffered path
    # (a second instead of 0.1 s for ten million records).
    out = np.full(n_patients, identity, dtype=values.dtype)
    ufunc.at(out, codes, values)
    if values.dtype.kind == "f" and (out == identity).any():  # no value, or only ±inf
        out[(out == identity) & (np.bincount(codes, minlength=n_patients) == 0)] = np.nan
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
