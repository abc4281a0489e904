"""The "assess" stage's tables: appointments, patients, notifications.

Everything here is decided patient by patient, so that the same function
serves the whole leak (:func:`exposure.score`) and partitions of whole
patients (the Dask engine).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._by_patient import first_record, patient_codes, take_text
from .decide import decide_patients
from .incident import Incident
from .normalize import on_unique_rows
from .severity import assess_patients
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
    patients = assess_patients(records, incident.cb)
    patients = decide_patients(patients, records, incident, table.rows["label_en"])
    notifications = _notifications(patients, records)
    appointments = _appointments(records, patients)
    return (appointments, patients[[c for c in PATIENT_COLUMNS if c in patients.columns]],
            notifications)


def _appointments(records: pd.DataFrame, patients: pd.DataFrame) -> pd.DataFrame:
    flags = {"SPECIALTY_UNKNOWN": records["specialty_code"] == "unknown",
             "SPECIALTY_MISSING": records["specialty_match"] == "missing",
             "MINOR": records["minor"], "CONTACT_SHARED": records["shared_contact"],
             "INFERENCE_HOMOGENEOUS": records["inference_homogeneous"],
             "DUPLICATE_RECORD": records["duplicate"]}
    inputs = pd.DataFrame({"code": records["specialty_code"], "ei": records["ei_reason"],
                           "fields": records["field_flags"], **flags})

    def reasons_of(distinct: pd.DataFrame) -> pd.Series:
        reasons = "DPC_" + distinct["code"].str.upper() + ";" + distinct["ei"]
        for code in flags:
            reasons = reasons + np.where(distinct[code].to_numpy(dtype=bool), ";" + code, "")
        return reasons + np.where(distinct["fields"] != "", ";" + distinct["fields"], "")

    reasons = on_unique_rows(inputs, reasons_of)
    # patients holds every patient of records, sorted by id, as patient_codes numbers them.
    _, codes = patient_codes(records["patient_id"])
    level = pd.Series(patients["level"].array.take(codes), index=records.index)
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


def _notifications(patients: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    chosen = patients.loc[patients["notify_patient"].to_numpy(dtype=bool),
                          ["patient_id", "contact", "channel", "minor", "shared_contact", "level",
                           "severity"]]
    ids = pd.Index(chosen["patient_id"])
    # Names as written in each patient's first record.
    first = first_record(ids.get_indexer(records["patient_id"]), len(ids),
                         np.arange(len(records)))
    addressee = pd.Categorical.from_codes(chosen["minor"].to_numpy(np.int8),
                                          categories=pd.Index(_ADDRESSEES, dtype="str"))
    return pd.DataFrame({
        "patient_id": ids.to_numpy(),
        "last_name": take_text(records["display_last"], first).array,
        "first_name": take_text(records["display_first"], first).array,
        "contact": chosen["contact"].array,
        "channel": chosen["channel"].astype("str").array,
        "addressee": addressee,
        "shared_contact": chosen["shared_contact"].to_numpy(),
        "language": "fr",
        "level": chosen["level"].array,
        "severity": chosen["severity"].to_numpy(),
    })
