"""Quasi-identifier measures from a table of distinct keys and their record counts.

:func:`exposure.quasi.assess_quasi_identifiers` sees every record at once. An
engine that spreads the records over several machines cannot, and does not
need to: every measure it gives depends only on how many records carry each
combination of quasi-identifier values and sensitive category. A group-by
gives that table (one row per combination, with ``n`` records and the
``first_row`` among them); :func:`assess_distinct_keys` computes the same
measures from it with the same code, and they are merged back onto the
records by key:

- ``fk`` and ``Fk``: the wildcard sums of :func:`exposure._key_rows.wildcard_sums`
  over distinct keys, each weighted by its records;
- MSUs: :func:`exposure.suda.suda` on the distinct keys, each repeated
  ``min(n, 2)`` times: whether a combination is unique only depends on
  whether its count is 1, which the cap keeps;
- homogeneity: :func:`exposure.diversity.homogeneity` on the distinct
  (key, category) rows: how many categories a group holds does not depend
  on how often each occurs;
- expected re-identifications: the exact sum of the records' risks, rounded
  once, as :func:`math.fsum` does.

The results are bit for bit those of the per-record stage: ordering the
table by ``first_row`` encodes values in the same order and adds the same
floating-point numbers in the same order.
"""

from __future__ import annotations

from dataclasses import asdict
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from ._key_rows import wildcard_sums
from ._keys import distinct_rows, encode_column, encode_keys
from .diversity import homogeneity
from .errors import ParameterError
from .reidentification import DatasetRisk, _bf_risk
from .suda import suda

__all__ = ["canonical_keys", "assess_distinct_keys"]

_SENSITIVE = "_sensitive"


def canonical_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """Every column as text that is equal exactly when the values are.

    ``""`` stands for a missing value (NA, or blank text, which the
    quasi-identifier measures treat as missing); any other value becomes
    ``"v"`` followed by its text, so no value can pass for a missing one.
    Group-bys and joins on these columns need no care for NA.

    Examples
    --------
    >>> canonical_keys(pd.DataFrame({"sex": ["F", None, " "],
    ...     "birth_year": pd.array([1987, None, 1990], dtype="Int64")}))
      sex birth_year
    0  vF      v1987
    1
    2          v1990
    """
    columns = {}
    for name in frame.columns:
        values = frame[name]
        if pd.api.types.is_float_dtype(values.dtype):
            values = values + 0.0  # -0.0 == 0.0, but their texts differ
        text = values.astype("str")
        missing = values.isna().to_numpy() | (text.str.strip() == "").fillna(True).to_numpy()
        columns[name] = ("v" + text).where(~missing, "").astype("str")
    return pd.DataFrame(columns, index=frame.index)


