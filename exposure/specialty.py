"""What a visit reveals: specialty label -> canonical code, tier and categories.

The lookup table is ``data/specialty_sensitivity.csv`` (DESIGN.md section 4).
Labels are matched after folding case, accents and punctuation, first as a
whole, then word window by word window, so that "Dr Martin - psychiatre" and
"Médecin - Psychiatrie (SM)" are read as psychiatry. When a label names two
specialties ("Gynécologue - sexologue") the more sensitive one wins, as the
labelling rules of the reference require. A label that matches nothing is
``unknown``: scored conservatively (tier of the ``unknown`` row, ``high``) and
flagged for review. The work is done once per distinct label.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd

from ._resources import data_file
from .errors import InputError
from .normalize import fold_series

__all__ = ["TIER_DPC", "TIERS", "SpecialtyTable", "load_specialty_table",
           "lookup_specialties", "fill_from_practitioner", "practitioner_specialties"]

TIERS = ("low", "moderate", "high", "very_high")
#: ENISA data-processing-context base score for each tier (DESIGN.md section 4).
TIER_DPC = {"low": 1, "moderate": 2, "high": 3, "very_high": 4}
UNKNOWN = "unknown"
_EXACT, _WINDOW = 1.0, 0.8
_MIN_WINDOW_FORM = 3  # short forms ("mg", "go") only count when they are the whole label


@dataclass(frozen=True)
class SpecialtyTable:
    """The canonical table and the folded forms that point to each code.

    Attributes
    ----------
    rows : DataFrame indexed by ``code``
        ``label_fr``, ``label_en``, ``tier``, ``categories`` and the other columns.
    forms : dict of str to str
        Folded label or synonym -> code.
    """

    rows: pd.DataFrame
    forms: dict[str, str]

    def tier_rank(self, code: str) -> int:
        """Position of the code's tier in :data:`TIERS` (higher is more sensitive)."""
        return TIERS.index(self.rows.at[code, "tier"])


@functools.lru_cache(maxsize=1)
def load_specialty_table() -> SpecialtyTable:
    """Load the shipped table (once per process).

    Raises
    ------
    InputError
        The table is missing or malformed: the installation is broken.
    """
    path = data_file("specialty_sensitivity.csv")
    try:
        rows = pd.read_csv(path, dtype=str, keep_default_na=False).set_index("code")
    except (OSError, KeyError) as exc:
        raise InputError(f"specialty table {path.name} is missing or malformed; "
                         "reinstall exposure.") from exc
    if UNKNOWN not in rows.index or not rows["tier"].isin(TIERS).all():
        raise InputError(f"specialty table {path.name} lacks the 'unknown' row or has a "
                         "tier outside low/moderate/high/very_high; reinstall exposure.")
    texts = pd.concat([
        rows["label_fr"], rows["label_en"],
        rows["synonyms"].str.split("|").explode(),
    ]).drop(UNKNOWN, errors="ignore")
    folded = fold_series(texts.astype("str"))
    forms: dict[str, str] = {}
    for code, form in zip(texts.index, folded):
        if isinstance(form, str):
            forms.setdefault(form, str(code))
    return SpecialtyTable(rows, forms)


def _read_label(folded: str, table: SpecialtyTable) -> tuple[str, float]:
    """Read one folded label: a whole-label match, else the designations inside it.

    Word windows are matched longest first and a word belongs to one match
    only, so "anesthesie reanimation" is read as the one designation it is,
    not as "reanimation" inside it. When several designations remain
    ("gynecologue sexologue"), the most sensitive wins, ties to the first.
    """
    if folded in table.forms:
        return table.forms[folded], _EXACT
    words = folded.split()
    covered = [False] * len(words)
    found: list[tuple[int, int, str]] = []  # (-tier rank, first position, code)
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            if any(covered[start:start + size]):
                continue
            window = " ".join(words[start:start + size])
            code = table.forms.get(window) if len(window) >= _MIN_WINDOW_FORM else None
            if code:
                found.append((-table.tier_rank(code), start, code))
                covered[start:start + size] = [True] * size
    if not found:
        return UNKNOWN, 0.0
    return min(found)[2], _WINDOW


