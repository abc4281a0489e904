"""The decisions: tell this patient (Art. 34)? tell the authority (Art. 33)?

Art. 34(1): the patient is told when the breach "is likely to result in a high
risk"; the policy says from which ENISA level that holds (``high`` by
default), and Art. 34(3)(a) exempts data made unintelligible to anyone not
authorised (strong encryption, key safe). The channel is the most direct
usable contact: e-mail, SMS to a mobile, a call to a landline, a letter to an
address, or, when no contact is usable, a public communication
(Art. 34(3)(c)). Art. 33(1): the authority is told unless the breach is
"unlikely to result in a risk": when any patient reaches the policy's level
(``medium`` by default).

Every decision carries machine-readable ``reasons`` and an ``explanation``
sentence a DPO can paste.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ._by_patient import PatientRecords, any_record, patient_positions
from ._distinct import on_distinct_rows, take_text
from .incident import LEVELS, Incident, level_rank, level_ranks
from .severity import severity_level

__all__ = ["CHANNELS", "ArticleVerdict", "contact_text", "decide_authority", "decide_patients"]

CHANNELS = ("email", "sms", "phone", "post", "public")
_DECISIONS = ("NOTIFY_HIGH_RISK", "NOTIFY_NOT_REQUIRED", "EXEMPT_UNINTELLIGIBLE")

_EI_PHRASE = {
    "EI_NIR": "identifiable by social security number",
    "EI_NAME_EMAIL": "identifiable by name and e-mail",
    "EI_NAME_PHONE": "identifiable by name and phone",
    "EI_NAME_BIRTHDATE": "identifiable by name and birth date",
    "EI_EMAIL_NAMED": "identifiable by an e-mail that contains the name",
    "EI_NAME_ADDRESS": "identifiable by name and postal address",
    "EI_COMBINED": "identifiable by two contacts together",
    "EI_ADDRESS": "identifiable by postal address",
    "EI_UNINTELLIGIBLE": "not identifiable: the data was unintelligible",
    "EI_NAME": "identifiable by full name",
    "EI_EMAIL": "identifiable by e-mail",
    "EI_PHONE": "identifiable by phone",
    "EI_QI_HIGH": "re-identifiable from indirect identifiers (unique or nearly)",
    "EI_QI_MEDIUM": "re-identifiable from indirect identifiers with some effort",
    "EI_QI_LOW": "hard to re-identify",
}


def decide_patients(patients: pd.DataFrame, records: pd.DataFrame, incident: Incident,
                    specialty_labels: pd.Series) -> pd.DataFrame:
    """Add ``notify_patient``, ``channel``, ``contact``, ``reasons``, ``explanation``.

    Parameters
    ----------
    patients : DataFrame
        Output of :func:`exposure.severity.assess_patients`.
    records : DataFrame
        Scored records in input order with ``patient_id``, ``email``, ``phone``,
        ``phone_mobile``, ``address`` (may be all missing), ``shared_contact``
        and ``specialty_code``.
    incident : Incident
    specialty_labels : Series
        English label of each specialty code, for the explanation.

    Returns
    -------
    DataFrame
        ``patients`` with the decision columns added; ``channel`` is a
        Categorical over :data:`CHANNELS`, ``reasons`` and ``explanation``
        Categoricals of their distinct texts.
    """
    codes = patient_positions(records["patient_id"], pd.Index(patients["patient_id"]))
    unknown = (records["specialty_code"] == "unknown").to_numpy(dtype=bool)
    out = _decide_on(patients, records, codes, unknown, incident, specialty_labels)
    contact = contact_text(records, out["channel"].cat.codes.to_numpy(), out["contact_record"])
    out.insert(out.columns.get_loc("channel") + 1, "contact", contact.array)
    return out.drop(columns="contact_record")


def _decide(patients: pd.DataFrame, grouped: PatientRecords, incident: Incident,
            specialty_labels: pd.Series) -> pd.DataFrame:
    """:func:`decide_patients` on records numbered once, ``patients`` in the order of ``grouped``.

    Instead of ``contact``, ``contact_record``: the record to read it from
    (:func:`contact_text`), for the few patients to tell.
    """
    return _decide_on(patients, grouped.records, grouped.codes,
                      grouped.equal("specialty_code", "unknown"), incident, specialty_labels)


def _decide_on(patients: pd.DataFrame, records: pd.DataFrame, codes: np.ndarray,
               unknown: np.ndarray, incident: Incident,
               specialty_labels: pd.Series) -> pd.DataFrame:
    """The decisions, given each record's position in ``patients`` and its unknown specialty."""
    out = patients.set_index("patient_id")
    n = len(out)
    choice, contact_record = _channels(records, codes, n)
    out["contact_record"] = contact_record
    out["channel"] = _coded(choice, CHANNELS, out.index)
    out["shared_contact"] = any_record(codes, n, records["shared_contact"].to_numpy(dtype=bool))
    out["specialty_unknown"] = any_record(codes, n, unknown)

    threshold = level_rank(incident.policy.notify_patient_at)
    at_level = level_ranks(out["level"]) >= threshold
    out["notify_patient"] = at_level
    decision = np.where(at_level, 0, 1)  # positions in _DECISIONS
    if incident.unintelligible:
        # Art. 34(3)(a): who would have been told had the data been readable.
        readable = replace(incident, unintelligible=False)
        level_if_readable = severity_level(out["dpc"] * out["ei_readable"] + readable.cb)
        spared = level_ranks(level_if_readable) >= threshold
        decision = np.where(spared & ~at_level, 2, decision)

    out["decision"] = _coded(decision, _DECISIONS, out.index)
    for column, default in (("inference_homogeneous", False), ("msus", "")):
        if column not in out:
            out[column] = default
    out["reasons"] = on_distinct_rows(out[_REASON_INPUTS], lambda d: _reasons(d, incident))
    # The severity follows from the DPC and the EI (the same cb for all).
    out["explanation"] = on_distinct_rows(
        out[_EXPLANATION_INPUTS], lambda d: _explain(d, incident, specialty_labels),
        by=_EXPLANATION_INPUTS[1:])
    return out.drop(columns="decision").reset_index()


