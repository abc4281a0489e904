"""The content of the authority's notification (Art. 33(3)), filled in from the data.

Art. 33(3) asks the controller to "at least" (a) describe the nature of the
breach with the categories and approximate numbers of data subjects and of
records, (b) give the DPO's contact, (c) describe the likely consequences and
(d) the measures taken or proposed. :func:`art33_items` computes these items
as structured fields for ``summary.json``; the report shows the same fields.
What the data cannot say (the measures, the DPO) comes from the incident
file, and is marked "to complete" when the file is silent.

Counts only: nothing here carries a value read from the leak.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ._by_patient import max_by, patient_codes
from .decide import ArticleVerdict
from .incident import LEVELS, Incident
from .timeline import appointments_over_time, level_crosstab
from .wording import (
    CATEGORY,
    CONSEQUENCE,
    DATA_KIND,
    GENERAL_CONSEQUENCES,
    nature_text,
    to_complete,
)

# appointments_over_time and level_crosstab live in exposure.timeline; callers
# have always found them here.
__all__ = [
    "KINDS",
    "appointments_over_time",
    "approximately",
    "art33_items",
    "exposed_kinds",
    "kind_masks",
    "level_crosstab",
    "revealed_categories",
    "revealed_codes",
]

#: Kinds of personal data, in the order they are listed.
KINDS = ("name", "sex", "birth_date", "age", "email", "phone", "address", "nir", "patient_ref",
         "appointment", "practitioner", "specialty", "reason")

def approximately(count: int) -> int:
    """Round a count to two significant figures, as "approximate number" asks.

    Examples
    --------
    >>> [approximately(n) for n in (0, 17, 99, 4165, 6128, 1643)]
    [0, 17, 99, 4200, 6100, 1600]
    """
    if count < 100:
        return int(count)
    digits = len(str(int(count)))
    return int(round(count, -(digits - 2)))


def exposed_kinds(records: pd.DataFrame) -> pd.DataFrame:
    """Which kinds of personal data each record exposes.

    Parameters
    ----------
    records : DataFrame of shape (n_records, ...)
        Prepared records (:func:`exposure.prepare.prepare_records`).

    Returns
    -------
    DataFrame of bool, shape (n_records, len(KINDS))

    Examples
    --------
    >>> recs = pd.DataFrame({"name": ["dupont marie", None], "email": [None, "a@b.fr"]})
    >>> exposed_kinds(recs)[["name", "email", "phone"]]
        name  email  phone
    0   True  False  False
    1  False   True  False
    """
    return pd.DataFrame(kind_masks(records), index=records.index)


def kind_masks(records: pd.DataFrame) -> dict[str, np.ndarray]:
    """:func:`exposed_kinds` as a dict of numpy masks, in KINDS order: no frame to build.

    Examples
    --------
    >>> kind_masks(pd.DataFrame({"name": ["dupont marie", None]}))["name"]
    array([ True, False])
    """
    def present(*columns: str) -> np.ndarray:
        mask = np.zeros(len(records), dtype=bool)
        for column in columns:
            if column in records:
                mask |= records[column].notna().to_numpy()
        return mask

    return {
        "name": present("name", "display_last", "display_first"), "sex": present("sex"),
        "birth_date": present("birth_date"), "age": present("age"), "email": present("email"),
        "phone": present("phone"), "address": present("address", "postal_code", "city"),
        "nir": present("nir"), "patient_ref": present("patient_ref"),
        "appointment": present("appointment_at"), "practitioner": present("practitioner"),
        "specialty": present("specialty_label"),
        "reason": (records["has_reason_text"].to_numpy(dtype=bool) if "has_reason_text" in records
                   else np.zeros(len(records), dtype=bool)),
    }


def revealed_codes(specialty_code: pd.Series, categories: pd.Series
                   ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """:func:`revealed_categories` as integer codes: which record, which category.

    ``categories`` takes one value per specialty: each distinct value is split
    once, and the records are spread by code, without a Python call per record.

    Returns
    -------
    positions : ndarray of int64, shape (n_revealed,)
        The record (0-based position) of each (record, category), in record order.
    codes : ndarray of int64, shape (n_revealed,)
        The category of each, a position in ``names``.
    names : list of str
        Every category that can appear, sorted.

    Examples
    --------
    >>> positions, codes, names = revealed_codes(pd.Series(["psychiatry", "unknown"]),
    ...                                          pd.Series(["mental_health|child", ""]))
    >>> positions.tolist(), [names[c] for c in codes]
    ([0, 0, 1], ['mental_health', 'child', 'unknown'])
    """
    group, lists = _category_groups(specialty_code, categories)
    names = sorted({token for tokens in lists for token in tokens})
    flat = pd.Index(names).get_indexer([token for tokens in lists for token in tokens])
    sizes = np.array([len(tokens) for tokens in lists])
    starts = np.cumsum(sizes) - sizes  # where each list begins in ``flat``
    count = sizes[group]
    out_starts = np.cumsum(count) - count  # where each record begins in the output
    # Output slot j of a record is token starts[group] + (j - out_starts) of ``flat``.
    token = np.repeat(starts[group] - out_starts, count) + np.arange(count.sum())
    return np.repeat(np.arange(len(group)), count), flat[token], names


def _category_groups(specialty_code: pd.Series, categories: pd.Series
                     ) -> tuple[np.ndarray, list[list[str]]]:
    """Each record's group of the categories it reveals, and the categories of each group.

    One group per distinct ``categories`` value, split once, then one for a
    missing value ("none") and one for an unread specialty ("unknown").
    """
    value_codes, distinct = pd.factorize(categories, use_na_sentinel=True)
    lists = [(str(value) or "none").split("|") for value in distinct] + [["none"], ["unknown"]]
    group = np.where(value_codes < 0, len(distinct), value_codes)
    group[(specialty_code == "unknown").to_numpy(dtype=bool)] = len(distinct) + 1
    return group, lists


def revealed_categories(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (record, category revealed): ``unknown`` and ``none`` included.

    Parameters
    ----------
    frame : DataFrame
        With ``patient_id``, ``specialty_code`` and ``categories`` (``|``-separated),
        such as the records or ``appointments.csv``.

    Returns
    -------
    DataFrame with the columns of ``frame`` and ``category``.

    See Also
    --------
    revealed_codes : the same, as integer codes, for counting.

    Examples
    --------
    >>> revealed_categories(pd.DataFrame({"patient_id": [1, 2, 3],
    ...     "specialty_code": ["psychiatry", "general_practice", "unknown"],
    ...     "categories": ["mental_health|child", "", ""]}))["category"].tolist()
    ['mental_health', 'child', 'none', 'unknown']
    """
    positions, codes, names = revealed_codes(frame["specialty_code"], frame["categories"])
    out = frame.iloc[positions].reset_index(drop=True)
    out["category"] = pd.Series(pa.array(names, pa.large_string()).take(codes), dtype="str")
    return out


