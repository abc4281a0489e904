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

from .incident import LEVELS

__all__ = ["RECURRENT_MIN_RECORDS", "RECURRENT_MIN_DAYS", "severity_level", "assess_patients"]

RECURRENT_MIN_RECORDS = 3
RECURRENT_MIN_DAYS = 30
_SENSITIVE_DPC = 3  # tiers high and very_high
_BANDS = np.array([2.0, 3.0, 4.0])


def severity_level(se: pd.Series) -> pd.Series:
    """ENISA band of each severity.

    Examples
    --------
    >>> severity_level(pd.Series([1.99, 2.0, 3.5, 4.0])).tolist()
    ['low', 'medium', 'high', 'very_high']
    """
    index = np.searchsorted(_BANDS, se.to_numpy(dtype=float), side="right")
    return pd.Series(np.asarray(LEVELS, dtype=object)[index], index=se.index, dtype="str")


def _rows_by_patient(records: pd.DataFrame) -> pd.Series:
    """Each patient's input rows as "3;17;42", joined in Arrow (no Python loop)."""
    ordered = records[["patient_id", "row"]].sort_values(["patient_id", "row"], kind="stable")
    ids, starts = np.unique(ordered["patient_id"].to_numpy(), return_index=True)
    offsets = np.append(starts, len(ordered)).astype(np.int32)
    rows = pa.array(ordered["row"].to_numpy()).cast(pa.string())
    joined = pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), rows), ";")
    return pd.Series(joined.to_numpy(zero_copy_only=False), index=pd.Index(ids, name="patient_id"),
                     dtype="str")


def _first_by(records: pd.DataFrame, order: list[str], ascending: list[bool],
              column: str) -> pd.Series:
    """Per patient, ``column`` of the record that sorts first by ``order``."""
    needed = list(dict.fromkeys(["patient_id", *order, "row", column]))
    ranked = records[needed].sort_values(["patient_id", *order, "row"],
                                 ascending=[True, *ascending, True], kind="stable")
    return ranked.drop_duplicates("patient_id").set_index("patient_id")[column]


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
        raise flags ``recurrent``, ``minor``, ``reason_text``.

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
    grouped = records.groupby("patient_id", sort=True)
    patients = pd.DataFrame({
        "n_records": grouped.size(),
        "rows": _rows_by_patient(records),
        "dpc_base": grouped["dpc"].max(),
        "ei": grouped["ei"].max(),
        "minor": grouped["minor"].any(),
        "reason_text": grouped["has_reason_text"].any(),
    })
    if "ei_readable" in records:
        patients["ei_readable"] = grouped["ei_readable"].max()
    # Unread labels are scored as high, but they are no evidence of a chronic
    # condition: only recognised sensitive specialties count as recurrent.
    sensitive = records[(records["dpc"] >= _SENSITIVE_DPC)
                        & (records["specialty_code"] != "unknown")]
    by_patient = sensitive.groupby("patient_id")["appointment_at"]
    span_days = (by_patient.max() - by_patient.min()).dt.days
    patients["recurrent"] = ((sensitive.groupby("patient_id").size() >= RECURRENT_MIN_RECORDS)
                             & (span_days >= RECURRENT_MIN_DAYS)).reindex(patients.index,
                                                                           fill_value=False)
    raised = patients["recurrent"] | patients["minor"] | patients["reason_text"]
    patients["dpc"] = np.minimum(patients["dpc_base"] + raised.astype(int), 4)
    patients["cb"] = cb
    patients["severity"] = (patients["dpc"] * patients["ei"] + cb).round(4)
    patients["level"] = severity_level(patients["severity"])
    patients["top_specialty"] = _first_by(records, ["dpc", "specialty_code"], [False, True],
                                          "specialty_code")
    patients["ei_reason"] = _first_by(records, ["ei"], [False], "ei_reason")
    if "msus" in records:
        patients["msus"] = _first_by(records, ["ei"], [False], "msus")
    if "inference_homogeneous" in records:
        patients["inference_homogeneous"] = grouped["inference_homogeneous"].any()
    return patients.reset_index()