def lookup_specialties(labels: pd.Series, table: SpecialtyTable | None = None) -> pd.DataFrame:
    """Read specialty labels as canonical codes.

    Parameters
    ----------
    labels : Series of shape (n_records,)
        Raw labels as written in the leak; empty or missing means "no specialty".
    table : SpecialtyTable, default=None
        The shipped table when None.

    Returns
    -------
    DataFrame of shape (n_records, 3)
        ``specialty_code`` (``unknown`` when unread), ``specialty_confidence``
        (1.0 whole-label match, 0.8 match on part of the label, 0.0 unread) and
        ``specialty_match`` (``exact``, ``partial``, ``unknown`` or ``missing``).

    Examples
    --------
    >>> lookup_specialties(pd.Series(["PSYCHIATRE", "Dr Martin - psychiatre", "Toilettage", ""]))
      specialty_code  specialty_confidence specialty_match
    0     psychiatry                   1.0           exact
    1     psychiatry                   0.8         partial
    2        unknown                   0.0         unknown
    3        unknown                   0.0         missing
    """
    table = table or load_specialty_table()
    text = labels.fillna("").astype(str)
    codes, uniques = pd.factorize(text)
    folded = fold_series(pd.Series(uniques, dtype="str")).fillna("").tolist()
    readings = [(UNKNOWN, 0.0) if not f else _read_label(f, table) for f in folded]
    match = ["missing" if not f else ("exact" if conf == _EXACT else
             "partial" if conf > 0 else "unknown") for f, (_, conf) in zip(folded, readings)]
    by_label = pd.DataFrame({
        "specialty_code": [code for code, _ in readings],
        "specialty_confidence": [conf for _, conf in readings],
        "specialty_match": match,
    })
    result = by_label.take(codes).reset_index(drop=True)
    result.index = labels.index
    return result.astype({"specialty_code": "str", "specialty_match": "str",
                          "specialty_confidence": "float64"})


def practitioner_specialties(counts: pd.DataFrame,
                             table: SpecialtyTable | None = None) -> pd.Series:
    """Each practitioner's specialty: their most frequent code, ties to the more sensitive.

    Parameters
    ----------
    counts : DataFrame with columns ``practitioner``, ``code``, ``n``
        How many records of each practitioner carry each recognised code.
    table : SpecialtyTable, default=None
        The shipped table when None.

    Returns
    -------
    Series of str indexed by ``practitioner``: the code their blank records take.

    Examples
    --------
    >>> practitioner_specialties(pd.DataFrame({"practitioner": ["dr a", "dr a", "dr b"],
    ...     "code": ["psychiatry", "cardiology", "cardiology"], "n": [1, 1, 2]})).to_dict()
    {'dr a': 'psychiatry', 'dr b': 'cardiology'}
    """
    table = table or load_specialty_table()
    counts = counts.assign(rank=counts["code"].map(table.rows["tier"].map(TIERS.index)))
    best = (counts.sort_values(["practitioner", "n", "rank", "code"],
                               ascending=[True, False, False, True])
            .drop_duplicates("practitioner").set_index("practitioner"))
    return best["code"]


def fill_from_practitioner(specialty: pd.DataFrame, practitioner: pd.Series,
                           table: SpecialtyTable | None = None, *,
                           by_practitioner: pd.Series | None = None) -> pd.DataFrame:
    """Give a record with no specialty label its practitioner's specialty.

    A practitioner has one specialty; when some of their records carry it and
    others do not (a blank cell), the blank ones take the practitioner's most
    frequent code (ties go to the more sensitive). Records filled this way
    have ``specialty_match == "practitioner"``.

    Parameters
    ----------
    specialty : DataFrame
        The output of :func:`lookup_specialties`.
    practitioner : Series
        Folded practitioner names aligned with ``specialty``; missing = unknown.
    table : SpecialtyTable, default=None
        The shipped table when None.
    by_practitioner : Series, default=None
        Each practitioner's specialty (:func:`practitioner_specialties`), when
        it was counted over more records than these (the Dask engine counts
        over every partition); counted from these records when None.

    Returns
    -------
    DataFrame like ``specialty``.
    """
    table = table or load_specialty_table()
    missing = (specialty["specialty_match"] == "missing") & practitioner.notna()
    if by_practitioner is None:
        known = (specialty["specialty_code"] != UNKNOWN) & practitioner.notna()
        if not missing.any() or not known.any():
            return specialty
        counts = (pd.DataFrame({"practitioner": practitioner[known],
                                "code": specialty.loc[known, "specialty_code"]})
                  .value_counts().rename("n").reset_index())
        by_practitioner = practitioner_specialties(counts, table)
    filled_code = practitioner[missing].map(by_practitioner)
    filled = filled_code.notna()
    out = specialty.copy()
    rows = filled[filled].index
    out.loc[rows, "specialty_code"] = filled_code[filled]
    out.loc[rows, "specialty_confidence"] = _WINDOW
    out.loc[rows, "specialty_match"] = "practitioner"
    return out