def _channels(records: pd.DataFrame, codes: np.ndarray, n_patients: int
              ) -> tuple[np.ndarray, np.ndarray]:
    """Each patient's channel (a position in CHANNELS) and the record holding its contact.

    The channel is the most direct kind of contact any of the patient's
    records has, "public" when none has one; the contact is read from the
    first record that has that kind (-1 for "public"). Each record's most
    direct kind is found once and folded with its position into one integer:
    one minimum per patient gives both.
    """
    phone = records["phone"].notna().to_numpy()
    mobile = records["phone_mobile"].to_numpy(dtype=bool)
    # Kinds in CHANNELS order (e-mail, mobile, landline, address), then "public":
    # set from the least direct up, so that a record's most direct kind stays.
    kind = np.full(len(records), 4, dtype=np.int64)
    np.copyto(kind, 3, where=records["address"].notna().to_numpy())
    np.copyto(kind, 2, where=phone & ~mobile)
    np.copyto(kind, 1, where=phone & mobile)
    np.copyto(kind, 0, where=records["email"].notna().to_numpy())
    n_records = max(len(records), 1)
    kind *= n_records
    kind += np.arange(len(records))
    if len(codes) and codes.min() < 0:  # records of patients not listed
        codes, kind = codes[codes >= 0], kind[codes >= 0]
    best = np.full(n_patients, 5 * n_records - 1, dtype=np.int64)
    np.minimum.at(best, codes, kind)
    choice = best // n_records
    return choice, np.where(choice < 4, best % n_records, -1)


def contact_text(records: pd.DataFrame, channel: np.ndarray, record: np.ndarray) -> pd.Series:
    """The contact to use: by ``channel`` (a position in CHANNELS), from ``record``.

    E-mail, phone or address, from the record :func:`decide_patients` chose
    (``record``, -1 for none); each column is read only at the rows that use it.

    Examples
    --------
    >>> recs = pd.DataFrame({"email": ["a@b.fr", None], "phone": [None, "0612"],
    ...                      "address": [None, None]})
    >>> contact_text(recs, np.array([0, 1, 4]), np.array([0, 1, -1])).tolist()
    ['a@b.fr', '0612', nan]
    """
    source = np.array([0, 1, 1, 2, -1])[channel]  # read from e-mail, phone, address, nothing
    parts, where = [], np.full(len(source), -1, dtype=np.int64)
    for i, column in enumerate(("email", "phone", "address")):
        rows = np.flatnonzero(source == i)
        where[rows] = sum(len(part) for part in parts) + np.arange(len(rows))
        parts.append(take_text(records[column], np.asarray(record)[rows]))
    return take_text(pd.concat(parts, ignore_index=True), where)


def _coded(codes: np.ndarray, names: tuple[str, ...], index: pd.Index) -> pd.Series:
    """``names[codes]`` as a Categorical: a million patients, a handful of values."""
    return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(names, dtype="str")),
                     index=index)


_REASON_INPUTS = ["top_specialty", "recurrent", "minor", "reason_text", "ei_reason", "level",
                  "decision", "channel", "shared_contact", "specialty_unknown",
                  "inference_homogeneous"]
