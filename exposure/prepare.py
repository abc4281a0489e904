"""The "normalise" stage: raw text columns -> one tidy frame of typed values.

Takes the input frame and its column mapping and returns one row per record
with the normalised identifiers the later stages need (and nothing else), plus
the ``field_flags`` that say which present values were unusable. A bad cell is
treated as absent and flagged (``FIELD_EMAIL_INVALID``...), never fatal.
A cell longer than :data:`MAX_CELL_CHARS` is no identifier: it is treated as
absent and flagged ``FIELD_<ROLE>_TOO_LONG`` before any normaliser sees it
(an over-long ``reason`` still counts as free text: it may hold health
content). A record with nothing in any mapped column is rejected as empty; a
record identical in every column to an earlier one is kept and marked
``duplicate``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .columns import ColumnMapping
from .normalize import fold_series, normalize_email, normalize_name, normalize_phone, parse_dates

__all__ = ["prepare_records", "nir_is_valid", "MAX_CELL_CHARS"]

MAX_CELL_CHARS = 65_536

_FEMALE = {"f", "femme", "feminin", "mme", "madame", "mlle", "mademoiselle", "female", "woman",
           "w", "2"}
_MALE = {"m", "h", "homme", "masculin", "m.", "monsieur", "mr", "male", "man", "1"}


def _text(frame: pd.DataFrame, mapping: ColumnMapping, role: str) -> pd.Series:
    """The role's column as stripped text, empty cells missing (all missing if no column)."""
    if not mapping.has(role):
        return pd.Series(np.nan, index=frame.index, dtype="str")
    text = frame[mapping.roles[role]].astype("str").str.strip()
    return text.where(text != "")


def nir_is_valid(nir: pd.Series) -> pd.Series:
    """True for a French NIR whose control key checks out (97 - number mod 97).

    Corsica's 2A/2B departments count as 19 and 18 for the key, as the INSEE
    rule says.

    Examples
    --------
    >>> nir_is_valid(pd.Series(["1 84 12 76 451 089 46", "184127645108947", None])).tolist()
    [True, False, False]
    """
    digits = nir.fillna("").astype(str).str.replace("[ \t\u00a0.-]", "", regex=True).str.upper()
    shaped = digits.str.fullmatch(r"[12][0-9]{4}(?:[0-9]{2}|2A|2B)[0-9]{8}")
    body = digits.str[:13].str.replace("2A", "19", regex=False).str.replace("2B", "18", regex=False)
    key = pd.to_numeric(digits.str[13:15].where(shaped), errors="coerce")
    number = pd.to_numeric(body.where(shaped), errors="coerce")
    # 13 digits fit in float64 exactly, but the modulo is done on integers to be safe.
    number_int = number.fillna(0).astype("int64")
    valid = shaped & ((97 - number_int % 97) == key)
    return valid.fillna(False).astype(bool)


def _sex(values: pd.Series) -> pd.Series:
    folded = fold_series(values)
    sex = np.select([folded.isin(_FEMALE), folded.isin(_MALE)], ["F", "M"], default="")
    return pd.Series(sex, index=values.index, dtype="str").replace("", np.nan)


def prepare_records(frame: pd.DataFrame, mapping: ColumnMapping) -> tuple[pd.DataFrame, pd.Series]:
    """Normalise every mapped role of ``frame``.

    Parameters
    ----------
    frame : DataFrame of shape (n_records, n_columns)
        Text columns as read, with ``row``.
    mapping : ColumnMapping

    Returns
    -------
    records : DataFrame of shape (n_kept, ...)
        ``row``, ``last_name``, ``first_name``, ``name`` (folded full name),
        ``given`` (folded first name, or full name), ``email``, ``phone``,
        ``phone_mobile``, ``birth_date``, ``age``, ``sex``, ``postal_code``,
        ``city``, ``address``, ``nir``, ``patient_ref``, ``practitioner``,
        ``appointment_at``, ``specialty_label``, ``has_reason_text``,
        ``display_last``, ``display_first`` (as written, for the letter),
        ``duplicate`` (the same in every column as an earlier record) and
        ``field_flags``.
    empty : Series of bool, shape (n_records,)
        True for records with no value in any mapped column (rejected).
    """
    raw = {role: _text(frame, mapping, role) for role in mapping.roles}
    empty = pd.Series(True, index=frame.index)
    for series in raw.values():
        empty &= series.isna()
    too_long = {role: (series.str.len() > MAX_CELL_CHARS).fillna(False).astype(bool)
                for role, series in raw.items()}
    text = {role: series.where(~too_long[role]) for role, series in raw.items()}
    get = lambda role: text.get(role, pd.Series(np.nan, index=frame.index, dtype="str"))  # noqa: E731
    reason_too_long = too_long.get("reason", pd.Series(False, index=frame.index))

    last = normalize_name(get("last_name"))
    first = normalize_name(get("first_name"))
    full = normalize_name(get("full_name"))
    joined = (last + " " + first).where(last.notna() & first.notna())
    name = full.fillna(joined)
    email = normalize_email(get("email"))
    phone = normalize_phone(get("phone"))
    birth = parse_dates(get("birth_date"))
    appointment = parse_dates(get("appointment_at"))
    age = pd.to_numeric(get("age"), errors="coerce")
    age_invalid = get("age").notna() & (age.isna() | (age < 0) | (age > 130))
    age = age.where(~age_invalid)
    nir_text = get("nir")
    nir_valid = nir_is_valid(nir_text)

    records = pd.DataFrame({
        "row": frame["row"].astype("int64"),
        "last_name": last,
        "first_name": first,
        "name": name,
        "given": first.fillna(full),
        "email": email["email"],
        "phone": phone["phone"],
        "phone_mobile": phone["phone_mobile"],
        "birth_date": birth["value"],
        "age": age.astype("float64"),
        "sex": _sex(get("sex")),
        "postal_code": get("postal_code").str.replace(" ", "", regex=False),
        "city": fold_series(get("city")),
        "address": get("address"),
        "nir": nir_text.where(nir_valid),
        "patient_ref": get("patient_ref"),
        "practitioner": fold_series(get("practitioner")),
        "appointment_at": appointment["value"],
        "specialty_label": get("specialty"),
        "has_reason_text": get("reason").notna() | reason_too_long,
        "display_last": get("last_name"),
        "display_first": get("first_name").fillna(get("full_name")),
        "duplicate": frame.drop(columns="row").duplicated(keep="first"),
    }, index=frame.index)
    flags = {
        "FIELD_EMAIL_INVALID": email["email_invalid"],
        "FIELD_PHONE_INVALID": phone["phone_invalid"],
        "FIELD_BIRTH_DATE_INVALID": birth["invalid"],
        "FIELD_APPOINTMENT_DATE_INVALID": appointment["invalid"],
        "FIELD_AGE_INVALID": age_invalid,
        "FIELD_NIR_INVALID": nir_text.notna() & ~nir_valid,
        **{f"FIELD_{role.upper()}_TOO_LONG": mask for role, mask in too_long.items()},
    }
    field_flags = pd.Series("", index=frame.index, dtype="str")
    for code, mask in flags.items():
        field_flags = field_flags + np.where(mask.to_numpy(dtype=bool), ";" + code, "")
    records["field_flags"] = field_flags.str.lstrip(";")
    return records[~empty], empty
