"""Train the specialty normaliser and measure it on the development set.

``exposure train`` runs :func:`train_normalizer`: it generates the training
labels from the table (:mod:`exposure.augment`), fits the model, and reads the
development set ``data/specialty_devset.csv`` the way ``exposure score`` reads
a leak (table forms first, then the model, designation by designation). The
development set is written by hand, apart from the training data: none of its
labels is a table form or a generated training label (the tests check both).
The measures go into the model card: accuracy, macro-F1, the share of health
labels wrongly answered ``unknown``, the share of non-health strings rightly
answered ``unknown``, and the errors that remain.
"""

from __future__ import annotations

import hashlib
import platform
import warnings
from importlib import metadata
from typing import Any

import numpy as np
import pandas as pd
import sklearn
from sklearn.metrics import f1_score

from ._resources import data_file
from .augment import training_labels
from .errors import InputError
from .normalize import fold_text
from .normalizer import SpecialtyNormalizer
from .specialty import UNKNOWN, SpecialtyTable, _windows, load_specialty_table, lookup_specialties

__all__ = ["evaluate", "load_devset", "train_normalizer"]

DEVSET = "specialty_devset.csv"
#: Table labels the loaded model must still read as the card says (see model_store).
_CHECK_CODES = ("psychiatry", "general_practice", "medical_gynecology", "addiction",
                "sti_hiv_screening", "cardiology", "dentist", "radiation_oncology")


def load_devset() -> pd.DataFrame:
    """The development set: messy labels with gold codes, written by hand.

    Returns
    -------
    DataFrame of shape (n_labels, 3)
        ``label``, ``code`` (``unknown`` for what names no specialty) and
        ``kind``: ``messy``, ``english``, ``combined``, ``ambiguous`` (a health
        word too vague to read) or ``non_health``.

    Raises
    ------
    InputError
        The file is missing or lacks the three columns.

    Examples
    --------
    >>> dev = load_devset()
    >>> dev.columns.tolist(), sorted(dev["kind"].unique())
    (['label', 'code', 'kind'], ['ambiguous', 'combined', 'english', 'messy', 'non_health'])
    """
    path = data_file(DEVSET)
    try:
        dev = pd.read_csv(path, dtype=str, keep_default_na=False)
    except OSError as exc:
        raise InputError(f"{path.name} is missing; reinstall exposure.") from exc
    if list(dev.columns) != ["label", "code", "kind"]:
        raise InputError(f"{path.name} must have the columns label, code, kind.")
    return dev


def evaluate(normalizer: SpecialtyNormalizer, dev: pd.DataFrame,
             table: SpecialtyTable | None = None) -> dict[str, Any]:
    """Measure how ``exposure score`` reads the development set with this model.

    Parameters
    ----------
    normalizer : SpecialtyNormalizer
        A fitted model.
    dev : DataFrame with ``label``, ``code`` and ``kind``
        See :func:`load_devset`.
    table : SpecialtyTable, default=None
        The shipped table when None.

    Returns
    -------
    dict
        ``accuracy`` and ``macro_f1`` (over the codes of the gold labels and the
        answers), ``health_abstained`` (share of labels with a gold code wrongly
        answered ``unknown``), ``non_health_abstained`` (share of ``non_health``
        strings rightly answered ``unknown``), ``model_only_accuracy`` (the model
        on whole labels, no table), ``table_only_accuracy`` (the table forms
        alone: the baseline), ``n_labels`` and ``errors`` (label, gold, answer).

    Warns
    -----
    UserWarning
        The model does not beat the table alone: it adds nothing and should
        not be shipped.

    Examples
    --------
    >>> from exposure.model_store import load_normalizer
    >>> metrics = evaluate(load_normalizer(), load_devset())
    >>> metrics["accuracy"] >= 0.95, metrics["non_health_abstained"] >= 0.9
    (True, True)
    """
    table = table or load_specialty_table()
    gold = dev["code"].to_numpy(dtype=object)
    answer = lookup_specialties(dev["label"], table, normalizer)["specialty_code"]
    answer = answer.to_numpy(dtype=object)
    health = gold != UNKNOWN
    non_health = (dev["kind"] == "non_health").to_numpy()
    model_only = normalizer.predict(dev["label"])
    table_only = np.array([_table_reading(label, table) for label in dev["label"]], dtype=object)
    metrics: dict[str, Any] = {
        "n_labels": len(dev),
        "accuracy": _round(np.mean(answer == gold)),
        "macro_f1": _round(f1_score(gold, answer, average="macro", zero_division=0)),
        "health_abstained": _round(np.mean(answer[health] == UNKNOWN)),
        "non_health_abstained": _round(np.mean(answer[non_health] == UNKNOWN)),
        "model_only_accuracy": _round(np.mean(model_only == gold)),
        "table_only_accuracy": _round(np.mean(table_only == gold)),
        "errors": [{"label": str(label), "gold": str(g), "answer": str(a)}
                   for label, g, a in zip(dev["label"], gold, answer) if g != a],
    }
    if metrics["accuracy"] <= metrics["table_only_accuracy"]:
        warnings.warn(f"The specialty model reads the development set no better than the table "
                      f"alone ({metrics['accuracy']:.3f} <= {metrics['table_only_accuracy']:.3f}); "
                      "do not ship it.", UserWarning, stacklevel=2)
    return metrics


