"""``score``: the whole assessment of one leaked table, as pure DataFrame work.

map columns -> normalise -> enrich (specialty, identifiability) -> link
patients -> assess (severity, decisions). Reading and writing files happen
at the edges (:mod:`exposure.readers`, :mod:`exposure.outputs`); this module
takes a frame and returns an :class:`Assessment`.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import numpy as np
import pandas as pd

from ._resources import data_file
from .art33 import appointments_over_time, art33_items
from .columns import ColumnMapping, map_columns
from .decide import ArticleVerdict, decide_authority, decide_patients
from .identify import email_contains_name, identifiability
from .incident import LEVELS, Incident
from .linkage import link_patients, shared_contacts
from .normalize import on_unique_rows
from .model_store import load_card
from .messages import compose_messages
from .prepare import prepare_records
from .progress import Progress
from .quasi import assess_quasi_identifiers, quasi_identifiers
from .readers import sha256_file
from .severity import assess_patients
from .specialty import (TIER_DPC, SpecialtyTable, fill_from_practitioner, load_specialty_table,
                        lookup_specialties)
from .templating import TemplateSet, load_templates
from .wording import check_language

__all__ = ["Assessment", "score", "versions", "collect_rejected", "with_specialty",
           "quasi_context", "with_identifiability", "tabulate", "summarise"]

# Records normalised at a time (see _prepare_in_chunks).
_CHUNK = 500_000

# patients.csv: decision first, then what drove it. No name or contact: those
# are only repeated in notifications.csv, whose purpose is to reach people.
_PATIENT_COLUMNS = [
    "patient_id", "n_records", "rows", "level", "severity", "notify_patient", "channel",
    "dpc", "ei", "cb", "dpc_base", "top_specialty", "recurrent", "minor", "reason_text",
    "ei_reason", "msus", "inference_homogeneous", "shared_contact", "specialty_unknown",
    "reasons", "explanation",
]


@dataclass(frozen=True)
class Assessment:
    """Everything ``exposure score`` decides about one leak.

    Attributes
    ----------
    appointments : DataFrame, one row per scored record, in input order
    patients : DataFrame, one row per patient, by ``patient_id``
    notifications : DataFrame, one row per patient to notify
    rejected : DataFrame with ``row`` and ``reason``
    summary : dict, the incident-level figures and verdicts (``summary.json``)
    mapping : ColumnMapping, the role given to each input column
    """

    appointments: pd.DataFrame
    patients: pd.DataFrame
    notifications: pd.DataFrame
    rejected: pd.DataFrame
    summary: dict[str, Any]
    mapping: ColumnMapping = field(repr=False)


def versions() -> dict[str, str]:
    """Versions that produced a result, for the audit trail."""
    def version(package: str) -> str:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return "not installed"

    return {"exposure": version("exposure"), "python": platform.python_version(),
            **{p: version(p) for p in ("pandas", "numpy", "pyarrow", "scikit-learn")}}


def score(frame: pd.DataFrame, incident: Incident | None = None,
          columns: dict[str, str] | ColumnMapping | None = None, *,
          rejected: pd.DataFrame | None = None, source: str = "input",
          population: int | None = None, progress: Progress | None = None,
          language: str = "fr", templates: TemplateSet | str | None = None) -> Assessment:
    """Assess a leaked table, record by record and patient by patient.

    Parameters
    ----------
    frame : DataFrame of shape (n_records, n_columns)
        The leaked records as text. A ``row`` column (1-based input position)
        is used when present, else rows are numbered 1..n.
    incident : Incident, default=None
        The breach circumstances and policy; the 2020 leak's when None
        (unknown recipients, malicious).
    columns : dict of str to str or ColumnMapping, default=None
        Role -> column overrides (as in a ``--columns`` file), or a complete
        mapping.
    rejected : DataFrame, default=None
        Records the reader could not parse (``row``, ``reason``); they are
        counted in ``records_in`` and reported.
    source : str, default="input"
        Name of the input, for messages.
    population : int, default=None
        Size of the population the leak was sampled from, for the
        quasi-identifier risk (uniform weights N/n); None when the leak is
        the whole population of interest.
    progress : Progress, default=None
        Told when each stage starts and ends (:mod:`exposure.progress`); the
        library itself never prints.
    language : {"fr", "en"}, default="fr"
        Language of the patient messages and of the text fields of
        ``summary["art33"]``.
    templates : TemplateSet or str, default=None
        Message templates, or a folder holding them (``--templates``); the
        shipped ones of ``language`` when None.

    Returns
    -------
    Assessment

    Raises
    ------
    ColumnMappingError
        No column of ``frame`` could be given a role.
    ConfigError
        A template of ``templates`` is missing or invalid.

    Warns
    -----
    ExposureWarning
        An SMS message needs more than two parts.

    Examples
    --------
    >>> leak = pd.DataFrame({"Nom": ["Dupont"], "Prénom": ["Marie"],
    ...     "Email": ["marie.dupont@gmail.com"], "Spécialité": ["Psychiatre"]})
    >>> result = score(leak)
    >>> result.patients[["patient_id", "dpc", "ei", "cb", "severity", "level"]]
       patient_id  dpc   ei   cb  severity      level
    0           1    4  1.0  1.0       5.0  very_high
    >>> result.summary["notify_authority"]
    True
    """
    incident = incident or Incident()
    check_language(language, "score")
    if not isinstance(templates, TemplateSet):
        templates = load_templates(templates, language)
    frame = frame if "row" in frame.columns else frame.assign(
        row=pd.RangeIndex(1, len(frame) + 1, dtype="int64"))
    frame = frame.reset_index(drop=True)
    mapping = columns if isinstance(columns, ColumnMapping) else map_columns(
        frame, columns, source=source)

    progress = progress or Progress()
    with progress.stage("normalise", len(frame)):
        records, empty = _prepare_in_chunks(frame, mapping)
    all_rejected = collect_rejected(rejected, frame.loc[empty, "row"])

    with progress.stage("enrich", len(records)):
        records, quasi_measures = _enrich(records.reset_index(drop=True), mapping, incident,
                                          population)
    with progress.stage("link", len(records)):
        records["patient_id"] = link_patients(
            patient_ref=records["patient_ref"], name=records["name"],
            first_name=records["given"], birth_date=records["birth_date"],
            email=records["email"], phone=records["phone"])
        records["shared_contact"] = shared_contacts(records["patient_id"], records["email"],
                                                    records["phone"])
    with progress.stage("assess", len(records)):
        appointments, patients, notifications = tabulate(records, incident)
        notifications, communication = communicate(
            records, patients, notifications, incident, mapping, language=language,
            templates=templates)
    records_in = len(frame) + (0 if rejected is None else len(rejected))
    summary = summarise(records_in, appointments, all_rejected, patients, incident, mapping)
    summary["reidentification"] = quasi_measures
    add_communication(summary, communication)
    return Assessment(appointments, patients, notifications, all_rejected, summary, mapping)


# The stage functions below are shared with the Dask engine (exposure.dask_engine):
# each works record by record, or patient by patient, so that it gives the same
# answer on a whole table and on any partition of it (of whole patients, for
# tabulate). The global steps stay in score and _enrich.

def collect_rejected(rejected: pd.DataFrame | None, empty_rows: pd.Series) -> pd.DataFrame:
    """The reader's rejected records and the empty ones, in row order.

    Parameters
    ----------
    rejected : DataFrame with ``row`` and ``reason``, or None
        Records the reader could not parse.
    empty_rows : Series of int
        Rows of the records with no value in any recognised column.

    Returns
    -------
    DataFrame with ``row`` (int64) and ``reason``, sorted by ``row``.

    Examples
    --------
    >>> collect_rejected(pd.DataFrame({"row": [4], "reason": ["2 fields where the header has 9"]}),
    ...                  pd.Series([2]))
       row                                            reason
    0    2  empty record: no value in any recognised column
    1    4                   2 fields where the header has 9
    """
    rejected_here = pd.DataFrame({"row": empty_rows.astype("int64"),
                                  "reason": "empty record: no value in any recognised column"})
    all_rejected = pd.concat([r for r in (rejected, rejected_here) if r is not None and len(r)]
                             or [rejected_here], ignore_index=True)
    return all_rejected.sort_values("row", kind="stable").reset_index(drop=True)


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
    return (appointments, patients[[c for c in _PATIENT_COLUMNS if c in patients.columns]],
            notifications)


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


def communicate(records: pd.DataFrame, patients: pd.DataFrame, notifications: pd.DataFrame,
                incident: Incident, mapping: ColumnMapping, *, language: str = "fr",
                templates: TemplateSet | str | None = None
                ) -> tuple[pd.DataFrame, dict[str, Any]]:
    """What the controller sends: each patient's message and the Art. 33(3) items.

    Shared by both engines; reads the enriched records (in pandas) for what
    each patient's records expose and when.

    Parameters
    ----------
    records : DataFrame
        Enriched, linked records, numbered like ``patients``.
    patients, notifications : DataFrame
        From :func:`tabulate`.
    incident : Incident
    mapping : ColumnMapping
    language : {"fr", "en"}, default="fr"
    templates : TemplateSet or str, default=None

    Returns
    -------
    notifications : DataFrame
        With ``language``, ``subject``, ``message`` and ``template``.
    additions : dict
        For ``summary.json``: ``art33`` items (to merge into the existing
        ``art33`` object), ``timeline``, ``messages``, ``specialty_table``.
    """
    table = load_specialty_table()
    notifications, messages = compose_messages(notifications, patients, records, incident,
                                               language=language, templates=templates,
                                               table=table)
    verdict = decide_authority(patients["level"], incident)
    table_path = data_file("specialty_sensitivity.csv")
    return notifications, {
        "art33": art33_items(records, patients, incident, verdict,
                             roles=tuple(mapping.roles), language=language),
        "timeline": appointments_over_time(records, patients),
        "messages": messages,
        "specialty_table": {"file": table_path.name, "sha256": sha256_file(table_path)},
    }


def add_communication(summary: dict[str, Any], additions: dict[str, Any]) -> None:
    """Merge :func:`communicate`'s additions into ``summary``, keeping existing keys' meaning."""
    summary["art33"].update(additions["art33"])
    summary.update({key: value for key, value in additions.items() if key != "art33"})


def _prepare_in_chunks(frame: pd.DataFrame, mapping: ColumnMapping
                       ) -> tuple[pd.DataFrame, pd.Series]:
    """Normalise ``_CHUNK`` records at a time.

    Normalisation is per record, so chunks give the same result; they bound
    the temporary memory string work needs to that of one chunk, whatever the
    size of the leak.
    """
    if len(frame) <= _CHUNK:
        return prepare_records(frame, mapping)
    parts = [prepare_records(frame.iloc[start:start + _CHUNK], mapping)
             for start in range(0, len(frame), _CHUNK)]
    return (pd.concat([records for records, _ in parts]),
            pd.concat([empty for _, empty in parts]))


def _enrich(records: pd.DataFrame, mapping: ColumnMapping, incident: Incident,
            population: int | None) -> tuple[pd.DataFrame, dict[str, Any]]:
    table = load_specialty_table()
    specialty = lookup_specialties(records["specialty_label"], table)
    specialty = fill_from_practitioner(specialty, records["practitioner"], table)
    records = with_specialty(pd.concat([records, specialty], axis=1), table)
    direct, sensitive = quasi_context(records)
    per_record, measures = assess_quasi_identifiers(
        quasi_identifiers(records, mapping), direct=direct, sensitive=sensitive,
        population=population)
    records = pd.concat([records, per_record], axis=1)
    return with_identifiability(records, incident), measures


def with_specialty(records: pd.DataFrame, table: SpecialtyTable) -> pd.DataFrame:
    """Add ``tier``, ``categories``, ``dpc`` and ``primary_category`` from ``specialty_code``."""
    by_code = table.rows[["tier", "categories"]].assign(
        dpc=table.rows["tier"].map(TIER_DPC),
        primary_category=table.rows["categories"].str.split("|").str[0])
    codes, distinct = pd.factorize(records["specialty_code"])
    for column in by_code.columns:
        values = by_code[column].reindex(distinct).to_numpy()
        records[column] = values[codes]
    return records.astype({"tier": "str", "categories": "str", "dpc": "int64",
                           "primary_category": "str"})


def quasi_context(records: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Per record: does it carry a direct identifier, and its sensitive category (or NA)."""
    direct = (records["name"].notna() | records["email"].notna() | records["phone"].notna()
              | records["address"].notna() | records["nir"].notna())
    sensitive = records["primary_category"].where(
        (records["dpc"] >= 3) & (records["primary_category"] != ""))
    return direct, sensitive


