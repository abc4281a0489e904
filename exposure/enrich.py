"""The "enrich" stage: what each normalised record reveals and how identifiable it is.

Adds to every record its specialty (label, else practitioner), the tier,
categories and DPC that specialty carries, the quasi-identifier risk (a
global step: frequencies over the whole leak) and the identifiability (EI)
its direct identifiers give. :func:`enrich` is the whole stage on one frame;
the per-record helpers are shared with the Dask engine
(:mod:`exposure._dask_enrich`), which does the global step as a group-by.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .columns import ColumnMapping
from .identify import email_contains_name, identifiability
from .incident import Incident
from .quasi import assess_quasi_identifiers, quasi_identifiers
from .specialty import (
    TIER_DPC,
    SpecialtyTable,
    fill_from_practitioner,
    load_specialty_table,
    lookup_specialties,
)

__all__ = ["enrich", "quasi_context", "with_identifiability", "with_specialty"]


def enrich(records: pd.DataFrame, mapping: ColumnMapping, incident: Incident,
           population: int | None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Add specialty, quasi-identifier risk and identifiability to every record.

    Returns the enriched records (same rows, same order) and the
    leak-level re-identification measures for ``summary.json``.
    """
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