def train_normalizer(*, random_state: int = 0, table: SpecialtyTable | None = None,
                     per_code: int = 200, combined: int = 3000, negatives: int = 4000,
                     **params: Any) -> tuple[SpecialtyNormalizer, dict[str, Any]]:
    """Generate the training labels, fit the model and write its card.

    Parameters
    ----------
    random_state : int, default=0
        Seed of the training-data generator and of the model.
    table : SpecialtyTable, default=None
        The shipped table when None.
    per_code, combined, negatives : int, default=200, 3000, 4000
        How many labels to generate for each code, joining two designations,
        and naming no specialty (see :func:`exposure.augment.training_labels`).
    **params
        Passed to :class:`~exposure.normalizer.SpecialtyNormalizer`.

    Returns
    -------
    model : SpecialtyNormalizer
    card : dict
        Versions, training-data and development-set sha256, parameters,
        threshold, metrics (:func:`evaluate`) and check labels; without the
        model's own sha256, which :func:`exposure.model_store.save_normalizer`
        adds once the file is written.

    Examples
    --------
    A small model, to show the card (``exposure train`` uses the defaults):

    >>> model, card = train_normalizer(per_code=2, combined=20, negatives=100, min_df=2)
    >>> card["training_data"]["rows"], card["threshold"], "accuracy" in card["metrics"]
    (2132, 0.5, True)
    """
    table = table or load_specialty_table()
    dev = load_devset()
    rows = training_labels(table, per_code=per_code, combined=combined, negatives=negatives,
                           exclude=dev["label"], random_state=random_state)
    model = SpecialtyNormalizer(random_state=random_state, **params).fit(rows["label"],
                                                                         rows["code"])
    checks = [str(table.rows.at[code, "label_fr"]) for code in _CHECK_CODES]
    card = {
        "model": "specialty_normalizer.joblib",
        "estimator": "char n-gram TF-IDF + multinomial logistic regression "
                     "(exposure.normalizer.SpecialtyNormalizer)",
        "trained_by": "exposure train",
        "exposure_version": _version("exposure"),
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "random_state": random_state,
        "threshold": model.threshold,
        "params": {k: list(v) if isinstance(v, tuple) else v
                   for k, v in sorted(model.get_params().items())},
        "classes": [str(c) for c in model.classes_],
        "training_data": {
            "generator": "exposure.augment.training_labels",
            "per_code": per_code,
            "excluded": f"the labels of data/{DEVSET}, compared after folding",
            "combined": combined,
            "negatives": negatives,
            "rows": len(rows),
            "sha256": _frame_sha256(rows),
            "table_sha256": hashlib.sha256(
                data_file("specialty_sensitivity.csv").read_bytes()).hexdigest(),
        },
        "dev_set": {"file": f"data/{DEVSET}", "rows": len(dev),
                    "non_health": int((dev["kind"] == "non_health").sum()),
                    "sha256": hashlib.sha256(data_file(DEVSET).read_bytes()).hexdigest()},
        "metrics": evaluate(model, dev, table),
        "checks": [{"label": label, "code": str(code)}
                   for label, code in zip(checks, model.predict(checks))],
    }
    return model, card


def _table_reading(label: str, table: SpecialtyTable) -> str:
    """The table alone: a whole-label form, else the most sensitive form inside."""
    folded = fold_text(label)
    if folded in table.forms:
        return table.forms[folded]
    found = sorted(_windows(folded, table))
    return found[0][2] if found else UNKNOWN


def _frame_sha256(frame: pd.DataFrame) -> str:
    text = frame.to_csv(index=False, lineterminator="\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _round(value: float) -> float:
    return round(float(value), 4)


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"