def assess_distinct_keys(distinct: pd.DataFrame, keys: list[str], *,
                         population: int | None = None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Per-combination quasi-identifier risk, MSUs and homogeneity, plus dataset measures.

    Parameters
    ----------
    distinct : DataFrame of shape (n_combinations, n_keys + 3)
        One row per distinct combination of ``keys`` and ``_sensitive`` (the
        sensitive category; missing values NA or ``""``), with ``n`` (its
        records, >= 1) and ``first_row`` (the smallest row among them).
    keys : list of str
        The quasi-identifier columns, as for :func:`exposure.quasi.quasi_identifiers`.
    population : int, default=None
        As for :func:`exposure.quasi.assess_quasi_identifiers`.

    Returns
    -------
    per_key : DataFrame indexed like ``distinct``
        ``qi_fk``, ``qi_risk``, ``msus`` (for a record without direct
        identifier; the others get ``""``) and ``inference_homogeneous``:
        what :func:`~exposure.quasi.assess_quasi_identifiers` gives each
        record of the combination.
    measures : dict
        As :func:`~exposure.quasi.assess_quasi_identifiers` gives them.

    Raises
    ------
    ParameterError
        ``population`` smaller than the number of records.

    Examples
    --------
    Three records, two of them alike:

    >>> distinct = pd.DataFrame({"sex": ["F", "M"], "_sensitive": ["", ""],
    ...                          "n": [2, 1], "first_row": [1, 2]})
    >>> per_key, measures = assess_distinct_keys(distinct, ["sex"])
    >>> per_key
       qi_fk  qi_risk msus  inference_homogeneous
    0      2      0.5                       False
    1      1      1.0  sex                  False
    >>> measures["expected_reidentifications"], measures["sample_uniques"]
    (2.0, 1)
    """
    n_records = int(distinct["n"].sum())
    if population is not None and population < max(n_records, 1):
        raise ParameterError(f"The 'population' parameter of assess_distinct_keys must be an "
                             f"int >= the number of records ({n_records}). Got {population} "
                             "instead.")
    per_key = pd.DataFrame(index=distinct.index)
    if n_records == 0 or not keys:
        per_key["qi_fk"] = n_records
        per_key["qi_risk"] = ((population and 1.0 / population)
                              or (1.0 / n_records if n_records else 0.0))
        per_key["msus"] = ""
        per_key["inference_homogeneous"] = False
        return per_key, {"keys": keys, "population": population}

    table = distinct.sort_values("first_row", kind="stable")
    codes, cards = encode_keys(table, keys)
    ids, rows, _ = distinct_rows(codes, cards)
    counts = np.bincount(ids, weights=table["n"].to_numpy(dtype=np.float64))
    fk, fw = _frequencies(rows, cards, counts, n_records, population)
    risk = 1.0 / fk if population is None else _bf_risk(fk, fw, "approx")

    copies = np.minimum(counts, 2).astype(np.int64)
    first = np.unique(ids, return_index=True)[1]  # a row of each key, by key id
    msus = suda(table[keys].iloc[np.repeat(first, copies)], keys)["msus"].to_numpy()
    msus_by_key = msus[np.cumsum(copies) - copies]
    groups = homogeneity(table[[*keys, _SENSITIVE]], keys, _SENSITIVE)
    sensitive = encode_column(table[_SENSITIVE])[0] >= 0
    homogeneous = groups["homogeneous"].to_numpy(dtype=bool) & sensitive & (fk[ids] >= 2)

    out = pd.DataFrame({"qi_fk": fk[ids].astype(np.int64), "qi_risk": risk[ids].astype(np.float64),
                        "msus": msus_by_key[ids], "inference_homogeneous": homogeneous},
                       index=table.index).astype({"msus": "str"})
    n = table["n"].to_numpy(dtype=np.int64)
    measures = {"keys": keys, "population": population,
                **asdict(_dataset_risk(fk, risk, counts, n_records)),
                "homogeneous_records": int(n[homogeneous].sum())}
    return out.reindex(distinct.index), measures


def _frequencies(rows: np.ndarray, cards: np.ndarray, counts: np.ndarray, n_records: int,
                 population: int | None) -> tuple[np.ndarray, np.ndarray]:
    """``fk`` and ``Fk`` of each distinct key, as ``_key_rows.frequencies`` gives them.

    A key's weight is the sum of its records' weights, all ``population / n``:
    ``np.cumsum`` adds them one by one as ``np.bincount`` does, to the last bit.
    """
    if population is None:
        weights = counts
    else:
        each = np.full(int(counts.max()), population / n_records)
        weights = np.cumsum(each)[counts.astype(np.int64) - 1]
    if not (rows < 0).any():
        return counts, weights
    per_key = wildcard_sums(rows, cards, np.column_stack([counts, weights]))
    fk, fw = per_key[:, 0], per_key[:, 1]
    all_missing = (rows < 0).all(axis=1)
    if all_missing.any():
        # A record with every key missing matches all n records; its Fk is the
        # sum of all weights, which numpy adds pairwise: add the same numbers.
        total = (float(n_records) if population is None
                 else np.full(n_records, population / n_records).sum())
        fk = np.where(all_missing, float(n_records), fk)
        fw = np.where(all_missing, total, fw)
    return fk, (fk if population is None else fw)


def _dataset_risk(fk: np.ndarray, risk: np.ndarray, counts: np.ndarray,
                  n_records: int) -> DatasetRisk:
    """:func:`exposure.reidentification.dataset_risk` over the records of each distinct key."""
    by_risk = pd.Series(counts).groupby(risk).sum()
    exact = sum(Fraction(float(r)) * int(c) for r, c in by_risk.items())
    expected = float(exact)  # one rounding of the exact sum, as math.fsum over records
    uniques = int(counts[fk == 1].sum())
    return DatasetRisk(n_records=n_records, expected_reidentifications=expected,
                       reidentification_rate=expected / n_records, sample_uniques=uniques,
                       sample_unique_share=uniques / n_records, min_k=int(fk.min()))
