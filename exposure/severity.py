"""Per-patient severity: ENISA's ``se = dpc * ei + cb`` (DESIGN.md section 7).

- ``dpc`` (what the records reveal, 1..4) is the highest over the patient's
  records (ENISA 3.1.1: "the highest score reached"), raised by one, at most
  to 4, when the context makes it worse (ENISA allows any DPC to move within
  1..4 when the controller explains why):

  * ``DPC_RECURRENT``: three or more records in high or very-high specialties
    spanning at least 30 days: repeated visits say "chronic", louder (unread
    labels, scored high by caution, are not evidence and do not count);
  * ``DPC_MINOR``: the patient was under 18 at an appointment;
  * ``DPC_REASON_TEXT``: a free-text reason (motif) leaked: health content.

  One raise at most, whatever the number of aggravating factors: ENISA moves
  the DPC by context, it does not stack factors.
- ``ei`` is the highest over the patient's records.
- ``cb`` comes from the incident (:class:`exposure.incident.Incident`).
- Level: low < 2 <= medium < 3 <= high < 4 <= very_high (ENISA section 3.2).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ._by_patient import PatientRecords, any_record, first_record, max_by, min_by
from ._distinct import category_at, coded_rank, sort_rank
from .incident import LEVELS

__all__ = ["RECURRENT_MIN_DAYS", "RECURRENT_MIN_RECORDS", "assess_patients", "severity_level"]

RECURRENT_MIN_RECORDS = 3
RECURRENT_MIN_DAYS = 30
_SENSITIVE_DPC = 3  # tiers high and very_high
_BANDS = np.array([2.0, 3.0, 4.0])
_LEVEL_NAMES = pd.Index(LEVELS, dtype="str")


def severity_level(se: pd.Series) -> pd.Series:
    """ENISA band of each severity, a Categorical over :data:`~exposure.incident.LEVELS`.

    Examples
    --------
    >>> severity_level(pd.Series([1.99, 2.0, 3.5, 4.0])).tolist()
    ['low', 'medium', 'high', 'very_high']
    """
    index = np.searchsorted(_BANDS, se.to_numpy(dtype=float), side="right")
    return pd.Series(pd.Categorical.from_codes(index, categories=_LEVEL_NAMES), index=se.index)


def _rows_by_patient(grouped: PatientRecords) -> pd.Series:
    """Each patient's input rows as "3;17;42", joined in Arrow (no Python loop)."""
    order, offsets = grouped.in_groups()
    rows = pa.array(grouped.records["row"].to_numpy()[order]).cast(pa.string())
    joined = pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), rows),
                            ";")
    return pd.Series(joined, index=grouped.ids, dtype="str")


def _first_by(codes: np.ndarray, n_patients: int, rank: np.ndarray | None,
              keys: list[np.ndarray]) -> np.ndarray:
    """Per patient, the position of the record with the smallest ``keys``, then ``rank``.

    ``keys`` are dense ranks (:func:`exposure._distinct.sort_rank`), folded
    into one integer with the rank when that fits in int64 (a DPC and a
    specialty, or an EI, take a few hundred values): one minimum per patient
    then names the record. Otherwise the keys' minimum is found first, then
    the first record that reaches it. Every patient has a record.
    """
    key = np.zeros(len(codes), dtype=np.int64)
    for part in keys:  # in place: ten million records are 80 MB a pass
        key *= int(part.max(initial=0)) + 1
        key += part
    n_records = max(len(codes), 1)
    if int(key.max(initial=0)) >= np.iinfo(np.int64).max // n_records - 1:
        best = np.full(n_patients, np.iinfo(np.int64).max)
        np.minimum.at(best, codes, key)
        return first_record(codes, n_patients, rank, key == best[codes])
    key *= n_records
    key += np.arange(len(codes)) if rank is None else rank
    best = np.full(n_patients, np.iinfo(np.int64).max)
    np.minimum.at(best, codes, key)
    first = best % n_records  # the rank of the record chosen
    if rank is None:
        return first
    position = np.empty(len(rank), dtype=np.int64)
    position[rank] = np.arange(len(rank))
    return position[first]


