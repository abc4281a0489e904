"""What a visit reveals: specialty label -> canonical code, tier and categories.

The lookup table is ``data/specialty_sensitivity.csv`` (DESIGN.md section 4).
A label that is one of the table's forms, after folding case, accents and
punctuation, is read by the table. Any other label is read designation by
designation ("Dr Martin - psychiatre", "Gynécologue - sexologue") by the
specialty normaliser (:mod:`exposure.normalizer`, a learned model that reads
typos, clipped forms and English) and by the table forms found inside it; the
most sensitive designation wins, as the labelling rules of the reference
require. A label read as nothing is ``unknown``: scored conservatively (tier
of the ``unknown`` row, ``high``) and flagged for review. The work is done
once per distinct label.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._label_reader import UNKNOWN, _Reader
from ._label_reader import _windows as _windows  # training reads table forms with it
from ._resources import data_file
from .errors import InputError
from .model_store import load_normalizer
from .normalize import fold_series
from .normalizer import SpecialtyNormalizer

__all__ = ["TIER_DPC", "TIERS", "SpecialtyTable", "load_specialty_table",
           "lookup_specialties", "fill_from_practitioner", "practitioner_specialties"]

TIERS = ("low", "moderate", "high", "very_high")
#: ENISA data-processing-context base score for each tier (DESIGN.md section 4).
TIER_DPC = {"low": 1, "moderate": 2, "high": 3, "very_high": 4}
#: The values of ``specialty_match``, sorted (see :func:`lookup_specialties`).
MATCH_DTYPE = pd.CategoricalDtype(pd.Index(
    ["exact", "missing", "model", "partial", "practitioner", "unknown"], dtype="str"))
_FROM_PRACTITIONER = 0.8


@dataclass(frozen=True)
class SpecialtyTable:
    """The canonical table and the folded forms that point to each code.

    Attributes
    ----------
    rows : DataFrame indexed by ``code``
        ``label_fr``, ``label_en``, ``tier``, ``categories`` and the other columns.
    forms : dict of str to str
        Folded label or synonym -> code.
    code_dtype : CategoricalDtype
        Every code, sorted: the dtype of ``specialty_code`` columns. Fixed
        categories keep frames read in pieces concatenable, and sorted ones
        group and sort as the text would.
    """

    rows: pd.DataFrame
    forms: dict[str, str]
    _ranks: dict[str, int] = field(init=False, repr=False, compare=False)
    code_dtype: pd.CategoricalDtype = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ranks = {str(code): TIERS.index(tier) for code, tier in self.rows["tier"].items()}
        object.__setattr__(self, "_ranks", ranks)
        codes = pd.Index(sorted(map(str, self.rows.index)), dtype="str")
        object.__setattr__(self, "code_dtype", pd.CategoricalDtype(codes))

    def tier_rank(self, code: str) -> int:
        """Position of the code's tier in :data:`TIERS` (higher is more sensitive)."""
        return self._ranks[code]


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
    folded = fold_series(texts.astype("str"))  # one vectorised pass over ~1,500 forms
    forms: dict[str, str] = {}
    for code, form in zip(texts.index, folded, strict=True):
        if isinstance(form, str):
            forms.setdefault(form, str(code))
    return SpecialtyTable(rows, forms)