def _count_by_category(records: pd.DataFrame) -> pd.DataFrame:
    """Patients, records and highest DPC of each category revealed, sorted by category.

    Counted per group of records revealing the same categories (a few dozen
    groups), never per (record, category) pair; a category's patients are
    those whose records' groups include it (:func:`_patients_per_category`).
    """
    group, lists = _category_groups(records["specialty_code"], records["categories"])
    names = sorted({token for tokens in lists for token in tokens})
    tokens = np.zeros((len(lists), len(names)), dtype=np.int64)  # times each group names each
    for g, listed in enumerate(lists):
        np.add.at(tokens[g], pd.Index(names).get_indexer(listed), 1)
    size = np.bincount(group, minlength=len(lists))
    dpc = max_by(group, len(lists), records["dpc"].to_numpy())
    dpc_max = [max_by(np.zeros(k.sum(), dtype=np.int64), 1, dpc[k])[0]
               for k in ((tokens > 0) & (size > 0)[:, None]).T]
    _, patient = patient_codes(records["patient_id"])
    counts = pd.DataFrame({
        "patients": _patients_per_category(patient, group, tokens > 0),
        "records": size @ tokens,
        "dpc_max": np.array(dpc_max, dtype=dpc.dtype),
    }, index=pd.Index(names, dtype="str"))
    return counts[counts["records"] > 0]


def _patients_per_category(patient: np.ndarray, group: np.ndarray,
                           member: np.ndarray) -> np.ndarray:
    """How many patients have a record whose group is a ``member`` of each category.

    Each patient's categories are the bits of one integer, or-ed over its
    records; the few distinct combinations are then counted (32 categories
    at a time).
    """
    counts = np.zeros(member.shape[1], dtype=np.int64)
    n_patients = int(patient.max(initial=-1)) + 1
    for start in range(0, member.shape[1], 32):
        word = member[:, start:start + 32].astype(np.uint32)
        group_bits = (word << np.arange(word.shape[1], dtype=np.uint32)).sum(
            axis=1, dtype=np.uint32)
        bits = np.zeros(n_patients, dtype=np.uint32)
        np.bitwise_or.at(bits, patient, group_bits[group])
        combination, distinct = pd.factorize(bits)
        seen = np.bincount(combination, minlength=len(distinct))
        has = (distinct[:, None] >> np.arange(word.shape[1], dtype=np.uint32)) & np.uint32(1)
        counts[start:start + word.shape[1]] = seen @ has.astype(np.int64)
    return counts


