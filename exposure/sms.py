"""SMS length, counted as a phone network counts it (GSM 03.38, 7-bit).

An SMS holds 160 septets of the GSM 7-bit alphabet; a longer text is split
into parts of 153 (the rest carries the concatenation header). Characters of
the extension table (``€ [ ] { } \\ ^ ~ |``) take two septets. A single
character outside the alphabet (``ê``, ``ç``, ``œ``, a typographic apostrophe)
switches the whole message to UCS-2, 70 characters per part: a French SMS
that looks short can cost three times as much. :func:`to_gsm7` replaces such
characters with their closest GSM equivalent (``ê`` -> ``e``) so that the
length stays what it looks like.
"""

from __future__ import annotations

import math
import unicodedata

import pandas as pd

__all__ = ["GSM7_BASIC", "GSM7_EXTENSION", "MAX_PARTS", "MAX_SEPTETS", "to_gsm7", "septets",
           "sms_parts"]

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
MAX_PARTS = 2
MAX_SEPTETS = 153 * MAX_PARTS
_SINGLE, _PART = 160, 153

_CLOSEST = str.maketrans({
    "â": "a", "À": "A", "Â": "A", "ç": "c", "ê": "e", "ë": "e", "È": "E", "Ê": "E", "Ë": "E",
    "î": "i", "ï": "i", "Î": "I", "Ï": "I", "ô": "o", "Ô": "O", "û": "u", "Û": "U", "Ù": "U",
    "ÿ": "y", "œ": "oe", "Œ": "OE", "’": "'", "‘": "'", "“": '"', "”": '"', "«": '"',
    "»": '"', "–": "-", "—": "-", "…": "...", "\u00a0": " ", "\u202f": " ", "°": "o",
    "\t": " "})
_ALLOWED = GSM7_BASIC | GSM7_EXTENSION
_EXTENSION_PATTERN = r"[\^{}\\\[~\]|€\f]"  # works with re and with pyarrow's RE2


def _fallback(text: str) -> str:
    """Strip accents from what remains outside the alphabet; '?' when nothing is left."""
    out = []
    for char in text:
        if char in _ALLOWED:
            out.append(char)
            continue
        base = "".join(c for c in unicodedata.normalize("NFD", char)
                       if not unicodedata.combining(c))
        out.append(base if base and all(c in _ALLOWED for c in base) else "?")
    return "".join(out)


def to_gsm7(text: pd.Series) -> pd.Series:
    """Replace every character outside the GSM 7-bit alphabet by its closest equivalent.

    French letters of the alphabet (é, è, à, ù, É) are kept; the others lose
    their accent. Done on distinct values.

    Examples
    --------
    >>> to_gsm7(pd.Series(["Fête à l’hôpital", "Maëlle, n° 3 — « ok » ✓"])).tolist()
    ["Fete à l'hopital", 'Maelle, no 3 - "ok" ?']
    """
    codes, uniques = pd.factorize(text.fillna("").astype(str))
    fixed = [_fallback(u.replace("« ", '"').replace(" »", '"').translate(_CLOSEST))
             for u in uniques]
    return pd.Series(pd.Index(fixed, dtype="str").take(codes), index=text.index, dtype="str")


def septets(text: pd.Series) -> pd.Series:
    """Length in GSM septets of texts already in the GSM alphabet (extension = 2).

    Examples
    --------
    >>> septets(pd.Series(["abc", "5 €", ""])).tolist()
    [3, 4, 0]
    """
    text = text.fillna("").astype(str)
    extension = text.str.count(_EXTENSION_PATTERN)
    return (text.str.len() + extension).astype("int64")


def sms_parts(length: int) -> int:
    """Number of SMS a text of ``length`` septets takes.

    Examples
    --------
    >>> [sms_parts(n) for n in (0, 160, 161, 306, 307)]
    [1, 1, 2, 2, 3]
    """
    return 1 if length <= _SINGLE else math.ceil(length / _PART)
