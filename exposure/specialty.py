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
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

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
UNKNOWN = "unknown"
#: The values of ``specialty_match``, sorted (see :func:`lookup_specialties`).
MATCH_DTYPE = pd.CategoricalDtype(pd.Index(
    ["exact", "missing", "model", "partial", "practitioner", "unknown"], dtype="str"))
_EXACT = 1.0
_FROM_PRACTITIONER = 0.8
_MIN_WINDOW_FORM = 3  # short forms ("mg", "go") only count when they are the whole label
# Between the designations of a combined label: " - ", "/", ",", "(", "+", "&", " et "...
_SEPARATORS = re.compile(r"\s+[-\u2013\u2014]\s+|\s*[/,;()+&|]\s*|\s+(?:et|and)\s+",
                         re.IGNORECASE)


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
    for code, form in zip(texts.index, folded):
        if isinstance(form, str):
            forms.setdefault(form, str(code))
    return SpecialtyTable(rows, forms)


def _windows(folded: str, table: SpecialtyTable) -> list[tuple[int, int, str]]:
    """Table forms inside a folded label, as (-tier rank, first word, code).

    Word windows are matched longest first and a word belongs to one match
    only, so "anesthesie reanimation" is read as the one designation it is,
    not as "reanimation" inside it.
    """
    words = folded.split()
    covered = [False] * len(words)
    found: list[tuple[int, int, str]] = []
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            if any(covered[start:start + size]):
                continue
            window = " ".join(words[start:start + size])
            code = table.forms.get(window) if len(window) >= _MIN_WINDOW_FORM else None
            if code:
                found.append((-table.tier_rank(code), start, code))
                covered[start:start + size] = [True] * size
    return found


def _segments(labels: list[str]) -> list[list[str]]:
    """The designations of each combined label ("A - B", "A / B", "A et B"), folded.

    All parts are folded in one vectorised pass; a part that folds to nothing is dropped.
    """
    parts = [_SEPARATORS.split(label) for label in labels]
    folded = iter(fold_series(pd.Series([p for split in parts for p in split], dtype="str"))
                  .fillna("").tolist())
    return [[f for f in (next(folded) for _ in split) if f] for split in parts]