def art33_items(records: pd.DataFrame, patients: pd.DataFrame, incident: Incident,
                verdict: ArticleVerdict, *, roles: tuple[str, ...] = (),
                language: str = "fr") -> dict[str, Any]:
    """The Art. 33(3) items as structured fields (added to ``summary["art33"]``).

    Parameters
    ----------
    records : DataFrame of shape (n_records, ...)
        Scored records with ``patient_id``, ``specialty_code``, ``categories``.
    patients : DataFrame of shape (n_patients, ...)
        Decided patients with ``level``, ``minor``, ``notify_patient``, ``channel``.
    incident : Incident
    verdict : ArticleVerdict
        The Art. 33 decision, whose fields are kept as they are.
    roles : tuple of str, default=()
        Roles found in the input (``practice`` is only known this way).
    language : {"fr", "en"}, default="fr"
        Language of the ``text`` fields; codes and counts do not change.

    Returns
    -------
    dict
        ``language``, ``nature``, ``data_subjects``, ``personal_data_records``,
        ``data_categories``, ``likely_consequences``, ``dpo_contact``,
        ``measures``, ``controller``.

    Examples
    --------
    Called by :func:`exposure.score`, which keeps the result in ``summary["art33"]``:

    >>> from exposure import score
    >>> art = score(pd.DataFrame({"Nom": ["Dupont"], "Prénom": ["Marie"],
    ...     "Email": ["marie.dupont@gmail.com"], "Spécialité": ["Psychiatre"]})).summary["art33"]
    >>> art["data_subjects"]["count"], art["likely_consequences"]["by_category"][0]["category"]
    (1, 'mental_health')
    >>> art["dpo_contact"]
    {'text': '[à compléter : contact du délégué à la protection des données]', 'to_complete': True}
    """
    kinds = kind_masks(records)
    data_categories = [{"code": kind, "records": int(kinds[kind].sum()),
                        "label": DATA_KIND[language][kind]}
                       for kind in KINDS if kinds[kind].any()]
    if "practice" in roles:
        data_categories.append({"code": "practice", "records": None,
                                "label": DATA_KIND[language]["practice"]})

    by_category = _count_by_category(records)
    # The most revealing first; "nothing sensitive" last, whatever its size.
    by_category["last"] = by_category.index == "none"
    by_category = by_category.sort_values(["last", "dpc_max", "patients", "records"],
                                          ascending=[True, False, False, False], kind="stable")
    consequences = [{"category": str(code), "label": CATEGORY[language].get(code, code),
                     "patients": int(row["patients"]), "records": int(row["records"]),
                     "dpc_max": int(row["dpc_max"]), "text": CONSEQUENCE[language].get(code, "")}
                    for code, row in by_category.iterrows()]
    health = bool(((records["dpc"] >= 2) | (records["specialty_code"] == "unknown")).any())

    types = [name for name, value in (("confidentiality", incident.confidentiality),
                                      ("integrity", incident.integrity),
                                      ("availability", incident.availability))
             if value != "none"]
    n_patients, n_records = len(patients), len(records)
    notified = patients["notify_patient"].astype(bool)
    dpo, dpo_missing = to_complete(incident.dpo_contact, {"fr": "contact du délégué à la "
                                   "protection des données", "en": "contact of the data "
                                   "protection officer"}, language)
    measures, measures_missing = to_complete(incident.measures, {
        "fr": "mesures prises ou envisagées", "en": "measures taken or proposed"}, language)
    controller, controller_missing = to_complete(incident.controller, {
        "fr": "responsable du traitement", "en": "controller"}, language)
    return {
        "language": language,
        "nature": {"breach_types": types, "confidentiality": incident.confidentiality,
                   "integrity": incident.integrity, "availability": incident.availability,
                   "malicious": incident.malicious, "unintelligible": incident.unintelligible,
                   "text": nature_text(incident, language)},
        "data_subjects": {
            "category": "patients", "count": n_patients,
            "approximate": approximately(n_patients),
            "minors": int(patients["minor"].sum()),
            "at_or_above_threshold": verdict.patients_at_or_above,
            "to_notify": int(notified.sum()),
            "public_communication": int((notified & (patients["channel"] == "public")).sum()),
            "by_level": {lv: int(n) for lv, n in patients["level"].value_counts().reindex(
                LEVELS, fill_value=0).items()},
        },
        "personal_data_records": {"category": "appointments", "count": n_records,
                                  "approximate": approximately(n_records)},
        "data_categories": data_categories,
        "likely_consequences": {"health_data": health,
                                "general": GENERAL_CONSEQUENCES[language],
                                "by_category": consequences},
        "dpo_contact": {"text": dpo, "to_complete": dpo_missing},
        "measures": {"text": measures, "to_complete": measures_missing},
        "controller": {"text": controller, "to_complete": controller_missing},
    }
