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


def _drop_punctuation(text: pd.Series) -> pd.Series:
    """``text`` (no missing value) without phone punctuation, by one mask over its bytes.

    No regex: an ASCII byte never occurs inside a multi-byte UTF-8 character,
    and the bytes C2 A0 always spell U+00A0 (no-break space), so dropping
    those bytes drops exactly those characters.
    """
    chunked = pa.array(text, from_pandas=True)
    array = (chunked.combine_chunks() if isinstance(chunked, pa.ChunkedArray) else chunked
             ).cast(pa.large_string())
    _, offsets, data = array.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int64)[array.offset:array.offset + len(array) + 1]
    raw = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    drop = _PHONE_PUNCTUATION[raw]
    no_break = (raw[:-1] == 0xC2) & (raw[1:] == 0xA0)
    drop[:-1] |= no_break
    drop[1:] |= no_break
    kept = np.concatenate([[0], np.cumsum(~drop)])
    stripped = pa.LargeStringArray.from_buffers(
        len(array), pa.py_buffer(kept[bounds]), pa.py_buffer(raw[~drop].tobytes()))
    return pd.Series(stripped, dtype="str", index=text.index)


def _french_phones(text: pd.Series, region: str) -> pd.Series:
    """E.164 for the ways French numbers are written, vectorised; missing elsewhere."""
    digits = _drop_punctuation(text)
    digits = digits.str.replace(r"^(?:0033|\+330|\+33)", "+33", regex=True)
    if region == "FR":
        digits = digits.str.replace(r"^0([1-9][0-9]{8})$", r"+33\1", regex=True)
    return digits.where(digits.str.fullmatch(r"\+33[1-9][0-9]{8}"))
