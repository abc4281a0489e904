"""The "enrich" stage: what each normalised record reveals and how identifiable it is.

Adds to every record its specialty (label, else practitioner), the tier,
categories and DPC that specialty carries, the quasi-identifier risk (a
global step: frequencies over the whole leak) and the identifiability (EI)
its direct identifiers give. :func:`enrich` is the whole stage on one frame;
the per-record helpers are shared with the Dask engine
(:mod:`exposure._dask_enrich`), which does the global step as a group-by.

The columns it adds are compact: the text ones with few values are
categoricals (one byte per record), the integers as small as their range
allows; the floats stay float64, as they are written.
"""

from __future__ import annotations

from typing import Any

import numpy as np
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

_ADULT_AGE = 18
_DAYS_PER_YEAR = 365.2425


def enrich(records: pd.DataFrame, mapping: ColumnMapping, incident: Incident,
           population: int | None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Add specialty, quasi-identifier risk and identifiability to every record.

    Returns the enriched records (same rows, same order) and the
    leak-level re-identification measures for ``summary.json``.
    """
    table = load_specialty_table()
    specialty = lookup_specialties(records["specialty_label"], table)
    specialty = fill_from_practitioner(specialty, records["practitioner"], table)
    records = with_specialty(records.assign(**specialty), table)
    direct, sensitive = quasi_context(records)
    per_record, measures = assess_quasi_identifiers(
        quasi_identifiers(records, mapping), direct=direct, sensitive=sensitive,
        population=population)
    return with_identifiability(records.assign(**per_record), incident), measures


def with_specialty(records: pd.DataFrame, table: SpecialtyTable) -> pd.DataFrame:
    """Add ``tier``, ``categories``, ``dpc`` and ``primary_category`` from ``specialty_code``.

    Each is looked up once per code of the table and given to the records by
    their code's position: ``dpc`` as int8, the others as categoricals whose
    categories are every value the table holds, sorted.
    """
    code = records["specialty_code"].astype(table.code_dtype).cat.codes.to_numpy()
    by_code = table.rows.reindex(table.code_dtype.categories)
    columns = {"tier": by_code["tier"],
               "categories": by_code["categories"],
               "primary_category": by_code["categories"].str.split("|").str[0]}
    added = {name: _spread(values, code) for name, values in columns.items()}
    dpc = by_code["tier"].map(TIER_DPC).to_numpy(dtype=np.int8)
    return records.assign(tier=added["tier"], categories=added["categories"], dpc=dpc[code],
                          primary_category=added["primary_category"])


def _spread(by_code: pd.Series, code: np.ndarray) -> pd.Categorical:
    """The value of each record's code, as a categorical of the table's sorted values."""
    positions, values = pd.factorize(by_code.astype("str"), sort=True)
    return pd.Categorical.from_codes(positions[code], categories=values)


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
    present = {column: records[column].notna()
               for column in ("name", "email", "phone", "birth_date", "nir", "address")}
    ei = identifiability(
        has_name=present["name"], email=present["email"],
        email_named=_email_named(records, present), phone=present["phone"],
        birth_date=present["birth_date"], nir=present["nir"], risk=records["qi_risk"],
        address=present["address"])
    if incident.unintelligible:
        # Keep what the data would have allowed: the exemption of Art. 34(3)(a)
        # is reported for the patients it actually spares.
        ei = ei.assign(ei_readable=ei["ei"], ei=0.25, ei_reason="EI_UNINTELLIGIBLE")
    return records.assign(**ei, minor=_minor(records))


def _email_named(records: pd.DataFrame, present: dict[str, pd.Series]) -> pd.Series:
    """Does the e-mail reveal the name, where that can decide the EI.

    It only can for an e-mail with no NIR and no full name beside it (those
    rank first in :func:`~exposure.identify.identifiability`): the search is
    made on those records only, the others are given False.
    """
    deciding = present["email"] & ~present["nir"] & ~present["name"]
    named = pd.Series(False, index=records.index)
    if deciding.any():
        named[deciding] = email_contains_name(records.loc[deciding, "email"],
                                              records.loc[deciding, "last_name"]).to_numpy()
    return named


def _minor(records: pd.DataFrame) -> np.ndarray:
    """Under 18 on the day of the appointment, or by the age column."""
    appointment = records["appointment_at"].to_numpy()
    birth = records["birth_date"].to_numpy()
    dated = np.flatnonzero(~(np.isnat(appointment) | np.isnat(birth)))
    # Whole days, rounded down as Timedelta.days rounds them.
    days = (appointment[dated] - birth[dated]) // np.timedelta64(1, "D")
    minor = (records["age"] < _ADULT_AGE).fillna(False).to_numpy(dtype=bool, copy=True)
    minor[dated] |= days / _DAYS_PER_YEAR < _ADULT_AGE
    return minor
