"""Re-identification risk from quasi-identifiers, as sdcMicro computes it.

:func:`individual_risk` gives, for each record, the sample frequency ``fk`` of
its key (its combination of quasi-identifier values), the estimated population
frequency ``Fk`` and the individual risk, with exactly the definitions of
sdcMicro's ``freqCalc`` and ``indivRisk`` (Templ, Kowarik and Meindl 2015).
:func:`dataset_risk` summarises them for the whole file.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import hyp2f1

from exposure._key_rows import frequencies, key_rows
from exposure._keys import check_choice, check_keys
from exposure.errors import ParameterError

__all__ = ["DatasetRisk", "dataset_risk", "individual_risk"]

_METHODS = ("approx", "exact")
_MISSING = ("wildcard", "category")


def individual_risk(
    frame: pd.DataFrame,
    keys: Sequence[str],
    weights: str | Sequence[float] | np.ndarray | pd.Series | None = None,
    method: str = "approx",
    missing: str = "wildcard",
) -> pd.DataFrame:
    """Per-record re-identification risk from the quasi-identifiers ``keys``.

    Parameters
    ----------
    frame : DataFrame of shape (n_records, n_columns)
        The leaked records.
    keys : list of str
        The quasi-identifier columns (e.g. sex, birth year, postal code).
    weights : str or array-like of shape (n_records,), default=None
        Sampling weights (each >= 1: the number of population members a record
        stands for), as a column name of ``frame`` or an array. ``None`` means
        the file is the population: the risk is then ``1 / fk``.
    method : {"approx", "exact"}, default="approx"
        With weights, how the Benedetti–Franconi risk is computed for
        ``fk >= 3`` (see Notes).
    missing : {"wildcard", "category"}, default="wildcard"
        ``"wildcard"``: a missing key value (NA, None, ``""``) matches any value,
        as in sdcMicro. ``"category"``: missing is a value of its own.

    Returns
    -------
    DataFrame of shape (n_records, 3)
        Indexed like ``frame``: ``fk`` (int, records matching the record's key),
        ``Fk`` (float, sum of their weights; ``fk`` without weights) and
        ``risk`` (float, in (0, 1]).

    Raises
    ------
    ParameterError
        If ``keys`` do not name columns, ``method`` or ``missing`` is unknown, or
        ``weights`` has the wrong length, is not numeric, or has a value below 1.

    See Also
    --------
    dataset_risk : Expected re-identifications, share of sample uniques, minimum k.
    exposure.suda.suda : Which attribute values single a record out.

    Notes
    -----
    **Frequencies** (sdcMicro ``freqCalc``, ``alpha = 1``). Without missing
    values, ``fk`` is the number of records with the same key and ``Fk`` the sum
    of their weights. With ``missing="wildcard"``, two records match when, in
    every key, their values are equal or one of them is missing; ``fk`` counts
    the matching records (the record included). Two rules are sdcMicro's own:
    a record whose keys are all missing gets ``fk = n`` and ``Fk`` = the sum of
    all weights; and, with two or more keys, a record with no missing key does
    not count the all-missing records (sdcMicro leaves ``addAllNAtoKeys``
    switched off).

    **Risk** (sdcMicro ``indivRisk``). Without weights, ``risk = 1 / fk``.
    With weights, ``pk = fk / Fk`` and (Benedetti and Franconi; Franconi and
    Polettini 2004):

    - ``fk = 1``: ``pk / (1 - pk) * log(1 / pk)``
    - ``fk = 2``: ``pk / (1 - pk) - (pk / (1 - pk))**2 * log(1 / pk)``
    - ``fk >= 3``, approx: ``pk / (fk - (1 - pk))``
    - ``fk >= 3``, exact: the posterior mean of ``1 / F``, ``F - fk`` being
      negative binomial; sdcMicro sums an alternating series that overflows once
      ``fk`` reaches about 8 with weights near 1. We use the same quantity in
      closed form, ``hyp2f1(1, fk; fk + 1; -(Fk - fk) / fk) / fk``, which equals
      sdcMicro's series wherever the series is finite.
    - whenever ``fk == Fk`` (all weights 1): ``1 / fk``.

    Examples
    --------
    >>> import pandas as pd
    >>> leak = pd.DataFrame({"sex": ["F", "F", "M"], "zip": ["69003", "69003", "69003"]})
    >>> individual_risk(leak, ["sex", "zip"])
       fk   Fk  risk
    0   2  2.0   0.5
    1   2  2.0   0.5
    2   1  1.0   1.0
    >>> individual_risk(leak, ["sex", "zip"], weights=[5, 5, 10]).round(4)
       fk    Fk    risk
    0   2  10.0  0.1494
    1   2  10.0  0.1494
    2   1  10.0  0.2558
    """
    func = "individual_risk"
    keys = check_keys(frame, keys, func)
    check_choice(method, "method", func, _METHODS)
    check_choice(missing, "missing", func, _MISSING)
    w = _check_weights(frame, weights, func)
    keyed = key_rows(frame, keys)
    fk, fw = frequencies(keyed, w, missing)
    risk = 1.0 / fk if w is None else _bf_risk(fk, fw, method)
    # Computed once per distinct key, given to each of its records.
    ids = keyed.ids
    return pd.DataFrame({"fk": fk[ids].astype(np.int64), "Fk": fw[ids], "risk": risk[ids]},
                        index=frame.index)


def _check_weights(frame: pd.DataFrame, weights: object, func: str) -> np.ndarray | None:
    if weights is None:
        return None
    if isinstance(weights, str):
        if weights not in frame.columns:
            raise ParameterError(
                f"The 'weights' parameter of {func} must be a column of frame or an array. "
                f"Got {weights!r} instead."
            )
        weights = frame[weights]
    try:
        w = np.asarray(
            pd.to_numeric(pd.Series(np.asarray(weights, dtype=object)), errors="raise"),
            dtype=np.float64,
        )
    except (TypeError, ValueError):
        raise ParameterError(
            f"The 'weights' parameter of {func} must hold numbers. Got non-numeric values instead."
        ) from None
    if w.ndim != 1 or len(w) != len(frame):
        raise ParameterError(
            f"The 'weights' parameter of {func} must have one value per record ({len(frame)}). "
            f"Got {w.size} values instead."
        )
    bad = int((~np.isfinite(w) | (w < 1)).sum())
    if bad:
        raise ParameterError(
            f"The 'weights' parameter of {func} must hold sampling weights >= 1 (population "
            f"members per record). Got {bad} missing, infinite or smaller values instead."
        )
    return w


def _bf_risk(fk: np.ndarray, Fk: np.ndarray, method: str) -> np.ndarray:
    """Benedetti–Franconi individual risk, as sdcMicro's ``indivRisk``, computed stably.

    With ``d = (Fk - fk) / fk`` (>= 0): ``pk / (1 - pk) = 1 / d`` and
    ``log(1 / pk) = log1p(d)``, which avoids cancellation when weights are near 1.
    """
    d = (Fk - fk) / fk
    risk = np.empty_like(fk)
    with np.errstate(divide="ignore", invalid="ignore"):
        one = fk == 1
        risk[one] = np.log1p(d[one]) / d[one]
        two = fk == 2
        risk[two] = _fk2_risk(d[two])
        many = fk >= 3
        if method == "approx":
            pk = fk[many] / Fk[many]
            risk[many] = pk / (fk[many] - (1.0 - pk))
        else:
            risk[many] = hyp2f1(1.0, fk[many], fk[many] + 1.0, -d[many]) / fk[many]
    equal = fk == Fk
    risk[equal] = 1.0 / fk[equal]
    return risk


def _fk2_risk(d: np.ndarray) -> np.ndarray:
    """``1/d - log1p(d)/d**2`` without cancellation for small ``d``."""
    out = np.empty_like(d)
    small = d < 1e-3
    ds = d[small]
    out[small] = 0.5 - ds / 3 + ds**2 / 4 - ds**3 / 5
    dl = d[~small]
    out[~small] = 1.0 / dl - np.log1p(dl) / dl**2
    return out


@dataclass(frozen=True)
class DatasetRisk:
    """File-level re-identification measures (sdcMicro ``measure_risk`` globals).

    Attributes
    ----------
    n_records : int
        Number of records.
    expected_reidentifications : float
        Sum of the individual risks (sdcMicro ``global_risk_ER``). Without
        weights, the number of distinct keys.
    reidentification_rate : float
        ``expected_reidentifications / n_records`` (sdcMicro ``global_risk``).
    sample_uniques : int
        Records whose key no other record shares (``fk == 1``).
    sample_unique_share : float
        ``sample_uniques / n_records``.
    min_k : int
        Smallest ``fk``: the file is ``min_k``-anonymous.
    """

    n_records: int
    expected_reidentifications: float
    reidentification_rate: float
    sample_uniques: int
    sample_unique_share: float
    min_k: int


def dataset_risk(risk_frame: pd.DataFrame) -> DatasetRisk:
    """Summarise per-record risks into file-level measures.

    Parameters
    ----------
    risk_frame : DataFrame of shape (n_records, 3)
        The output of :func:`individual_risk` (columns ``fk`` and ``risk``).

    Returns
    -------
    DatasetRisk
        Expected re-identifications, rate, sample uniques and their share, and
        the minimum k. For an empty frame every measure is 0.

    Raises
    ------
    ParameterError
        If ``risk_frame`` lacks the ``fk`` or ``risk`` column.

    See Also
    --------
    individual_risk : The per-record measures summarised here.

    Examples
    --------
    >>> import pandas as pd
    >>> leak = pd.DataFrame({"sex": ["F", "F", "M"], "zip": ["69003", "69003", "69003"]})
    >>> risks = individual_risk(leak, ["sex", "zip"])
    >>> dataset_risk(risks)  # doctest: +NORMALIZE_WHITESPACE +ELLIPSIS
    DatasetRisk(n_records=3, expected_reidentifications=2.0, reidentification_rate=0.666...,
                sample_uniques=1, sample_unique_share=0.333..., min_k=1)
    """
    absent = [c for c in ("fk", "risk") if c not in getattr(risk_frame, "columns", ())]
    if absent:
        raise ParameterError(
            "The 'risk_frame' parameter of dataset_risk must be the output of individual_risk. "
            f"Got a frame without the {absent[0]!r} column instead."
        )
    n = len(risk_frame)
    if n == 0:
        return DatasetRisk(0, 0.0, 0.0, 0, 0.0, 0)
    fk = risk_frame["fk"].to_numpy()
    expected = math.fsum(risk_frame["risk"].to_numpy(dtype=np.float64))
    uniques = int((fk == 1).sum())
    return DatasetRisk(
        n_records=n,
        expected_reidentifications=expected,
        reidentification_rate=expected / n,
        sample_uniques=uniques,
        sample_unique_share=uniques / n,
        min_k=int(fk.min()),
    )