def lookup_specialties(labels: pd.Series, table: SpecialtyTable | None = None,
                       normalizer: SpecialtyNormalizer | None = None) -> pd.DataFrame:
    """Read specialty labels as canonical codes.

    A label that is a table form (after folding case, accents and
    punctuation) is read by the table; any other is read designation by
    designation by the specialty normaliser and the table forms inside it
    (see :class:`~exposure.normalizer.SpecialtyNormalizer`), the most
    sensitive designation winning. Each distinct label is read once.

    Parameters
    ----------
    labels : Series of shape (n_records,)
        Raw labels as written in the leak; empty or missing means "no specialty".
    table : SpecialtyTable, default=None
        The shipped table when None.
    normalizer : SpecialtyNormalizer, default=None
        The shipped model when None (:func:`exposure.model_store.load_normalizer`).

    Returns
    -------
    DataFrame of shape (n_records, 3)
        ``specialty_code`` (``unknown`` when unread; categorical, of
        ``table.code_dtype``), ``specialty_confidence`` (1.0 for a table form,
        else the model's probability of the code; 0.0 when unread) and
        ``specialty_match`` (categorical, of :data:`MATCH_DTYPE`): ``exact``
        (the label is a table form), ``partial`` (a table form inside the label
        decided), ``model`` (the model decided), ``unknown`` or ``missing`` (no
        label).

    Raises
    ------
    ModelError
        The shipped model cannot be loaded (modified file, other scikit-learn).

    Examples
    --------
    >>> lookup_specialties(pd.Series(["PSYCHIATRE", "Dr Martin - psychiatre",
    ...     "Psyhiatre", "Gynécologue - sexologue", "Toilettage canin", ""])).round(1)
      specialty_code  specialty_confidence specialty_match
    0     psychiatry                   1.0           exact
    1     psychiatry                   1.0         partial
    2     psychiatry                   1.0           model
    3       sexology                   1.0         partial
    4        unknown                   0.0         unknown
    5        unknown                   0.0         missing
    """
    table = table or load_specialty_table()
    normalizer = normalizer or load_normalizer()
    positions, distinct = _distinct(labels)
    # A missing label reads as an empty one: it takes the slot after the distinct labels.
    positions = np.where(positions < 0, len(distinct), positions)
    readings = _Reader(table, normalizer).read([*(str(u) for u in distinct), ""])
    code, confidence, match = (list(column) for column in zip(*readings, strict=True))
    return pd.DataFrame({
        "specialty_code": _categorical(code, positions, table.code_dtype),
        "specialty_confidence": np.asarray(confidence, dtype=np.float64)[positions],
        "specialty_match": _categorical(match, positions, MATCH_DTYPE),
    }, index=labels.index)


def _distinct(labels: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """The distinct labels and each record's position among them (-1 when missing).

    A categorical column is coded already: its codes are the positions, and
    no text is hashed again.
    """
    if isinstance(labels.dtype, pd.CategoricalDtype):
        return labels.cat.codes.to_numpy().astype(np.intp), labels.cat.categories
    positions, distinct = pd.factorize(labels, use_na_sentinel=True)
    return positions, pd.Index(distinct)


def _categorical(values: list[str], positions: np.ndarray,
                 dtype: pd.CategoricalDtype) -> pd.Categorical:
    """``values[positions]`` as a categorical of ``dtype``, without a string per record.

    The codes are gathered as the small integers the categorical keeps (one
    byte a record for the few codes of the table), not as int64 then cast.
    """
    codes = dtype.categories.get_indexer(values)
    small = np.int8 if len(dtype.categories) < 127 else np.int32
    return pd.Categorical.from_codes(codes.astype(small)[positions], dtype=dtype)


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
    missing = ((specialty["specialty_match"] == "missing") & practitioner.notna()).to_numpy()
    if not missing.any():
        return specialty
    if by_practitioner is None:
        by_practitioner = _specialties_of(practitioner, specialty["specialty_code"], missing,
                                          table)
    filled_code = practitioner[missing].map(by_practitioner)
    filled = filled_code.notna()
    out = specialty.copy()
    rows = filled[filled].index
    out.loc[rows, "specialty_code"] = filled_code[filled]
    out.loc[rows, "specialty_confidence"] = _FROM_PRACTITIONER
    out.loc[rows, "specialty_match"] = "practitioner"
    return out


def _specialties_of(practitioner: pd.Series, code: pd.Series, missing: np.ndarray,
                    table: SpecialtyTable) -> pd.Series:
    """The specialty of each practitioner who has a record to fill, from their other records.

    Only those practitioners' records are counted: there are few of them. Only
    pairs that occur are counted (``observed``): a categorical practitioner
    column lists every practitioner, and one without a known code has none.
    """
    wanted = practitioner.isin(practitioner[missing].unique()).to_numpy(dtype=bool)
    known = wanted & (code != UNKNOWN).to_numpy(dtype=bool)
    counts = (pd.DataFrame({"practitioner": practitioner[known],
                            "code": code[known].astype("str")})
              .groupby(["practitioner", "code"], observed=True).size()
              .rename("n").reset_index())
    return practitioner_specialties(counts, table)
