"""The normalise stage as it was before issue 7: row-wise, chunk by chunk.

A frozen copy of ``exposure.prepare.prepare_records`` and the normalisers it
called, kept as the reference that the dictionary-encoded implementation must
equal value for value and dtype for dtype (tests/test_prepare_reference.py).
Docstrings are dropped; the code is otherwise unchanged.
"""

import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import phonenumbers
import pyarrow as pa

from exposure.columns import ColumnMapping
from exposure.normalize import _fold_arrow
from exposure.prepare import MAX_CELL_CHARS, nir_is_valid


def _text(frame: pd.DataFrame, mapping: ColumnMapping, role: str) -> pd.Series:
    if not mapping.has(role):
        return pd.Series(np.nan, index=frame.index, dtype="str")
    text = frame[mapping.roles[role]].astype("str").str.strip()
    return text.where(text != "")


def on_unique(values: pd.Series, func: Callable[[pd.Series], pd.Series]) -> pd.Series:
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = func(pd.Series(uniques, dtype=values.dtype if len(uniques) else object))
    mapped = pd.Series(mapped).reset_index(drop=True)
    padded = pd.concat([mapped, pd.Series([None], dtype=mapped.dtype)], ignore_index=True)
    # code -1 (missing) takes the last element: a missing value of the result's dtype
    result = padded.take(np.where(codes < 0, len(mapped), codes))
    result.index = values.index
    return result


def fold_series(values: pd.Series) -> pd.Series:
    def fold(unique: pd.Series) -> pd.Series:
        folded = pd.Series(_fold_arrow(pa.array(unique.astype(str).to_numpy(dtype=object),
                                                type=pa.string())).to_pandas(), dtype="str")
        return folded.where(folded != "")

    return on_unique(values, fold).astype("str")


# A pragmatic address check: one @, a non-empty local part without spaces, and
# a domain with a dot and a 2+ letter TLD. RFC 5322 allows far more, but leaked
# booking exports hold ordinary addresses; anything stranger is "invalid".
_EMAIL = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}$")


def normalize_email(values: pd.Series) -> pd.DataFrame:
    def clean(unique: pd.Series) -> pd.Series:
        lowered = unique.astype("str").str.strip().str.lower()
        valid = lowered.str.match(_EMAIL.pattern) & ~lowered.str.contains("..", regex=False)
        # "" stays "" (absent), an unreadable address becomes missing (invalid).
        return lowered.where(valid | (lowered == ""))

    cleaned = on_unique(values, clean)
    present = values.fillna("").astype(str).str.strip() != ""
    invalid = present & cleaned.isna()
    email = cleaned.where(cleaned.notna() & (cleaned != ""), None)
    return pd.DataFrame({"email": email.astype("str"), "email_invalid": invalid.astype(bool)})


def _phone_to_e164(raw: str, region: str) -> str | None:
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


# Spaces (regular and no-break), dots, dashes, slashes, brackets. Written as a
# plain class: "\s" would make pandas run Python's re on every value, not RE2.
_PHONE_PUNCTUATION = "[ \t\u00a0.\\-/()]"


def _french_phones(unique: pd.Series, region: str) -> pd.Series:
    digits = unique.astype(str).str.replace(_PHONE_PUNCTUATION, "", regex=True)
    digits = digits.str.replace(r"^(?:0033|\+330|\+33)", "+33", regex=True)
    if region == "FR":
        digits = digits.str.replace(r"^0([1-9][0-9]{8})$", r"+33\1", regex=True)
    french = digits.str.fullmatch(r"\+33[1-9][0-9]{8}")
    return digits.where(french, None).astype(object)


def normalize_phone(values: pd.Series, region: str = "FR") -> pd.DataFrame:
    def clean(unique: pd.Series) -> pd.Series:
        e164 = _french_phones(unique, region)
        # Only values the French rules do not read go to the (slower) library.
        rest = e164.isna()
        e164[rest] = [_phone_to_e164(str(v), region) for v in unique[rest]]
        return e164

    text = values.fillna("").astype(str).str.strip()
    phone = on_unique(text.where(text != "", None), clean)
    present = text != ""
    invalid = present & phone.isna()
    mobile = on_unique(phone, _mobile)
    return pd.DataFrame({
        "phone": phone.astype("str"),
        "phone_mobile": mobile.fillna(False).astype(bool),
        "phone_invalid": invalid.astype(bool),
    })


