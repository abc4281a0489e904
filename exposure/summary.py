"""``summary.json``: the incident-level figures and verdicts, from the output tables."""

from __future__ import annotations

import platform
from importlib import metadata
from typing import Any

import numpy as np
import pandas as pd

from .columns import ColumnMapping
from .decide import ArticleVerdict, decide_authority
from .incident import LEVELS, Incident
from .model_store import load_card

__all__ = ["summarise", "versions"]

def versions() -> dict[str, str]:
    """Versions that produced a result, for the audit trail."""
    def version(package: str) -> str:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return "not installed"

    return {"exposure": version("exposure"), "python": platform.python_version(),
            **{p: version(p) for p in ("pandas", "numpy", "pyarrow", "scikit-learn")}}


def _count_containing(values: pd.Series, text: str) -> int:
    """How many values contain ``text``; each distinct value (a few thousand) is read once.

    Examples
    --------
    >>> _count_containing(pd.Series(["A;B", "B", None, "A;B"]), "A")
    2
    """
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    found = np.array([text in str(value) for value in distinct], dtype=bool)
    return int(found[codes[codes >= 0]].sum())


def summarise(records_in: int, appointments: pd.DataFrame, rejected: pd.DataFrame,
              patients: pd.DataFrame, incident: Incident, mapping: ColumnMapping
              ) -> dict[str, Any]:
    """``summary.json`` (without ``reidentification`` and ``input``) from the output tables.

    Raises
    ------
    AssertionError
        ``records_in`` is not the number of scored plus rejected records.
    """
    verdict = decide_authority(patients["level"], incident)
    return _summary(records_in, appointments, rejected, patients, verdict, incident, mapping)


def _summary(records_in: int, records: pd.DataFrame, rejected: pd.DataFrame,
             patients: pd.DataFrame, verdict: ArticleVerdict, incident: Incident,
             mapping: ColumnMapping) -> dict[str, Any]:
    if records_in != len(records) + len(rejected) or not pd.concat(
            [records["row"], rejected["row"]]).is_unique:
        raise AssertionError("internal error: records were lost between reading and scoring")
    levels = patients["level"].value_counts().reindex(LEVELS, fill_value=0)
    # By name, channels in use only, whether the column is text or categorical.
    channels = sorted((str(channel), int(n)) for channel, n in patients.loc[
        patients["notify_patient"], "channel"].value_counts().items() if n)
    return {
        "records_in": records_in,
        "records_scored": len(records),
        "records_rejected": len(rejected),
        "patients": len(patients),
        "patients_to_notify": int(patients["notify_patient"].sum()),
        "levels": {level: int(n) for level, n in levels.items()},
        "channels": dict(channels),
        "notify_authority": verdict.notify_authority,
        # ENISA section 3.3 flags, reported beside the score, not in it.
        "flags": {"more_than_100_individuals": len(patients) > 100,
                  "data_unintelligible": incident.unintelligible},
        "art33": {"reason": verdict.reason, "threshold": verdict.threshold,
                  "patients_at_or_above": verdict.patients_at_or_above,
                  "explanation": verdict.explanation},
        "incident": {**incident.as_dict(), "cb": incident.cb, "cb_terms": incident.cb_terms()},
        "columns": {role: {"column": column, "found_by": mapping.found_by.get(role, "")}
                    for role, column in mapping.roles.items()},
        "data_quality": {
            "duplicate_records": _count_containing(records["reasons"], "DUPLICATE_RECORD"),
            "specialty_unknown_records": int((records["specialty_code"] == "unknown").sum()),
            "specialty_missing_records": int((records["specialty_match"] == "missing").sum()),
            "specialty_from_practitioner": int((records["specialty_match"] == "practitioner").sum()),
            "shared_contact_patients": int(patients["shared_contact"].sum()),
            "minor_patients": int(patients["minor"].sum()),
            "patients_without_contact": int((patients["channel"] == "public").sum()),
        },
        # The model that read the specialty labels, for the audit trail (STYLE 12).
        "versions": {**versions(), "specialty_model_sha256": load_card()["model_sha256"]},
    }
