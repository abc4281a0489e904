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
from typing import Any

import numpy as np
import pandas as pd

from .columns import ColumnMapping
from .diversity import homogeneity
from .errors import ParameterError
from .reidentification import dataset_risk, individual_risk
from .suda import suda

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
    values = {
        "sex": records["sex"], "birth_year": records["birth_date"].dt.year.astype("Int64"),
        "age": records["age"], "postal_code": records["postal_code"], "city": records["city"],
        "practitioner": records["practitioner"],
        "appointment_day": records["appointment_at"].dt.strftime("%Y-%m-%d"),
    }
    keys = [key for key, role in QI_KEYS.items() if mapping.has(role)]
    return pd.DataFrame({key: values[key] for key in keys}, index=records.index)


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
        ``qi_fk``, ``qi_risk``, ``msus``, ``inference_homogeneous``.
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
    risk = individual_risk(quasi, keys, weights=weights)
    per_record["qi_fk"] = risk["fk"].astype("int64")
    per_record["qi_risk"] = risk["risk"].astype("float64")
    per_record["msus"] = ""
    need_msus = ~direct.to_numpy(dtype=bool)
    if need_msus.any():
        per_record.loc[need_msus, "msus"] = suda(quasi, keys)["msus"].to_numpy()[need_msus]
    groups = homogeneity(quasi.assign(_sensitive=sensitive.to_numpy()), keys, "_sensitive")
    per_record["inference_homogeneous"] = (
        groups["homogeneous"].to_numpy(dtype=bool) & sensitive.notna().to_numpy()
        & (risk["fk"].to_numpy() >= 2))
    measures = {"keys": keys, "population": population,
                **asdict(dataset_risk(risk)),
                "homogeneous_records": int(per_record["inference_homogeneous"].sum())}
    return per_record, measures