def with_identifiability(records: pd.DataFrame, incident: Incident) -> pd.DataFrame:
    """Add ``ei``, ``ei_reason`` (and ``ei_readable`` when unintelligible) and ``minor``.

    Needs ``qi_risk``: the quasi-identifier stage comes first.
    """
    named = email_contains_name(records["email"], records["last_name"])
    ei = identifiability(
        has_name=records["name"].notna(), email=records["email"].notna(), email_named=named,
        phone=records["phone"].notna(), birth_date=records["birth_date"].notna(),
        nir=records["nir"].notna(), risk=records["qi_risk"], address=records["address"].notna())
    if incident.unintelligible:
        # Keep what the data would have allowed: the exemption of Art. 34(3)(a)
        # is reported for the patients it actually spares.
        ei = ei.assign(ei_readable=ei["ei"], ei=0.25, ei_reason="EI_UNINTELLIGIBLE")
    records = pd.concat([records, ei], axis=1)
    age_at = (records["appointment_at"] - records["birth_date"]).dt.days / 365.2425
    records["minor"] = ((age_at < 18) | (records["age"] < 18)).fillna(False).astype(bool)
    return records


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
    level = records["patient_id"].map(patients.set_index("patient_id")["level"])
    return pd.DataFrame({
        "row": records["row"], "patient_id": records["patient_id"],
        "specialty_code": records["specialty_code"],
        "specialty_confidence": records["specialty_confidence"],
        "specialty_match": records["specialty_match"], "tier": records["tier"],
        "categories": records["categories"], "dpc": records["dpc"], "ei": records["ei"],
        "qi_fk": records["qi_fk"], "qi_risk": records["qi_risk"].round(6),
        "msus": records["msus"], "minor": records["minor"],
        "patient_level": level, "reasons": reasons,
    })


