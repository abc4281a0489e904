"""Re-identification through quasi-identifiers, per record (DESIGN.md section 5).

Not every leak carries names. A pseudonymised export still holds sex, birth
year, postal code, the practitioner and the appointment day, and anyone who
knows a colleague's few facts can find her record. This stage measures that,
as sdcMicro does (:mod:`exposure.reidentification`, :mod:`exposure.suda`,
:mod:`exposure.diversity`):

- ``qi_risk``: ``1/fk`` without weights, the Benedetti-Franconi individual
  risk with sampling weights (``population`` gives uniform weights N/n);
  missing values match any value (sdcMicro's wildcards);
- ``msus``: for records with no direct identifier, the minimal sets of
  values that single them out ("sex + birth_year + postal_code"), the
  explanation a DPO needs;
- ``inference_homogeneous``: the record's group (two or more records alike
  on every quasi-identifier) all share one sensitive category: knowing that
  someone is in the group reveals it, even without singling anyone out.
"""

from __future__ import annotations

from dataclasses import asdict
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from ._key_rows import KeyRows, frequencies, key_rows
from ._keys import encode_column
from .columns import ColumnMapping
from .errors import ParameterError
from .reidentification import DatasetRisk, _bf_risk, dataset_risk
from .suda import special_uniques

__all__ = ["QI_KEYS", "quasi_identifiers", "assess_quasi_identifiers"]

#: Quasi-identifier -> the column role it comes from.
QI_KEYS = {"sex": "sex", "birth_year": "birth_date", "age": "age", "postal_code": "postal_code",
           "city": "city", "practitioner": "practitioner", "appointment_day": "appointment_at"}


def quasi_identifiers(records: pd.DataFrame, mapping: ColumnMapping) -> pd.DataFrame:
    """The quasi-identifier columns of the roles present in the input.

    Examples
    --------
    >>> from exposure.columns import ColumnMapping
    >>> recs = pd.DataFrame({"sex": ["F"], "birth_date": pd.to_datetime(["1987-03-12"]),
    ...     "age": [np.nan], "postal_code": [None], "city": [None], "practitioner": ["dr x"],
    ...     "appointment_at": pd.to_datetime(["2020-07-06 10:00"])})
    >>> list(quasi_identifiers(recs, ColumnMapping({"sex": "S", "birth_date": "B"})).columns)
    ['sex', 'birth_year']
    """
    keys = [key for key, role in QI_KEYS.items() if mapping.has(role)]
    return pd.DataFrame({key: _quasi_value(records, key) for key in keys}, index=records.index)


def _quasi_value(records: pd.DataFrame, key: str) -> pd.Series:
    """One quasi-identifier column; the day is a date (midnight), which groups as its text would."""
    if key == "birth_year":
        return records["birth_date"].dt.year.astype("Int64")
    if key == "appointment_day":
        return records["appointment_at"].dt.normalize()
    return records[key]