class _Reader:
    """Reads distinct labels: the table for what is exact, the model for the rest.

    Each designation of a label (a segment between separators) is read by the
    table when it is a table form; otherwise by the model and by the table
    forms found inside it, keeping the more sensitive (ties to the model).
    The label then takes its most sensitive designation, ties to the first
    (specialties.md section 4, rule 4). A designation the model confidently
    reads as ``unknown`` ("Ostéopathe animalier") is not read by the forms
    inside it. When no designation is read, the whole label is given to the model.
    """

    def __init__(self, table: SpecialtyTable, normalizer: SpecialtyNormalizer):
        self.table, self.model = table, normalizer
        self.column = {code: i for i, code in enumerate(normalizer.classes_)}
        self.proba: dict[str, np.ndarray] = {}

    def read(self, labels: list[str]) -> list[tuple[str, float, str]]:
        folded = fold_series(pd.Series(labels, dtype="str")).fillna("").tolist()
        pending = [i for i, f in enumerate(folded) if f and f not in self.table.forms]
        parts = {i: segments or [folded[i]]
                 for i, segments in zip(pending, _segments([labels[i] for i in pending]))}
        self._predict({s for segments in parts.values() for s in segments
                       if s not in self.table.forms})
        readings = {i: [self._read_segment(p) for p in parts[i]] for i in pending}
        # A label none of whose designations names a specialty is read whole by
        # the model: only those few are given to it a second time.
        whole = [i for i in pending if len(parts[i]) > 1 and not _known(readings[i])]
        self._predict({folded[i] for i in whole})
        out = []
        for i, f in enumerate(folded):
            if not f:
                out.append((UNKNOWN, 0.0, "missing"))
            elif f in self.table.forms:
                out.append((self.table.forms[f], _EXACT, "exact"))
            else:
                out.append(self._read_combined(f, readings[i]))
        return out

    def _predict(self, texts: set[str]) -> None:
        """The model's probabilities of ``texts``, kept for the readings (one batch)."""
        ordered = sorted(texts - self.proba.keys())
        if ordered:
            self.proba.update(zip(ordered, self.model.predict_proba(ordered)))

    def _model(self, text: str) -> tuple[str, float]:
        """The model's best code and its probability; (unknown, 0.0) below the threshold.

        ``unknown`` with a probability above 0 is the model saying, surely,
        that the text names no specialty.
        """
        proba = self.proba[text]
        best = int(proba.argmax())
        code = str(self.model.classes_[best])
        return (code, float(proba[best])) if proba[best] >= self.model.threshold else (UNKNOWN, 0.0)

    def _read_segment(self, text: str) -> tuple[str, float, str] | None:
        if text in self.table.forms:
            return self.table.forms[text], _EXACT, "partial"
        code, probability = self._model(text)
        if code == UNKNOWN and probability > 0:
            return UNKNOWN, probability, "unknown"  # confidently no specialty
        readings = [(code, probability, "model")] if code != UNKNOWN else []
        for _, _, form_code in sorted(_windows(text, self.table))[:1]:
            column = self.column.get(form_code)
            chance = float(self.proba[text][column]) if column is not None else 0.0
            readings.append((form_code, chance, "partial"))
        return _most_sensitive(readings, self.table) if readings else None

    def _read_combined(self, folded: str, readings: list[tuple[str, float, str] | None]
                       ) -> tuple[str, float, str]:
        known = _known(readings)
        if known:
            return _most_sensitive(known, self.table)
        if len(readings) > 1:
            # No designation names a specialty alone ("Centre de dépistage - anonyme et
            # gratuit"): the model reads the label as a whole.
            code, probability = self._model(folded)
            if code != UNKNOWN:
                return code, probability, "model"
        return UNKNOWN, 0.0, "unknown"


def _known(readings: list[tuple[str, float, str] | None]) -> list[tuple[str, float, str]]:
    """The readings that name a specialty."""
    return [r for r in readings if r and r[0] != UNKNOWN]


def _most_sensitive(readings: list[tuple[str, float, str]],
                    table: SpecialtyTable) -> tuple[str, float, str]:
    """The reading of the highest tier; ties go to the first."""
    return max(readings, key=lambda r: (table.tier_rank(r[0]), -readings.index(r)))


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
    positions, distinct = pd.factorize(labels, use_na_sentinel=True)
    # A missing label reads as an empty one: it takes the slot after the distinct labels.
    positions = np.where(positions < 0, len(distinct), positions)
    readings = _Reader(table, normalizer).read([*(str(u) for u in distinct), ""])
    code, confidence, match = (list(column) for column in zip(*readings))
    return pd.DataFrame({
        "specialty_code": _categorical(code, positions, table.code_dtype),
        "specialty_confidence": np.asarray(confidence, dtype=np.float64)[positions],
        "specialty_match": _categorical(match, positions, MATCH_DTYPE),
    }, index=labels.index)


def _categorical(values: list[str], positions: np.ndarray,
                 dtype: pd.CategoricalDtype) -> pd.Categorical:
    """``values[positions]`` as a categorical of ``dtype``, without a string per record."""
    codes = dtype.categories.get_indexer(values)
    return pd.Categorical.from_codes(codes[positions], dtype=dtype)


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

    Only those practitioners' records are counted: there are few of them.
    """
    wanted = practitioner.isin(practitioner[missing].unique()).to_numpy(dtype=bool)
    known = wanted & (code != UNKNOWN).to_numpy(dtype=bool)
    counts = (pd.DataFrame({"practitioner": practitioner[known],
                            "code": code[known].astype("str")})
              .value_counts().rename("n").reset_index())
    return practitioner_specialties(counts, table)
