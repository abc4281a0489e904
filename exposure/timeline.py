"""``summary.json``'s ``timeline``: exposed appointments over time, by the patient's level.

Also the level cross-table the report's figures are drawn from. Counts only,
on integer codes: a few hundred periods and four levels, whatever the number
of records.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ._by_patient import patient_positions
from .incident import LEVELS

__all__ = ["appointments_over_time", "level_crosstab"]

_DAY_SPAN, _WEEK_SPAN = 92, 731


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
                      + [-1], dtype=np.int8)  # a byte a record: ten million are 10 MB
    level = lookup[levels]
    kept = (rows >= 0) & (level >= 0)
    if not kept.all():
        rows, level = rows[kept], level[kept]
    pair = rows * width  # in place from here: no other temporary of n
    pair += level
    counts = np.bincount(pair, minlength=len(row_names) * width).reshape(-1, width)
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
    level_codes, level_names = pd.factorize(patients["level"], use_na_sentinel=True)
    positions = patient_positions(records["patient_id"], pd.Index(patients["patient_id"]))
    # A record of no listed patient: missing (-1, the last). Few levels: a byte each.
    level = np.append(level_codes, -1).astype(np.min_scalar_type(-len(level_names) - 1))[
        positions]
    days = records["appointment_at"].to_numpy().astype("datetime64[D]")
    dated = ~np.isnat(days)
    if not dated.all():
        days, level = days[dated], level[dated]
    base = {"undated_records": int((~dated).sum())}
    if not len(days):
        return {"unit": "day", "first": None, "last": None, **base, "counts": []}
    first, last = days.min(), days.max()
    span = int((last - first) / np.timedelta64(1, "D"))
    if span <= _DAY_SPAN:
        unit, period = "day", days
    elif span <= _WEEK_SPAN:  # from Monday: 1970-01-01 was a Thursday
        unit, period = "week", days - (days.view(np.int64) + 3) % 7
    else:
        unit, period = "month", days.astype("datetime64[M]").astype("datetime64[D]")
    # A few hundred periods at most, numbered by day (in order): format each once.
    offset = period.view(np.int64) - period.min().view(np.int64)
    present = np.bincount(offset) > 0
    periods = pd.DatetimeIndex(period.min() + np.flatnonzero(present).astype("timedelta64[D]"))
    dense = (np.cumsum(present) - 1).astype(np.int32)[offset]
    table = level_crosstab(dense, list(periods.strftime("%Y-%m-%d")), level, level_names)
    counts = [{"period": str(p), **{lv: int(n) for lv, n in row.items()}}
              for p, row in table.iterrows()]
    return {"unit": unit, "first": pd.Timestamp(first).strftime("%Y-%m-%d"),
            "last": pd.Timestamp(last).strftime("%Y-%m-%d"), **base, "counts": counts}