def assess_patients(records: pd.DataFrame, cb: float) -> pd.DataFrame:
    """Aggregate records into patients and compute their severity.

    Parameters
    ----------
    records : DataFrame of shape (n_records, ...)
        One row per scored record with ``row``, ``patient_id``, ``dpc``,
        ``specialty_code``, ``ei``, ``ei_reason``, ``appointment_at``
        (datetime or NaT), ``minor`` (bool) and ``has_reason_text`` (bool).
    cb : float
        Circumstances of the breach, from the incident.

    Returns
    -------
    DataFrame of shape (n_patients, ...)
        Indexed by nothing, sorted by ``patient_id``: ``n_records``, ``rows``
        (the input rows, ``;``-separated), ``dpc_base``, ``dpc``, ``ei``, ``cb``,
        ``severity``, ``level``, ``top_specialty``, ``ei_reason``, and the
        raise flags ``recurrent``, ``minor``, ``reason_text``. ``level``,
        ``top_specialty``, ``ei_reason`` and ``msus`` are Categorical: a few
        dozen values across all patients.

    Examples
    --------
    A patient seen three times by a psychiatrist over two months, named with
    an e-mail, in a malicious leak to unknown recipients:

    >>> recs = pd.DataFrame({"row": [1, 2, 3], "patient_id": [1, 1, 1], "dpc": [4, 4, 4],
    ...     "specialty_code": ["psychiatry"] * 3, "ei": [1.0] * 3,
    ...     "ei_reason": ["EI_NAME_EMAIL"] * 3,
    ...     "appointment_at": pd.to_datetime(["2020-05-01", "2020-06-01", "2020-07-01"]),
    ...     "minor": [False] * 3, "has_reason_text": [False] * 3})
    >>> assess_patients(recs, cb=1.0)[["dpc_base", "dpc", "severity", "level", "recurrent"]]
       dpc_base  dpc  severity      level  recurrent
    0         4    4       5.0  very_high       True
    """
    return _assess(PatientRecords.of(records), cb)


def _assess(grouped: PatientRecords, cb: float) -> pd.DataFrame:
    """:func:`assess_patients` on records numbered once (shared with :func:`tables.tabulate`)."""
    records, ids, codes, rank, n = (grouped.records, grouped.ids, grouped.codes, grouped.rank,
                                    len(grouped))

    def max_of(column: str) -> np.ndarray:
        return max_by(codes, n, records[column].to_numpy())

    def any_of(column: str) -> np.ndarray:
        return any_record(codes, n, records[column].to_numpy(dtype=bool))

    patients = pd.DataFrame({
        "n_records": np.bincount(codes, minlength=n),
        "rows": _rows_by_patient(grouped),
        "dpc_base": max_of("dpc"),
        "ei": max_of("ei"),
        "minor": any_of("minor"),
        "reason_text": any_of("has_reason_text"),
    }, index=ids)
    if "ei_readable" in records:
        patients["ei_readable"] = max_of("ei_readable")
    patients["recurrent"] = _recurrent(grouped)
    raised = patients["recurrent"] | patients["minor"] | patients["reason_text"]
    patients["dpc"] = np.minimum(patients["dpc_base"] + raised.astype(int), 4)
    patients["cb"] = cb
    patients["severity"] = (patients["dpc"] * patients["ei"] + cb).round(4)
    patients["level"] = severity_level(patients["severity"])
    # The most revealing record (highest DPC, then first specialty code), the most
    # identifying one (highest EI); ties go to the first in input order. A few
    # dozen codes and reasons across all patients: kept as categories.
    top = _first_by(codes, n, rank, [sort_rank(records["dpc"], descending=True),
                                     coded_rank(grouped.coded("specialty_code"))])
    patients["top_specialty"] = category_at(grouped.coded("specialty_code"), top, ids)
    # Highest EI: the patient's own; a patient with none (NaN) takes its first record.
    highest = patients["ei"].to_numpy()[codes]
    ei = records["ei"].to_numpy()
    most_identifying = first_record(codes, n, rank, (ei == highest) | pd.isna(highest))
    patients["ei_reason"] = category_at(grouped.coded("ei_reason"), most_identifying, ids)
    if "msus" in records:
        patients["msus"] = category_at(grouped.coded("msus"), most_identifying, ids)
    if "inference_homogeneous" in records:
        patients["inference_homogeneous"] = any_of("inference_homogeneous")
    return patients.reset_index()


def _recurrent(grouped: PatientRecords) -> np.ndarray:
    """``DPC_RECURRENT``: enough sensitive visits over enough days (see the module docstring).

    Unread labels are scored as high, but they are no evidence of a chronic
    condition: only recognised sensitive specialties count. The days are
    only compared for the few patients with enough visits.
    """
    records, n_patients = grouped.records, len(grouped)
    sensitive = ((records["dpc"] >= _SENSITIVE_DPC).to_numpy(dtype=bool)
                 & ~grouped.equal("specialty_code", "unknown"))
    codes = grouped.codes[sensitive]
    often = np.bincount(codes, minlength=n_patients)[codes] >= RECURRENT_MIN_RECORDS
    codes, when = codes[often], records["appointment_at"].to_numpy()[sensitive][often]
    patients = np.unique(codes)
    codes = np.searchsorted(patients, codes)  # 0.. among those patients
    span = max_by(codes, len(patients), when) - min_by(codes, len(patients), when)  # NaT: undated
    recurrent = np.zeros(n_patients, dtype=bool)
    recurrent[patients] = span >= np.timedelta64(RECURRENT_MIN_DAYS, "D")
    return recurrent
