"""Phone numbers in E.164, once per distinct value (see :func:`exposure.normalize.normalize_phone`).

French numbers written the usual ways are read by vectorised rules; anything
else goes to the ``phonenumbers`` library, which knows every country's
numbering plan.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import phonenumbers
import pyarrow as pa

__all__ = ["clean_phones"]


def clean_phones(unique: pd.Series, region: str = "FR") -> pd.DataFrame:
    """:func:`~exposure.normalize.normalize_phone` of distinct non-missing values (no hashing: one row each)."""
    text = unique.astype("str").str.strip()
    present = (text != "").to_numpy(dtype=bool)
    e164 = _french_phones(text[present], region)
    # Only values the French rules do not read go to the (slower) library.
    rest = e164.isna().to_numpy()
    if rest.any():
        e164[rest] = [_phone_to_e164(raw, region) for raw in text[present][rest]]
    phone = e164.reindex(text.index)
    known = phone.notna().to_numpy()
    mobile = np.zeros(len(phone), dtype=bool)
    mobile[known] = _mobile(phone[known])
    return pd.DataFrame({"phone": phone, "phone_mobile": mobile,
                         "phone_invalid": present & ~known})


def _mobile(e164: pd.Series) -> np.ndarray:
    """French mobiles by prefix (vectorised); other countries ask libphonenumber."""
    french = e164.str.startswith("+33").to_numpy(dtype=bool)
    mobile = e164.str.match(r"^\+33[67]").to_numpy(dtype=bool).copy()
    kinds = (phonenumbers.PhoneNumberType.MOBILE,
             phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    mobile[~french] = [phonenumbers.number_type(phonenumbers.parse(v, None)) in kinds
                       for v in e164[~french]]
    return mobile


def _phone_to_e164(raw: str, region: str) -> str | None:
    """Ask libphonenumber, which knows every country's numbering plan."""
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


# Spaces (regular and no-break), dots, dashes, slashes, brackets.
_PHONE_PUNCTUATION = np.zeros(256, dtype=bool)
_PHONE_PUNCTUATION[list(b" \t.-/()")] = True
_DIGIT = np.zeros(256, dtype=bool)
_DIGIT[list(b"0123456789")] = True


def _bytes_without_punctuation(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Offsets (n + 1) and UTF-8 bytes of ``text`` (no missing value) less phone punctuation.

    One mask over the bytes, no regex: an ASCII byte never occurs inside a
    multi-byte UTF-8 character, and the bytes C2 A0 always spell U+00A0
    (no-break space), so dropping those bytes drops exactly those characters.
    """
    chunked = pa.array(text, from_pandas=True)
    array = (chunked.combine_chunks() if isinstance(chunked, pa.ChunkedArray) else chunked
             ).cast(pa.large_string())
    _, offsets, data = array.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int64)[array.offset:array.offset + len(array) + 1]
    raw = np.frombuffer(data, dtype=np.uint8)[bounds[0]:bounds[-1]] if len(array) and data \
        else np.zeros(0, dtype=np.uint8)
    bounds = bounds - bounds[0]
    drop = _PHONE_PUNCTUATION[raw]
    no_break = (raw[:-1] == 0xC2) & (raw[1:] == 0xA0)
    drop[:-1] |= no_break
    drop[1:] |= no_break
    # Bytes dropped in each text (reduceat gives an empty text its next byte: masked).
    dropped = np.add.reduceat(np.append(drop, False), bounds[:-1], dtype=np.int64) if len(
        array) else np.zeros(0, dtype=np.int64)
    dropped *= np.diff(bounds) > 0
    return bounds - np.concatenate([[0], np.cumsum(dropped)]), raw[~drop]


# Texts read at a time: bounds the byte arrays (some 30 bytes a text) of a leak's
# millions of distinct phones.
_SLICE = 1 << 20


def _french_phones(text: pd.Series, region: str) -> pd.Series:
    """E.164 for the ways French numbers are written, vectorised; missing elsewhere.

    Punctuation aside, a French number is nine digits (the first not 0)
    after "+33", "0033" or "+330", or after "0" when ``region`` is France.
    The test is made on the bytes of each text, at fixed positions.
    """
    if len(text) > _SLICE:
        return pd.concat([_french_phones(text.iloc[start:start + _SLICE], region)
                          for start in range(0, len(text), _SLICE)])
    bounds, data = _bytes_without_punctuation(text)
    start, length = bounds[:-1], np.diff(bounds)
    padded = np.concatenate([data, np.zeros(13, dtype=np.uint8)])  # 13 bytes from anywhere
    first4 = np.lib.stride_tricks.sliding_window_view(padded, 4)[start].copy().view("<u4")[:, 0]
    starts = {prefix: (first4 & ((1 << 8 * len(prefix)) - 1))
              == int.from_bytes(prefix, "little") for prefix in (b"+33", b"0033", b"+330", b"0")}
    skip = np.select([(length == 12) & starts[b"+33"],
                      (length == 13) & (starts[b"0033"] | starts[b"+330"]),
                      (length == 10) & starts[b"0"] & (region == "FR")], [3, 4, 1], default=0)
    candidate = np.flatnonzero(skip)
    national = np.lib.stride_tricks.sliding_window_view(padded, 9)[(start + skip)[candidate]]
    shaped = (national[:, 0] != ord("0")) & _DIGIT[national].all(axis=1)
    french = np.zeros(len(start), dtype=bool)
    french[candidate[shaped]] = True
    national = national[shaped]
    e164 = np.concatenate([np.tile(np.frombuffer(b"+33", np.uint8), (int(french.sum()), 1)),
                           national], axis=1)
    offsets = np.concatenate([[0], np.cumsum(np.where(french, 12, 0))])
    array = pa.LargeStringArray.from_buffers(
        len(length), pa.py_buffer(offsets), pa.py_buffer(e164.tobytes()),
        pa.array(french).buffers()[1])
    return pd.Series(array, dtype="str", index=text.index)
