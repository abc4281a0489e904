"""Save the specialty normaliser with its card; load it only if it is that file.

A joblib file is a pickle: loading it runs whatever code it holds. The model is
therefore only ever loaded from the tool's own ``models/`` folder (there is no
parameter for another path) and only after its sha256 matches the one written
in the JSON card beside it by ``exposure train``. The card also records the
scikit-learn version the model was trained with; another minor series is
refused (pickles do not survive those), a different patch release is accepted
once the model still gives the card's answers on the card's check labels.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import tempfile
import warnings
from pathlib import Path
from typing import Any

import joblib
import sklearn
from sklearn.exceptions import InconsistentVersionWarning

from ._resources import model_file
from .errors import ModelError
from .normalizer import SpecialtyNormalizer

__all__ = ["MODEL_NAME", "load_card", "load_normalizer", "save_normalizer"]

MODEL_NAME = "specialty_normalizer"
_FIX = "rebuild it with `exposure train` (or restore the shipped file: git checkout models/)"


def _model_dir() -> Path:
    """The folder the model is loaded from and trained into (tests point it elsewhere)."""
    return model_file(f"{MODEL_NAME}.json").parent


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _series(version: str) -> tuple[str, ...]:
    return tuple(version.split(".")[:2])


def load_card() -> dict[str, Any]:
    """The JSON card of the shipped model: versions, hashes, threshold and metrics.

    Raises
    ------
    ModelError
        The card is missing or is not valid JSON.

    Examples
    --------
    >>> sorted(load_card())[:3]
    ['checks', 'classes', 'dev_set']
    """
    path = _model_dir() / f"{MODEL_NAME}.json"
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{path.name} is missing from {path.parent}: {_FIX}.") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ModelError(f"{path.name} is not valid JSON: {_FIX}.") from None
    if not isinstance(card, dict) or not {"model_sha256", "sklearn_version"} <= card.keys():
        raise ModelError(f"{path.name} lacks model_sha256 or sklearn_version: {_FIX}.")
    return card


@functools.lru_cache(maxsize=1)
def load_normalizer() -> SpecialtyNormalizer:
    """Load the shipped specialty normaliser, once per process, after checking it.

    Returns
    -------
    SpecialtyNormalizer

    Raises
    ------
    ModelError
        The model file is missing, differs from the file the card describes
        (sha256), was trained with another scikit-learn minor series, or no
        longer gives the card's answers on its check labels.

    Examples
    --------
    >>> load_normalizer().predict(["Psychiatr"]).tolist()
    ['psychiatry']
    """
    card = load_card()
    path = _model_dir() / f"{MODEL_NAME}.joblib"
    if not path.is_file():
        raise ModelError(f"{path.name} is missing from {path.parent}: {_FIX}.")
    if _sha256(path) != card["model_sha256"]:
        raise ModelError(
            f"{path.name} was modified: its sha256 differs from the one in {MODEL_NAME}.json, "
            f"so it is not loaded (a joblib file runs code when loaded). To fix it, {_FIX}.")
    trained, here = card["sklearn_version"], sklearn.__version__
    if _series(trained) != _series(here):
        raise ModelError(
            f"{path.name} was trained with scikit-learn {trained} and this environment has "
            f"{here}. Install scikit-learn {'.'.join(_series(trained))}.x "
            f"(pip install 'scikit-learn~={'.'.join(_series(trained))}.0') or retrain the model "
            "for this version with `exposure train`.")
    try:
        with warnings.catch_warnings():
            # Same minor series, checked above; the check labels below confirm the behaviour.
            warnings.simplefilter("ignore", InconsistentVersionWarning)
            model = joblib.load(path)
    except (AttributeError, ImportError, EOFError, ValueError, TypeError,
            pickle.UnpicklingError) as exc:
        raise ModelError(f"{path.name} cannot be read by this version of exposure "
                         f"({type(exc).__name__}): retrain it with `exposure train`.") from exc
    if not isinstance(model, SpecialtyNormalizer):
        raise ModelError(f"{path.name} does not hold a SpecialtyNormalizer: {_FIX}.")
    checks = card.get("checks", [])
    answers = model.predict([c["label"] for c in checks]).tolist() if checks else []
    if answers != [c["code"] for c in checks]:
        raise ModelError(
            f"{path.name} no longer gives the answers recorded in {MODEL_NAME}.json with "
            f"scikit-learn {here}: retrain it with `exposure train`.")
    return model


def save_normalizer(model: SpecialtyNormalizer, card: dict[str, Any]) -> dict[str, Any]:
    """Write the model and its card (with the model's sha256) into the models folder.

    Both files are written under temporary names and renamed, the card last,
    so that a reader never sees a card that describes another model file.

    Parameters
    ----------
    model : SpecialtyNormalizer
        A fitted model.
    card : dict
        What ``exposure train`` records (versions, training data, metrics);
        ``model_sha256`` is added here.

    Returns
    -------
    dict
        The card as written.
    """
    folder = _model_dir()
    folder.mkdir(parents=True, exist_ok=True)
    model_path = folder / f"{MODEL_NAME}.joblib"
    _replace(model_path, lambda tmp: joblib.dump(model, tmp, compress=3))
    card = {**card, "model_sha256": _sha256(model_path)}
    text = json.dumps(card, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    _replace(folder / f"{MODEL_NAME}.json", lambda tmp: tmp.write_text(text, encoding="utf-8"))
    load_normalizer.cache_clear()
    return card


def _replace(path: Path, write: Any) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        write(Path(temporary))
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
