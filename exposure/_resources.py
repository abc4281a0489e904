"""Locate the files that ship with the tool: the specialty table and the model.

In the repository they live in top-level ``data/`` and ``models/`` (DESIGN.md
section 3); in an installed wheel the build maps them to the packages
``exposure.data`` and ``exposure.models``. Both layouts are looked up, the
installed one first.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["data_file", "model_file"]

_REPO_ROOT = Path(__file__).resolve().parent.parent


def _locate(package: str, folder: str, name: str) -> Path:
    try:
        candidate = Path(str(resources.files(package) / name))
        if candidate.is_file():
            return candidate
    except (ModuleNotFoundError, TypeError):
        pass
    return _REPO_ROOT / folder / name


def data_file(name: str) -> Path:
    """Path of a file shipped under ``data/``."""
    return _locate("exposure.data", "data", name)


def model_file(name: str) -> Path:
    """Path of a file shipped under ``models/``."""
    return _locate("exposure.models", "models", name)
