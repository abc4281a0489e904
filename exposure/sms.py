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
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["GSM7_BASIC", "GSM7_EXTENSION", "MAX_PARTS", "MAX_SEPTETS", "gsm7_array", "septets",
           "septets_array", "sms_parts", "to_gsm7"]

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
# Character classes written for RE2 (pyarrow), one escaped code point each.
_ALLOWED_CLASS = "".join(f"\\x{{{ord(char):x}}}" for char in sorted(_ALLOWED))
_OUTSIDE, _INSIDE_RUN = f"[^{_ALLOWED_CLASS}]", f"[{_ALLOWED_CLASS}]+"
_EXTENSION_PATTERN = r"[\^{}\\\[~\]|€\f]"  # works with re and with pyarrow's RE2


def _closest(char: str) -> str:
    """One character outside the alphabet: its closest equivalent, else without accent, else '?'."""
    if ord(char) in _CLOSEST:
        return _CLOSEST[ord(char)]
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    return base if base and all(c in _ALLOWED for c in base) else "?"


def gsm7_array(text: pa.Array | pa.ChunkedArray) -> pa.Array:
    """:func:`to_gsm7` on Arrow strings, as one array; nulls become "".

    Only the texts holding a character outside the alphabet are rewritten,
    one Arrow replacement per distinct such character: no Python loop over
    the texts, which are all different (each names its own reference).

    Examples
    --------
    >>> gsm7_array(pa.array(["Œuvre « ok »", "abc", None])).to_pylist()
    ['OEuvre "ok"', 'abc', '']
    """
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    text = pc.fill_null(text, "")
    outside = pc.match_substring_regex(text, _OUTSIDE)
    if not pc.any(outside).as_py():
        return text
    fixed = text.filter(outside)
    for quote in ("« ", " »"):
        fixed = pc.replace_substring(fixed, quote, '"')
    left = pc.replace_substring_regex(fixed, _INSIDE_RUN, "").unique().to_pylist()
    for char in sorted(set("".join(left))):
        fixed = pc.replace_substring(fixed, char, _closest(char))
    return pc.replace_with_mask(text, outside, fixed)


def to_gsm7(text: pd.Series) -> pd.Series:
    """Replace every character outside the GSM 7-bit alphabet by its closest equivalent.

    French letters of the alphabet (é, è, à, ù, É) are kept; the others lose
    their accent. See :func:`gsm7_array`.

    Examples
    --------
    >>> to_gsm7(pd.Series(["Fête à l’hôpital", "Maëlle, n° 3 — « ok » ✓"])).tolist()
    ["Fete à l'hopital", 'Maelle, no 3 - "ok" ?']
    """
    return pd.Series(gsm7_array(_arrow(text)), index=text.index, dtype="str")


def septets_array(text: pa.Array) -> pa.Array:
    """:func:`septets` on an Arrow string array of GSM texts (int64)."""
    extension = pc.count_substring_regex(text, _EXTENSION_PATTERN)
    return pc.add(pc.utf8_length(text), extension).cast(pa.int64())


def septets(text: pd.Series) -> pd.Series:
    """Length in GSM septets of texts already in the GSM alphabet (extension = 2).

    Examples
    --------
    >>> septets(pd.Series(["abc", "5 €", ""])).tolist()
    [3, 4, 0]
    """
    return pd.Series(septets_array(_arrow(text)), index=text.index, dtype="int64")


def _arrow(text: pd.Series) -> pa.Array:
    """The texts as one Arrow array (zero-copy for the pandas "str" dtype); missing -> ""."""
    return pa.array(text.fillna("").astype("str"), type=pa.large_string())


def sms_parts(length: int) -> int:
    """Number of SMS a text of ``length`` septets takes.

    Examples
    --------
    >>> [sms_parts(n) for n in (0, 160, 161, 306, 307)]
    [1, 1, 2, 2, 3]
    """
    return 1 if length <= _SINGLE else math.ceil(length / _PART)
