"""The incident being assessed, and the notification policy applied to it.

One incident file (``--incident FILE.toml``) describes the breach: how
confidentiality, integrity and availability were lost, whether it was
malicious, whether the data was unintelligible. Those give ENISA's
"circumstances of the breach" ``cb`` (one value for everyone). The
``[policy]`` table sets the levels from which the authority (Art. 33) and the
patients (Art. 34) are notified. Without a file the defaults describe the
July 2020 leak: read by a malicious actor, recipients unknown.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import ConfigError

__all__ = ["LEVELS", "Incident", "Policy", "load_incident", "level_rank", "level_ranks"]

LEVELS = ("low", "medium", "high", "very_high")

# ENISA Annex 3 scores of each element of the circumstances of the breach.
_CONFIDENTIALITY = {"none": 0.0, "known_recipients": 0.25, "unknown_recipients": 0.5}
_INTEGRITY = {"none": 0.0, "recoverable": 0.25, "unrecoverable": 0.5}
_AVAILABILITY = {"none": 0.0, "temporary": 0.25, "permanent": 0.5}
_MALICIOUS = 0.5


def level_rank(level: str) -> int:
    """Position of a level in :data:`LEVELS` (``low`` = 0)."""
    return LEVELS.index(level)


def level_ranks(levels: pd.Series) -> np.ndarray:
    """:func:`level_rank` of many levels at once.

    A leak has a million patients but four levels: ranking the distinct
    values and spreading them back by code avoids a Python call per patient.

    Parameters
    ----------
    levels : Series of str, shape (n,)

    Returns
    -------
    ndarray of int64, shape (n,)

    Raises
    ------
    ValueError
        A value is missing or not one of :data:`LEVELS`, as with :func:`level_rank`.

    Examples
    --------
    >>> level_ranks(pd.Series(["high", "low", "high"])).tolist()
    [2, 0, 2]
    """
    codes, distinct = pd.factorize(levels, use_na_sentinel=True)
    if (codes < 0).any():
        raise ValueError("a level is missing; expected one of " + ", ".join(LEVELS) + ".")
    return np.array([level_rank(level) for level in distinct], dtype=np.int64)[codes]


@dataclass(frozen=True)
class Policy:
    """From which level the authority and the patients are notified.

    ENISA sets no threshold (its section 4.1.2); these defaults are our reading
    of Art. 33 ("unless ... unlikely to result in a risk": medium and above)
    and Art. 34 ("likely to result in a high risk": high and above).
    """

    notify_authority_at: str = "medium"
    notify_patient_at: str = "high"


@dataclass(frozen=True)
class Incident:
    """A breach, as the controller describes it (DESIGN.md section 7)."""

    title: str = "Third-party connector leak"
    confidentiality: str = "unknown_recipients"
    integrity: str = "none"
    availability: str = "none"
    malicious: bool = True
    unintelligible: bool = False
    controller: str = ""
    dpo_contact: str = ""
    measures: str = ""
    policy: Policy = field(default_factory=Policy)

    def cb_terms(self) -> dict[str, float]:
        """Each ENISA circumstance that adds to severity, with its score.

        When the data was unintelligible (strong encryption, key safe) what was
        taken cannot be read: the confidentiality and malice terms fall away,
        availability and integrity still count (EDPB 01/2021 cases 6 and 10).
        """
        terms = {
            "CB_CONFIDENTIALITY_" + self.confidentiality.upper(): _CONFIDENTIALITY[self.confidentiality],
            "CB_INTEGRITY_" + self.integrity.upper(): _INTEGRITY[self.integrity],
            "CB_AVAILABILITY_" + self.availability.upper(): _AVAILABILITY[self.availability],
            "CB_MALICIOUS": _MALICIOUS if self.malicious else 0.0,
        }
        if self.unintelligible:
            terms = {k: v for k, v in terms.items()
                     if not k.startswith(("CB_CONFIDENTIALITY", "CB_MALICIOUS"))}
        return {k: v for k, v in terms.items() if v > 0}

    @property
    def cb(self) -> float:
        """ENISA circumstances of the breach, 0 to 2."""
        return float(sum(self.cb_terms().values()))

    def as_dict(self) -> dict[str, Any]:
        """Plain dict for ``summary.json``."""
        return asdict(self)


_ALLOWED = {"confidentiality": _CONFIDENTIALITY, "integrity": _INTEGRITY,
            "availability": _AVAILABILITY}


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith(f"{key} ") or line.strip().startswith(f"{key}="):
            return number
    return None


def load_incident(path: str | Path) -> Incident:
    """Read and check an incident file.

    Raises
    ------
    ConfigError
        Bad TOML, an unknown key or table, a value of the wrong type or outside
        its choices; the message names the key and its line.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
    ...     _ = f.write('[incident]\\nconfidentiality = "known_recipients"\\nmalicious = false\\n')
    >>> load_incident(f.name).cb
    0.25
    >>> os.unlink(f.name)
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        document = tomllib.loads(text)
    except FileNotFoundError:
        raise ConfigError(f"{path.name}: no such incident file.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path.name}: not valid TOML ({exc}).") from None

    def fail(key: str, problem: str) -> ConfigError:
        line = _line_of(text, key)
        where = f", line {line}" if line else ""
        return ConfigError(f"{path.name}{where}: {problem}")

    unknown_tables = set(document) - {"incident", "policy"}
    if unknown_tables:
        key = sorted(unknown_tables)[0]
        raise fail(key, f"unknown table or key '{key}'; expected [incident] and [policy].")
    values = _checked(document.get("incident", {}), Incident, fail)
    policy = _checked(document.get("policy", {}), Policy, fail)
    for key in ("notify_authority_at", "notify_patient_at"):
        if key in policy and policy[key] not in LEVELS:
            raise fail(key, f"'{key}' must be one of {', '.join(LEVELS)}.")
    for key, allowed in _ALLOWED.items():
        if key in values and values[key] not in allowed:
            raise fail(key, f"'{key}' must be one of {', '.join(allowed)}.")
    return Incident(**values, policy=Policy(**policy))


def _checked(table: Any, cls: type, fail: Any) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise fail(cls.__name__.lower(), f"[{cls.__name__.lower()}] must be a table.")
    types = {f.name: f.type for f in fields(cls) if f.name != "policy"}
    for key, value in table.items():
        if key not in types:
            raise fail(key, f"unknown key '{key}' in [{cls.__name__.lower()}]; "
                            f"known keys: {', '.join(types)}.")
        expected = bool if types[key] in (bool, "bool") else str
        if not isinstance(value, expected):
            raise fail(key, f"'{key}' must be a {'boolean (true/false)' if expected is bool else 'string'}.")
    return dict(table)
