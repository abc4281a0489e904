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

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ._by_patient import max_by, patient_codes
from .decide import ArticleVerdict
from .incident import LEVELS, Incident
from .wording import (
    CATEGORY,
    CONSEQUENCE,
    DATA_KIND,
    GENERAL_CONSEQUENCES,
    nature_text,
    to_complete,
)

__all__ = [
    "KINDS",
    "appointments_over_time",
    "approximately",
    "art33_items",
    "exposed_kinds",
    "level_crosstab",
    "revealed_categories",
    "revealed_codes",
]

#: Kinds of personal data, in the order they are listed.
KINDS = ("name", "sex", "birth_date", "age", "email", "phone", "address", "nir", "patient_ref",
         "appointment", "practitioner", "specialty", "reason")

_DAY_SPAN, _WEEK_SPAN = 92, 731


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
    def present(*columns: str) -> pd.Series:
        mask = pd.Series(False, index=records.index)
        for column in columns:
            if column in records:
                mask |= records[column].notna()
        return mask

    kinds = {
        "name": present("name", "display_last", "display_first"), "sex": present("sex"),
        "birth_date": present("birth_date"), "age": present("age"), "email": present("email"),
        "phone": present("phone"), "address": present("address", "postal_code", "city"),
        "nir": present("nir"), "patient_ref": present("patient_ref"),
        "appointment": present("appointment_at"), "practitioner": present("practitioner"),
        "specialty": present("specialty_label"),
        "reason": (records["has_reason_text"].astype(bool) if "has_reason_text" in records
                   else pd.Series(False, index=records.index)),
    }
    return pd.DataFrame(kinds, index=records.index)


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
    value_codes, distinct = pd.factorize(categories, use_na_sentinel=True)
    # One token list per distinct value, then one for a missing value, one for "unknown".
    lists = [(str(value) or "none").split("|") for value in distinct] + [["none"], ["unknown"]]
    group = np.where(value_codes < 0, len(distinct), value_codes)
    group = np.where((specialty_code == "unknown").to_numpy(dtype=bool), len(distinct) + 1, group)
    names = sorted({token for tokens in lists for token in tokens})
    flat = pd.Index(names).get_indexer([token for tokens in lists for token in tokens])
    sizes = np.array([len(tokens) for tokens in lists])
    starts = np.cumsum(sizes) - sizes  # where each list begins in ``flat``
    count = sizes[group]
    out_starts = np.cumsum(count) - count  # where each record begins in the output
    # Output slot j of a record is token starts[group] + (j - out_starts) of ``flat``.
    token = np.repeat(starts[group] - out_starts, count) + np.arange(count.sum())
    return np.repeat(np.arange(len(group)), count), flat[token], names


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


def level_crosstab(rows: np.ndarray, row_names: Sequence[str], levels: np.ndarray,
                   level_names: Sequence[Any]) -> pd.DataFrame:
    """``pd.crosstab(row, level).reindex(columns=LEVELS, fill_value=0)``, on codes.

    Parameters
    ----------
    rows : ndarray of int, shape (n,)
        Positions in ``row_names``, -1 for missing.
    row_names : sequence of str
    levels : ndarray of int, shape (n,)
        Positions in ``level_names``, -1 for missing.
    level_names : sequence

    Returns
    -------
    DataFrame of int64, shape (n_rows_seen, len(LEVELS))
        Indexed by the row names seen with a level, sorted; as ``pd.crosstab``,
        a pair with a missing value is not counted, and a row seen only with
        a value outside LEVELS is kept, with zeros.

    Examples
    --------
    >>> level_crosstab(np.array([0, 1, 0, -1]), ["b", "a"], np.array([0, 1, 1, 0]),
    ...                ["high", "low"])
       low  medium  high  very_high
    a    1       0     0          0
    b    1       0     1          0
    """
    width = len(LEVELS) + 1  # the last column counts values outside LEVELS
    lookup = np.array([LEVELS.index(v) if v in LEVELS else len(LEVELS) for v in level_names]
                      + [-1], dtype=np.int64)
    level = lookup[levels]
    kept = (rows >= 0) & (level >= 0)
    counts = np.bincount(rows[kept] * width + level[kept],
                         minlength=len(row_names) * width).reshape(-1, width)
    seen = sorted((name, i) for i, name in enumerate(row_names) if counts[i].any())
    return pd.DataFrame(counts[[i for _, i in seen], :len(LEVELS)].reshape(-1, len(LEVELS)),
                        index=pd.Index([name for name, _ in seen], dtype="str"),
                        columns=list(LEVELS))


def appointments_over_time(records: pd.DataFrame, patients: pd.DataFrame) -> dict[str, Any]:
    """Exposed appointments per day, week or month, by the patient's level.

    The unit is the day for a leak spanning up to three months, the week (from
    Monday) up to two years, the month beyond.

    Returns
    -------
    dict
        ``unit``, ``first``, ``last`` (ISO dates or None), ``undated_records``
        and ``counts``: one dict per period with ``period`` and a count per level.

    Examples
    --------
    >>> recs = pd.DataFrame({"patient_id": [1, 1, 2],
    ...     "appointment_at": pd.to_datetime(["2020-07-06", "2020-07-06", None])})
    >>> pats = pd.DataFrame({"patient_id": [1, 2], "level": ["high", "low"]})
    >>> appointments_over_time(recs, pats)["counts"]
    [{'period': '2020-07-06', 'low': 0, 'medium': 0, 'high': 2, 'very_high': 0}]
    """
    level_codes, level_names = pd.factorize(
        records["patient_id"].map(patients.set_index("patient_id")["level"]))
    dated = records["appointment_at"].notna().to_numpy()
    when = records.loc[dated, "appointment_at"].dt.normalize()
    base = {"undated_records": int((~dated).sum())}
    if when.empty:
        return {"unit": "day", "first": None, "last": None, **base, "counts": []}
    span = (when.max() - when.min()).days
    if span <= _DAY_SPAN:
        unit, period = "day", when
    elif span <= _WEEK_SPAN:
        unit, period = "week", when - pd.to_timedelta(when.dt.day_of_week, unit="D")
    else:
        unit, period = "month", when.dt.to_period("M").dt.to_timestamp()
    # A few hundred periods at most: format each once.
    period_codes, periods = pd.factorize(period)
    table = level_crosstab(period_codes, list(periods.strftime("%Y-%m-%d")), level_codes[dated],
                           level_names)
    counts = [{"period": str(p), **{lv: int(n) for lv, n in row.items()}}
              for p, row in table.iterrows()]
    return {"unit": unit, "first": when.min().strftime("%Y-%m-%d"),
            "last": when.max().strftime("%Y-%m-%d"), **base, "counts": counts}


def _count_by_category(records: pd.DataFrame) -> pd.DataFrame:
    """Patients, records and highest DPC of each category revealed, sorted by category.

    A category's patients are its distinct (category, patient) pairs: one hash
    of integers instead of a group-by ``nunique`` over a million rows.
    """
    positions, codes, names = revealed_codes(records["specialty_code"], records["categories"])
    _, patient = patient_codes(records["patient_id"])
    n_patients = int(patient.max(initial=0)) + 1
    pairs = pd.unique(codes * n_patients + patient[positions])
    counts = pd.DataFrame({
        "patients": np.bincount(pairs // n_patients, minlength=len(names)),
        "records": np.bincount(codes, minlength=len(names)),
        "dpc_max": max_by(codes, len(names), records["dpc"].to_numpy()[positions]),
    }, index=pd.Index(names, dtype="str"))
    return counts[counts["records"] > 0]


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
    kinds = exposed_kinds(records)
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
