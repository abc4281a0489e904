"""Homogeneity of a sensitive attribute inside quasi-identifier groups (distinct l-diversity).

Someone who knows a patient's sex, birth year and postal code may not be able
to single out her record, yet learn her diagnosis if every record sharing those
values has the same specialty category: a *homogeneity attack*
(Machanavajjhala et al. 2007). :func:`homogeneity` gives each record the number
of distinct sensitive values in its group and flags the groups with only one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from exposure._keys import (
    check_choice,
    check_keys,
    distinct_rows,
    encode_column,
    encode_keys,
    wildcard_reduce,
)
from exposure.errors import ParameterError

__all__ = ["homogeneity"]

_MISSING = ("category", "wildcard")
_MAX_WORDS = 16


def homogeneity(
    frame: pd.DataFrame,
    keys: Sequence[str],
    sensitive: str,
    *,
    missing: str = "category",
) -> pd.DataFrame:
    """Distinct sensitive values in each record's quasi-identifier group.

    Parameters
    ----------
    frame : DataFrame of shape (n_records, n_columns)
        The leaked records.
    keys : list of str
        The quasi-identifier columns that form the groups.
    sensitive : str
        The column an attacker wants to learn (e.g. the specialty category).
    missing : {"category", "wildcard"}, default="category"
        How a missing key value (NA, None, ``""``) forms groups. ``"category"``
        (sdcMicro ``ldiversity``): missing is a value of its own, groups are
        records with identical keys. ``"wildcard"``: a record's group is the
        ``fk`` records that :func:`~exposure.reidentification.individual_risk`
        counts as matching it (missing matches any value).

    Returns
    -------
    DataFrame of shape (n_records, 2)
        Indexed like ``frame``: ``l_distinct`` (int, distinct sensitive values in
        the group) and ``homogeneous`` (bool, ``l_distinct == 1``: knowing the
        record's quasi-identifiers reveals its sensitive value).

    Raises
    ------
    ParameterError
        If ``keys`` or ``sensitive`` do not name columns, ``sensitive`` is one of
        ``keys``, or ``missing`` is unknown; with ``"wildcard"``, if the
        sensitive column has more than 1,023 distinct values.

    See Also
    --------
    exposure.reidentification.individual_risk : The size ``fk`` of the same groups.

    Notes
    -----
    As sdcMicro counts distinct l-diversity: a missing sensitive value counts as
    one more value when the group has at least one non-missing value, and a
    group whose sensitive values are all missing has ``l_distinct = 0`` (nothing
    to reveal, so not homogeneous). A group of one record is homogeneous: who
    singles it out learns its value.

    The default follows sdcMicro. With ``"wildcard"`` a few records with nearly
    every key missing join almost every group, and homogeneity then disappears
    everywhere; ``"category"`` keeps it visible.

    Examples
    --------
    >>> import pandas as pd
    >>> leak = pd.DataFrame({
    ...     "sex": ["F", "F", "M", "M"],
    ...     "birth_year": ["1987", "1987", "1990", "1990"],
    ...     "category": ["oncology", "oncology", "general", "mental_health"],
    ... })
    >>> homogeneity(leak, ["sex", "birth_year"], "category")
       l_distinct  homogeneous
    0           1         True
    1           1         True
    2           2        False
    3           2        False
    """
    func = "homogeneity"
    keys = check_keys(frame, keys, func)
    check_choice(missing, "missing", func, _MISSING)
    if not isinstance(sensitive, str) or sensitive not in frame.columns or sensitive in keys:
        raise ParameterError(
            f"The 'sensitive' parameter of {func} must be a column of frame that is not one of "
            f"the keys. Got {sensitive!r} instead."
        )
    codes, cards = encode_keys(frame, keys)
    value, n_values = encode_column(frame[sensitive])
    ids, rows, _ = distinct_rows(codes, cards)
    if missing == "category" or not (codes < 0).any():
        l_distinct = _distinct_per_group(ids, len(rows), value)[ids]
    else:
        l_distinct = _distinct_wildcard(ids, rows, cards, value, n_values)
    return pd.DataFrame(
        {"l_distinct": l_distinct.astype(np.int64), "homogeneous": l_distinct == 1},
        index=frame.index,
    )


def _distinct_per_group(ids: np.ndarray, n_groups: int, value: np.ndarray) -> np.ndarray:
    """sdcMicro's distinct l of each group: non-missing values, + 1 if some are missing."""
    pair = np.unique(ids * (int(value.max(initial=-1)) + 2) + (value + 1))
    n_codes = int(value.max(initial=-1)) + 2
    group, code = pair // n_codes, pair % n_codes
    present = np.bincount(group[code > 0], minlength=n_groups)
    has_missing = np.bincount(group[code == 0], minlength=n_groups) > 0
    return present + (has_missing & (present > 0))


def _distinct_wildcard(
    ids: np.ndarray, rows: np.ndarray, cards: np.ndarray, value: np.ndarray, n_values: int
) -> np.ndarray:
    """Distinct l over wildcard-matching records, with one bitset per distinct key."""
    words = (n_values + 1 + 63) // 64
    if words > _MAX_WORDS:
        raise ParameterError(
            "The 'missing' parameter of homogeneity must be 'category' when the sensitive "
            f"column has more than {64 * _MAX_WORDS - 1} distinct values. Got 'wildcard' "
            "instead."
        )
    slot = value + 1
    pair = np.unique(ids * (n_values + 1) + slot)
    key, slot = pair // (n_values + 1), pair % (n_values + 1)
    sets = np.zeros((len(rows), words), dtype=np.uint64)
    np.bitwise_or.at(
        sets, (key, slot // 64), np.left_shift(np.uint64(1), (slot % 64).astype(np.uint64))
    )
    union = wildcard_reduce(rows, cards, sets, "or")[ids]
    missing_bit = (union[:, 0] & np.uint64(1)).astype(bool)
    union[:, 0] &= ~np.uint64(1)
    present = _popcount(union)
    return present + (missing_bit & (present > 0))


def _popcount(words: np.ndarray) -> np.ndarray:
    """Set bits per row of a (n, w) uint64 array (``np.bitwise_count`` needs numpy 2)."""
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(words).sum(axis=1).astype(np.int64)
    as_bytes = np.ascontiguousarray(words).view(np.uint8)
    return np.unpackbits(as_bytes, axis=1).sum(axis=1).astype(np.int64)