def assess_quasi_identifiers(quasi: pd.DataFrame, *, direct: pd.Series, sensitive: pd.Series,
                             population: int | None = None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Per-record quasi-identifier risk, MSUs and homogeneity, plus dataset measures.

    Parameters
    ----------
    quasi : DataFrame of shape (n_records, n_keys)
        From :func:`quasi_identifiers`; no column means every record looks alike.
    direct : Series of bool
        The record carries a direct identifier (MSUs are only searched for the
        others: the direct identifier already names them).
    sensitive : Series of str
        The record's primary sensitive category, missing when its specialty
        reveals nothing sensitive.
    population : int, default=None
        Size of the population the leak was drawn from; gives every record the
        weight ``population / n_records``. None: the leak is the population.

    Returns
    -------
    per_record : DataFrame
        ``qi_fk`` (int32), ``qi_risk``, ``msus`` (categorical: a leak has few
        distinct sets), ``inference_homogeneous``.
    measures : dict
        ``keys``, ``expected_reidentifications``, ``sample_uniques``,
        ``sample_unique_share``, ``min_k``, ``homogeneous_records``,
        ``population``.

    Raises
    ------
    ParameterError
        ``population`` smaller than the number of records.
    """
    n = len(quasi)
    keys = list(quasi.columns)
    if population is not None and population < max(n, 1):
        raise ParameterError(f"The 'population' parameter of assess_quasi_identifiers must be an "
                             f"int >= the number of records ({n}). Got {population} instead.")
    per_record = pd.DataFrame(index=quasi.index)
    if n == 0 or not keys:
        per_record["qi_fk"] = n
        per_record["qi_risk"] = (population and 1.0 / population) or (1.0 / n if n else 0.0)
        per_record["msus"] = ""
        per_record["inference_homogeneous"] = False
        return per_record, {"keys": keys, "population": population}
    weights = None if population is None else np.full(n, population / n)
    keyed = key_rows(quasi, keys)
    fk, fw = frequencies(keyed, weights, "wildcard")
    risk = 1.0 / fk if weights is None else _bf_risk(fk, fw, "approx")
    # Everything is computed once per distinct key row, then given to its records.
    ids = keyed.ids
    record_fk = fk[ids]
    per_record["qi_fk"] = record_fk.astype(np.int32 if n < 2**31 else np.int64)
    per_record["qi_risk"] = risk[ids]
    per_record["msus"] = _msus(keyed, keys, ~direct.to_numpy(dtype=bool))
    category = encode_column(sensitive)[0]
    per_record["inference_homogeneous"] = (_homogeneous(keyed, category)[ids] & (record_fk >= 2)
                                           & sensitive.notna().to_numpy())
    summary = (_unweighted_risk(fk, keyed.counts, n) if weights is None else dataset_risk(
        pd.DataFrame({"fk": record_fk, "risk": per_record["qi_risk"]})))
    measures = {"keys": keys, "population": population, **asdict(summary),
                "homogeneous_records": int(per_record["inference_homogeneous"].sum())}
    return per_record, measures


def _unweighted_risk(fk: np.ndarray, counts: np.ndarray, n: int) -> DatasetRisk:
    """:func:`~exposure.reidentification.dataset_risk` of the records, from their key rows.

    Without weights a record's risk is ``1 / fk``: the sum over records is,
    for each value ``v`` of ``fk``, the number of records with it times
    ``1 / v``, added exactly and rounded once, which is what ``math.fsum`` over
    the records gives (ten million of them take a third of a second).
    """
    whole = fk.astype(np.int64)  # counts of records: whole numbers
    if whole.max() <= 4 * len(whole) + 1024:
        records = np.bincount(whole, weights=counts)
        values = np.flatnonzero(records)
        records = records[values]
    else:
        values, position = np.unique(whole, return_inverse=True)
        records = np.bincount(position, weights=counts, minlength=len(values))
    exact = sum(Fraction(1.0 / float(v)) * int(c) for v, c in zip(values, records, strict=True))
    expected = float(exact)
    uniques = int(counts[whole == 1].sum())
    return DatasetRisk(n_records=n, expected_reidentifications=expected,
                       reidentification_rate=expected / n, sample_uniques=uniques,
                       sample_unique_share=uniques / n, min_k=int(values[0]))


def _homogeneous(keyed: KeyRows, category: np.ndarray) -> np.ndarray:
    """Rows whose records all have one sensitive category (none missing).

    :func:`exposure.diversity.homogeneity`'s ``homogeneous`` (``l_distinct ==
    1``, missing keys forming groups of their own) for each key row, from the
    smallest and largest category code of its records (``-1`` for missing).
    """
    n_rows = len(keyed.rows)
    low = np.full(n_rows, np.iinfo(np.int64).max)
    high = np.full(n_rows, -1, dtype=np.int64)
    np.minimum.at(low, keyed.ids, category)
    np.maximum.at(high, keyed.ids, category)
    return (low == high) & (low >= 0)


def _msus(keyed: KeyRows, keys: list[str], wanted: np.ndarray) -> pd.Categorical:
    """The MSUs of the ``wanted`` records (:func:`exposure.suda.suda`'s), ``""`` for the others.

    The others carry a direct identifier, which names them already.
    Categorical: a leak has a few dozen distinct sets of MSUs.
    """
    if not wanted.any():
        return pd.Categorical.from_codes(np.zeros(len(wanted), dtype=np.int8),
                                         categories=pd.Index([""], dtype="str"))
    _, msu_set, labels = special_uniques(keyed, keys)
    # Sorted categories, so that the column sorts as its text would; "" (no MSU) is first.
    positions, texts = pd.factorize(pd.Index(labels, dtype="str"), sort=True)
    codes = np.where(wanted, positions[msu_set[keyed.ids]], positions[0])
    return pd.Categorical.from_codes(codes, categories=texts)