_EXPLANATION_INPUTS = ["severity", "level", "top_specialty", "dpc", "recurrent", "minor",
                       "reason_text", "ei_reason", "msus", "ei", "channel", "decision"]


def _reasons(distinct: pd.DataFrame, incident: Incident) -> pd.Series:
    """The reason codes of each distinct combination of what drove a decision."""
    def flag(column: str, code: str) -> np.ndarray:
        return np.where(distinct[column].to_numpy(dtype=bool), ";" + code, "")

    cb_codes = "".join(";" + code for code in incident.cb_terms())
    return ("DPC_" + distinct["top_specialty"].str.upper()
            + flag("recurrent", "DPC_RECURRENT") + flag("minor", "DPC_MINOR")
            + flag("reason_text", "DPC_REASON_TEXT")
            + ";" + distinct["ei_reason"] + cb_codes
            + ";LEVEL_" + distinct["level"].str.upper() + ";" + distinct["decision"]
            + ";CHANNEL_" + distinct["channel"].str.upper()
            + flag("shared_contact", "CONTACT_SHARED")
            + flag("specialty_unknown", "SPECIALTY_UNKNOWN")
            + flag("inference_homogeneous", "INFERENCE_HOMOGENEOUS")).astype("str")


def _explain(out: pd.DataFrame, incident: Incident, labels: pd.Series) -> pd.Series:
    """The sentence a DPO can paste, for each distinct combination of inputs."""
    if out.empty:  # every record rejected: nothing to explain, and no text to build on
        return pd.Series([], index=out.index, dtype="str")
    decision = out["decision"].to_numpy()
    specialty = out["top_specialty"].map(labels).fillna("an unrecognised specialty")
    raised = np.select(
        [out["recurrent"].to_numpy(bool), out["minor"].to_numpy(bool),
         out["reason_text"].to_numpy(bool)],
        [", raised for repeated visits", ", raised for a minor", ", raised for a leaked reason"],
        default="")
    cb_text = (f"circumstances of the breach add {incident.cb:g}" if incident.cb
               else "the circumstances add nothing")
    verdict = pd.Series(np.select(
        [decision == "NOTIFY_HIGH_RISK", decision == "EXEMPT_UNINTELLIGIBLE"],
        ["Tell the patient (Art. 34) by ",
         ("Would be told if the data were readable, but exempt: "
          "it was unintelligible (Art. 34(3)(a)); channel if told anyway: ")],
        default="No message to the patient required (Art. 34); channel if told anyway: "),
        index=out.index)
    msus = out["msus"].fillna("").astype(str)
    unique_on = pd.Series(np.where(out["ei_reason"].str.startswith("EI_QI") & (msus != ""),
                                   ", unique on " + msus, ""), index=out.index)
    return ("Severity " + out["severity"].map("{:.2f}".format) + " ("
            + out["level"].str.replace("_", " ") + "): a visit to " + specialty
            + " (DPC " + out["dpc"].astype(str) + pd.Series(raised, index=out.index) + "), "
            + out["ei_reason"].map(_EI_PHRASE) + unique_on
            + " (EI " + out["ei"].map("{:g}".format) + "), "
            + cb_text + ". " + verdict + out["channel"] + ".").astype("str")


@dataclass(frozen=True)
class ArticleVerdict:
    """The incident-level decision under Art. 33 and how it was reached."""

    notify_authority: bool
    threshold: str
    patients_at_or_above: int
    reason: str
    explanation: str


def decide_authority(levels: pd.Series, incident: Incident) -> ArticleVerdict:
    """Art. 33: notify the supervisory authority within 72 hours?

    Examples
    --------
    >>> decide_authority(pd.Series(["low", "medium"]), Incident()).notify_authority
    True
    """
    threshold = incident.policy.notify_authority_at
    ranks = level_ranks(levels)
    count = int((ranks >= level_rank(threshold)).sum())
    if count:
        return ArticleVerdict(
            True, threshold, count, "ART33_RISK",
            f"Notify the supervisory authority within 72 hours of awareness (Art. 33(1)): "
            f"{count} patient(s) reach the '{threshold}' level or above, so the breach is not "
            "'unlikely to result in a risk'.")
    top = LEVELS[ranks.max(initial=0)]
    return ArticleVerdict(
        False, threshold, 0, "ART33_UNLIKELY_RISK",
        f"No patient reaches the '{threshold}' level (highest: '{top}'): the breach is unlikely "
        "to result in a risk (Art. 33(1)). Document it in the breach register (Art. 33(5)).")