def _notifications(patients: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    chosen = patients[patients["notify_patient"]]
    first = records.drop_duplicates("patient_id").set_index("patient_id")
    ids = chosen["patient_id"]
    return pd.DataFrame({
        "patient_id": ids.to_numpy(),
        "last_name": ids.map(first["display_last"]).to_numpy(),
        "first_name": ids.map(first["display_first"]).to_numpy(),
        "contact": chosen["contact"].to_numpy(),
        "channel": chosen["channel"].to_numpy(),
        "addressee": np.where(chosen["minor"], "legal_guardian", "patient"),
        "shared_contact": chosen["shared_contact"].to_numpy(),
        "language": "fr",
        "level": chosen["level"].to_numpy(),
        "severity": chosen["severity"].to_numpy(),
    })


def _summary(records_in: int, records: pd.DataFrame, rejected: pd.DataFrame,
             patients: pd.DataFrame, verdict: ArticleVerdict, incident: Incident,
             mapping: ColumnMapping) -> dict[str, Any]:
    if records_in != len(records) + len(rejected) or not pd.concat(
            [records["row"], rejected["row"]]).is_unique:
        raise AssertionError("internal error: records were lost between reading and scoring")
    levels = patients["level"].value_counts().reindex(LEVELS, fill_value=0)
    channels = patients.loc[patients["notify_patient"], "channel"].value_counts().sort_index()
    return {
        "records_in": records_in,
        "records_scored": len(records),
        "records_rejected": len(rejected),
        "patients": len(patients),
        "patients_to_notify": int(patients["notify_patient"].sum()),
        "levels": {level: int(n) for level, n in levels.items()},
        "channels": {channel: int(n) for channel, n in channels.items()},
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
            "duplicate_records": int(records["reasons"].astype("str")
                                     .str.contains("DUPLICATE_RECORD", regex=False).sum()),
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
