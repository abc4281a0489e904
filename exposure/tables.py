"""The "assess" stage's tables: appointments, patients, notifications.

Everything here is decided patient by patient, so that the same function
serves the whole leak (:func:`exposure.score`) and partitions of whole
patients (the Dask engine).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from ._by_patient import PatientRecords, first_record, patient_positions
from ._distinct import on_distinct_rows, take_text
from .decide import _decide, contact_text
from .incident import Incident
from .severity import _assess
from .specialty import load_specialty_table

__all__ = ["PATIENT_COLUMNS", "tabulate"]

# patients.csv: decision first, then what drove it. No name or contact: those
# are only repeated in notifications.csv, whose purpose is to reach people.
PATIENT_COLUMNS = [
    "patient_id", "n_records", "rows", "level", "severity", "notify_patient", "channel",
    "dpc", "ei", "cb", "dpc_base", "top_specialty", "recurrent", "minor", "reason_text",
    "ei_reason", "msus", "inference_homogeneous", "shared_contact", "specialty_unknown",
    "reasons", "explanation",
]

_ADDRESSEES = ("patient", "legal_guardian")  # by ``minor``


def tabulate(records: pd.DataFrame, incident: Incident
             ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The "assess" stage: linked records -> appointments, patients, notifications.

    Everything here is decided patient by patient: given the records of some
    whole patients, in input order, it gives exactly those patients' rows.

    Parameters
    ----------
    records : DataFrame of shape (n_records, ...)
        Enriched records in input order with ``patient_id`` and ``shared_contact``.
    incident : Incident

    Returns
    -------
    appointments : DataFrame, one row per record, in the order of ``records``
    patients : DataFrame, one row per patient, by ``patient_id``
    notifications : DataFrame, one row per patient to notify, by ``patient_id``
    """
    table = load_specialty_table()
    # Patients are numbered once, and each text column coded once, for every step.
    grouped = PatientRecords.of(records)
    patients = _assess(grouped, incident.cb)
    patients = _decide(patients, grouped, incident, table.rows["label_en"])
    notifications = _notifications(patients, records, grouped.first())
    appointments = _appointments(records, patients, grouped)
    return (appointments, patients[[c for c in PATIENT_COLUMNS if c in patients.columns]],
            notifications)


def _appointments(records: pd.DataFrame, patients: pd.DataFrame,
                  grouped: PatientRecords | None = None) -> pd.DataFrame:
    """``appointments.csv``; ``patients`` hold every patient of ``records``, sorted by id."""
    grouped = grouped or PatientRecords.of(records)
    flags = {"SPECIALTY_UNKNOWN": grouped.equal("specialty_code", "unknown"),
             "SPECIALTY_MISSING": grouped.equal("specialty_match", "missing"),
             "MINOR": records["minor"], "CONTACT_SHARED": records["shared_contact"],
             "INFERENCE_HOMOGENEOUS": records["inference_homogeneous"],
             "DUPLICATE_RECORD": records["duplicate"]}
    bits = np.zeros(len(records), dtype=np.uint8)  # the flags of a record, one byte
    for bit, flag in enumerate(flags.values()):
        bits |= np.asarray(flag, dtype=np.uint8) << bit
    inputs = pd.DataFrame({"code": _categorical(grouped, "specialty_code"),
                           "ei": _categorical(grouped, "ei_reason"),
                           "fields": records["field_flags"].array, "flags": bits})

    def reasons_of(distinct: pd.DataFrame) -> pd.Series:
        reasons = "DPC_" + distinct["code"].str.upper() + ";" + distinct["ei"]
        for bit, code in enumerate(flags):
            reasons = reasons + np.where(distinct["flags"].to_numpy() >> bit & 1, ";" + code, "")
        return reasons + np.where(distinct["fields"] != "", ";" + distinct["fields"], "")

    reasons = pd.Series(on_distinct_rows(inputs, reasons_of).array, index=records.index)
    level = pd.Series(patients["level"].array.take(grouped.codes), index=records.index)
    # No copy: the columns taken as they are share the records' memory.
    return pd.DataFrame({
        "row": records["row"], "patient_id": records["patient_id"],
        "specialty_code": records["specialty_code"],
        "specialty_confidence": records["specialty_confidence"],
        "specialty_match": records["specialty_match"], "tier": records["tier"],
        "categories": records["categories"], "dpc": records["dpc"], "ei": records["ei"],
        "qi_fk": records["qi_fk"], "qi_risk": records["qi_risk"].round(6),
        "msus": records["msus"], "minor": records["minor"],
        "patient_level": level, "reasons": reasons,
    }, copy=False)


def _categorical(grouped: PatientRecords, column: str) -> pd.Categorical:
    """A column of the records as a Categorical over its shared codes (valid: not checked again)."""
    codes, distinct = grouped.coded(column)
    return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(distinct), validate=False)


def _notifications(patients: pd.DataFrame, records: pd.DataFrame,
                   first: np.ndarray | None = None) -> pd.DataFrame:
    """``notifications.csv`` without the texts.

    ``first``: the position of each patient's first record in ``records``,
    whose names are written (found here when None).
    """
    told = patients["notify_patient"].to_numpy(dtype=bool)
    contact = "contact" if "contact" in patients else "contact_record"  # see decide._decide
    chosen = patients.loc[told, ["patient_id", contact, "channel", "minor", "shared_contact",
                                 "level", "severity"]]
    if first is None:
        codes = patient_positions(records["patient_id"], pd.Index(patients["patient_id"]))
        first = first_record(codes, len(patients), None)
    first = first[told]
    addressee = pd.Categorical.from_codes(chosen["minor"].to_numpy(np.int8),
                                          categories=pd.Index(_ADDRESSEES, dtype="str"))
    return pd.DataFrame({
        "patient_id": chosen["patient_id"].to_numpy(),
        "last_name": take_text(records["display_last"], first).array,
        "first_name": take_text(records["display_first"], first).array,
        "contact": (chosen["contact"].array if "contact" in chosen else contact_text(
            records, chosen["channel"].cat.codes.to_numpy(), chosen["contact_record"]).array),
        "channel": _as_text(chosen["channel"]),
        "addressee": addressee,
        "shared_contact": chosen["shared_contact"].to_numpy(),
        "language": "fr",
        "level": chosen["level"].array,
        "severity": chosen["severity"].to_numpy(),
    })


def _as_text(values: pd.Series) -> pd.api.extensions.ExtensionArray:
    """``values.astype("str")``; a Categorical's names are gathered in Arrow, not one by one."""
    if not isinstance(values.dtype, pd.CategoricalDtype):
        return values.astype("str").array
    codes = values.cat.codes.to_numpy()
    names = pa.array(values.cat.categories.astype("str"), pa.large_string())
    return pd.array(names.take(pa.array(codes, mask=codes < 0)), dtype="str")