def _mobile(unique: pd.Series) -> pd.Series:
    unique = unique.astype("str")
    french = unique.str.startswith("+33").to_numpy(dtype=bool)
    mobile = unique.str.match(r"^\+33[67]").to_numpy(dtype=bool).copy()
    kinds = (phonenumbers.PhoneNumberType.MOBILE,
             phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    mobile[~french] = [phonenumbers.number_type(phonenumbers.parse(v, None)) in kinds
                       for v in unique[~french]]
    return pd.Series(mobile)


# Written without look-ahead so that Arrow's RE2 engine runs it (a Python
# fallback would loop over values); applied twice for "de la".
_PARTICLE_WORDS = r"(?:^| )(?:de|du|des|le|la|d|l|van|von|der|den)(?: |$)"


def normalize_name(values: pd.Series) -> pd.Series:
    def clean(unique: pd.Series) -> pd.Series:
        folded = fold_series(unique)
        kept = (folded.str.replace(_PARTICLE_WORDS, " ", regex=True)
                .str.replace(_PARTICLE_WORDS, " ", regex=True)
                .str.replace(r" +", " ", regex=True).str.strip())
        # A name made only of particles ("Le") keeps them.
        return kept.where(kept != "", folded)

    return on_unique(values, clean).astype("str")


_EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def parse_dates(values: pd.Series, *, dayfirst: bool = True) -> pd.DataFrame:
    text = values.fillna("").astype(str).str.strip()
    present = text != ""

    def parse(unique: pd.Series) -> pd.Series:
        unique = unique.astype(object)
        iso = pd.to_datetime(unique, format="ISO8601", errors="coerce")
        rest = iso.isna()
        for fmt in ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y %H:%M",
                    "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y"):
            if not rest.any():
                break
            parsed = pd.to_datetime(unique[rest], format=fmt, errors="coerce")
            iso = iso.where(~rest, parsed)
            rest = iso.isna()
        serial = pd.to_numeric(unique[rest], errors="coerce")
        serial = serial.where((serial > 1) & (serial < 2958466))
        from_excel = _EXCEL_EPOCH + pd.to_timedelta(serial, unit="D")
        iso = iso.where(~rest, from_excel)
        # Years outside any plausible appointment or birth are typing errors.
        plausible = (iso.dt.year >= 1900) & (iso.dt.year <= 2100)
        return iso.where(plausible)

    parsed = on_unique(text.where(present, None), parse)
    parsed = pd.to_datetime(parsed)
    return pd.DataFrame({"value": parsed, "invalid": (present & parsed.isna()).astype(bool)})


_FEMALE = {"f", "femme", "feminin", "mme", "madame", "mlle", "mademoiselle", "female", "woman",
           "w", "2"}
_MALE = {"m", "h", "homme", "masculin", "m.", "monsieur", "mr", "male", "man", "1"}


def _sex(values: pd.Series) -> pd.Series:
    folded = fold_series(values)
    sex = np.select([folded.isin(_FEMALE), folded.isin(_MALE)], ["F", "M"], default="")
    return pd.Series(sex, index=values.index, dtype="str").replace("", np.nan)


def prepare_records(frame: pd.DataFrame, mapping: ColumnMapping) -> tuple[pd.DataFrame, pd.Series]:
    raw = {role: _text(frame, mapping, role) for role in mapping.roles}
    empty = pd.Series(True, index=frame.index)
    for series in raw.values():
        empty &= series.isna()
    too_long = {role: (series.str.len() > MAX_CELL_CHARS).fillna(False).astype(bool)
                for role, series in raw.items()}
    text = {role: series.where(~too_long[role]) for role, series in raw.items()}
    get = lambda role: text.get(role, pd.Series(np.nan, index=frame.index, dtype="str"))
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
