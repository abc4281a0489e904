"""How one distinct specialty label is read: the table's forms, then the model.

The reading rules of :func:`exposure.specialty.lookup_specialties`, which
calls :class:`_Reader` once with every distinct label of a leak.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from .normalize import fold_series, fold_text
from .normalizer import SpecialtyNormalizer

if TYPE_CHECKING:
    from .specialty import SpecialtyTable

UNKNOWN = "unknown"
_EXACT = 1.0
_MIN_WINDOW_FORM = 3  # short forms ("mg", "go") only count when they are the whole label
# Between the designations of a combined label: " - ", "/", ",", "(", "+", "&", " et "...
_SEPARATORS = re.compile(r"\s+[-\u2013\u2014]\s+|\s*[/,;()+&|]\s*|\s+(?:et|and)\s+",
                         re.IGNORECASE)


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
        self.predict_folded = _folded_predictor(normalizer)

    def read(self, labels: list[str]) -> list[tuple[str, float, str]]:
        folded = fold_series(pd.Series(labels, dtype="str")).fillna("").tolist()
        pending = [i for i, f in enumerate(folded) if f and f not in self.table.forms]
        parts = {i: segments or [folded[i]]
                 for i, segments in zip(pending, _segments([labels[i] for i in pending]),
                                         strict=True)}
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
            self.proba.update(zip(ordered, self.predict_folded(ordered), strict=True))

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


def _folded_predictor(model: SpecialtyNormalizer) -> Callable[[list[str]], np.ndarray]:
    """``model.predict_proba`` for texts already folded: they are not folded a second time.

    The shipped model folds each text with :func:`~exposure.normalize.fold_text`,
    one Arrow call per text: most of the time of reading ten thousand labels.
    The reader gives it folded texts only, which fold to themselves, so its two
    steps are run with a vectorizer that takes each text as it is: the same
    n-grams, the same probabilities. Any other model is asked as it is.
    """
    steps = getattr(model, "pipeline_", None) if isinstance(model, SpecialtyNormalizer) else None
    tfidf = steps.named_steps.get("tfidf") if isinstance(steps, Pipeline) else None
    if tfidf is None or tfidf.preprocessor is not fold_text or len(steps.steps) != 2:
        return model.predict_proba
    # A shallow copy: the fitted vocabulary and idf are shared, the model is not modified.
    as_read = copy.copy(tfidf).set_params(preprocessor=_as_folded)
    classifier = steps.steps[-1][1]
    return lambda texts: classifier.predict_proba(as_read.transform(texts))


def _as_folded(text: str) -> str:
    """The text as it is: it was folded already (folding is idempotent)."""
    return text


def _known(readings: list[tuple[str, float, str] | None]) -> list[tuple[str, float, str]]:
    """The readings that name a specialty."""
    return [r for r in readings if r and r[0] != UNKNOWN]


def _most_sensitive(readings: list[tuple[str, float, str]],
                    table: SpecialtyTable) -> tuple[str, float, str]:
    """The reading of the highest tier; ties go to the first."""
    return max(readings, key=lambda r: (table.tier_rank(r[0]), -readings.index(r)))
