"""The specialty normaliser: a learned reader of specialty labels.

A character n-gram TF-IDF (on labels folded as :func:`~exposure.normalize.fold_text`
folds them) feeds a multinomial logistic regression over the table's codes and
the ``unknown`` class (DESIGN.md section 4). Below a probability ``threshold``
the answer is ``unknown``: scored conservatively and flagged for review.

The model was picked by measurement on the development set (``models/README.md``
has the figures): the logistic regression read as well as with (2, 5)-grams and
no pruning (10 MB), and better than an elastic-net SGD classifier, k nearest
neighbours and complement naive Bayes. Coefficients smaller than ``prune`` are
dropped after fitting and the rest stored sparse: the file is about 1 MB.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from .errors import ParameterError
from .normalize import fold_text

__all__ = ["SpecialtyNormalizer"]

UNKNOWN = "unknown"


class SpecialtyNormalizer(ClassifierMixin, BaseEstimator):
    """Read specialty labels as canonical codes, or abstain with ``unknown``.

    Parameters
    ----------
    threshold : float, default=0.5
        Smallest probability for which a code is answered; below it the answer
        is ``unknown``. At 0.5 the code is more likely than all others together.
    C : float, default=10.0
        Inverse regularisation strength of the logistic regression.
    ngram_range : tuple of (int, int), default=(1, 4)
        Character n-gram sizes, taken inside word boundaries.
    min_df : int, default=3
        An n-gram seen in fewer training labels is ignored.
    prune : float, default=0.1
        Coefficients whose absolute value is below this are set to zero after
        fitting, and the coefficient matrix is stored sparse.
    max_iter : int, default=300
        Iterations of the L-BFGS solver.
    random_state : int, default=0
        Passed to the logistic regression; the solver is deterministic, so the
        same data give the same model.

    Attributes
    ----------
    pipeline_ : Pipeline
        The fitted ``TfidfVectorizer`` and ``LogisticRegression``.
    classes_ : ndarray of shape (n_classes,)
        The codes the model can answer, ``unknown`` among them when the
        training data had that class.

    See Also
    --------
    exposure.specialty.lookup_specialties : exact table match first, then this model.

    Examples
    --------
    >>> X = ["psychiatre", "psychiatrie", "dr x psychiatre", "cardiologue", "cardiologie",
    ...      "dr y cardiologue", "garage", "notaire", "boulangerie"]
    >>> y = ["psychiatry"] * 3 + ["cardiology"] * 3 + ["unknown"] * 3
    >>> model = SpecialtyNormalizer(min_df=1, prune=0.0, threshold=0.4).fit(X, y)
    >>> model.predict(["Psychiatr", "CARDIOLOGE"]).tolist()
    ['psychiatry', 'cardiology']
    """

    def __init__(self, *, threshold: float = 0.5, C: float = 10.0,
                 ngram_range: tuple[int, int] = (1, 4), min_df: int = 3, prune: float = 0.1,
                 max_iter: int = 300, random_state: int = 0):
        self.threshold = threshold
        self.C = C
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.prune = prune
        self.max_iter = max_iter
        self.random_state = random_state

    def fit(self, X: Iterable[str], y: Iterable[str]) -> SpecialtyNormalizer:
        """Learn the codes of labels.

        Parameters
        ----------
        X : iterable of str of shape (n_labels,)
            Labels as written; they are folded before the n-grams are taken.
        y : iterable of str of shape (n_labels,)
            Their codes (``unknown`` for strings that name no specialty).

        Returns
        -------
        self : SpecialtyNormalizer
        """
        self._check_params()
        texts, codes = _texts(X, "X"), np.asarray(list(y), dtype=object)
        if len(texts) != len(codes) or len(set(codes)) < 2:
            raise ParameterError(
                "The 'y' parameter of SpecialtyNormalizer.fit must give one code per label "
                f"and at least two codes. Got {len(codes)} codes for {len(texts)} labels instead.")
        self.pipeline_ = Pipeline([
            ("tfidf", TfidfVectorizer(analyzer="char_wb", preprocessor=fold_text,
                                      ngram_range=tuple(self.ngram_range), min_df=self.min_df,
                                      sublinear_tf=True, dtype=np.float32)),
            ("classifier", LogisticRegression(C=self.C, max_iter=self.max_iter,
                                              random_state=self.random_state)),
        ]).fit(texts, codes)
        classifier = self.pipeline_.named_steps["classifier"]
        if self.prune > 0:
            classifier.coef_[np.abs(classifier.coef_) < self.prune] = 0.0
            classifier.sparsify()
        self.classes_ = classifier.classes_
        return self

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """Probability of each code for each label.

        Returns
        -------
        ndarray of shape (n_labels, n_classes)
            Columns follow :attr:`classes_`.
        """
        check_is_fitted(self, "pipeline_")
        texts = _texts(X, "X")
        if not texts:
            return np.zeros((0, len(self.classes_)))
        return self.pipeline_.predict_proba(texts)

    def read(self, X: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """Code and probability of each label, ``unknown`` below the threshold.

        Returns
        -------
        codes : ndarray of str of shape (n_labels,)
        probabilities : ndarray of float of shape (n_labels,)
            The probability of the most likely code, also when the answer is
            ``unknown`` because it fell below the threshold.
        """
        proba = self.predict_proba(X)
        best = proba.argmax(axis=1)
        probability = proba[np.arange(len(best)), best]
        codes = np.where(probability >= self.threshold, self.classes_[best], UNKNOWN)
        return codes.astype(object), probability

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """The code of each label, ``unknown`` below the threshold.

        Returns
        -------
        ndarray of str of shape (n_labels,)
        """
        return self.read(X)[0]

    def _check_params(self) -> None:
        func = "SpecialtyNormalizer"
        _check_number(self.threshold, "threshold", func, 0.0, 1.0)
        _check_number(self.C, "C", func, 0.0, np.inf, low_open=True)
        _check_number(self.prune, "prune", func, 0.0, np.inf)
        _check_number(self.min_df, "min_df", func, 1, np.inf, integer=True)
        _check_number(self.max_iter, "max_iter", func, 1, np.inf, integer=True)
        size = self.ngram_range
        if (not isinstance(size, tuple | list) or len(size) != 2
                or not all(isinstance(n, int) and n >= 1 for n in size) or size[0] > size[1]):
            raise ParameterError(f"The 'ngram_range' parameter of {func} must be a pair of "
                                 f"ints 1 <= low <= high. Got {size!r} instead.")


def _texts(X: Iterable[str], name: str) -> list[str]:
    if isinstance(X, str):
        raise ParameterError(f"The {name!r} parameter of SpecialtyNormalizer must be an "
                             "iterable of labels, not one string. Got a str instead.")
    return ["" if x is None or (isinstance(x, float) and math.isnan(x)) else str(x) for x in X]


def _check_number(value: object, name: str, func: str, low: float, high: float, *,
                  low_open: bool = False, integer: bool = False) -> None:
    kinds = (int, np.integer) if integer else (int, float, np.integer, np.floating)
    ok = isinstance(value, kinds) and not isinstance(value, bool)
    if ok:
        number = float(value)  # type: ignore[arg-type]
        ok = (number > low if low_open else number >= low) and number <= high
    if not ok:
        kind = "an int" if integer else "a float"
        bracket = "(" if low_open else "["
        upper = "inf)" if high == np.inf else f"{high:g}]"
        raise ParameterError(f"The {name!r} parameter of {func} must be {kind} in the range "
                             f"{bracket}{low:g}, {upper}. Got {value!r} instead.")
