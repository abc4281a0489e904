"""Normalise identifiers so that equal things compare equal.

Every function here takes a pandas Series of text and returns Series aligned
with it. The work is done once per *distinct* value (:func:`on_unique`): a
leak of ten million appointments holds far fewer distinct e-mails, phones,
names and dates than rows, and string work is what costs.

A value that cannot be normalised becomes missing (``<NA>``); it is never
raised as an error, because one bad cell must not stop a batch. Callers turn
"present but invalid" into a reason code.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "on_unique",
    "on_unique_rows",
    "row_groups",
    "fold_text",
    "fold_series",
    "normalize_email",
    "normalize_phone",
    "normalize_name",
    "parse_dates",
]

def on_unique(values: pd.Series, func: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Apply ``func`` to the distinct values of ``values`` and broadcast back.

    Parameters
    ----------
    values : Series of shape (n_records,)
        Any hashable values; missing values stay missing and are not passed
        to ``func``.
    func : callable
        Takes a Series of the distinct non-missing values (default index) and
        returns a Series of the same length.

    Returns
    -------
    Series of shape (n_records,)
        ``func``'s result for each record's value, with the index of ``values``.

    Examples
    --------
    >>> s = pd.Series(["a", "b", "a", None])
    >>> on_unique(s, lambda u: u.str.upper()).tolist()
    ['A', 'B', 'A', nan]
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = func(pd.Series(uniques, dtype=values.dtype if len(uniques) else object))
    mapped = pd.Series(mapped).reset_index(drop=True)
    padded = pd.concat([mapped, pd.Series([None], dtype=mapped.dtype)], ignore_index=True)
    # code -1 (missing) takes the last element: a missing value of the result's dtype
    result = padded.take(np.where(codes < 0, len(mapped), codes))
    result.index = values.index
    return result


def row_groups(frame: pd.DataFrame) -> np.ndarray:
    """One integer per row, equal for rows equal on every column (missing equals missing).

    Groups are numbered 0, 1, 2... in order of first appearance. Each column
    is factorised once (a boolean column is its own code) and the codes are
    folded into one integer key, mixed radix: factorising integers is far
    cheaper than factorising tuples of strings. When the next column would
    overflow int64, the key so far is renumbered densely first, so any number
    of columns fits.

    Examples
    --------
    >>> row_groups(pd.DataFrame({"a": ["x", "y", "x"], "b": [1, 2, 1]})).tolist()
    [0, 1, 0]
    >>> row_groups(pd.DataFrame({"a": [None, "y", None], "b": [True, True, True]})).tolist()
    [0, 1, 0]
    """
    key, size = np.zeros(len(frame), dtype=np.int64), 1  # 0 <= key < size
    for column in frame.columns:
        values = frame[column]
        if values.dtype == bool:
            codes, radix = values.to_numpy(dtype=np.int64), 2
        else:  # -1 (missing) becomes 0
            codes, distinct = pd.factorize(values, use_na_sentinel=True)
            codes, radix = codes + 1, len(distinct) + 1
        if size * radix > np.iinfo(np.int64).max:
            key, distinct_keys = pd.factorize(key)
            size = len(distinct_keys)
        key = key * radix + codes
        size *= radix
    return pd.factorize(key)[0]


def on_unique_rows(frame: pd.DataFrame, func: Callable[[pd.DataFrame], pd.Series]) -> pd.Series:
    """Apply ``func`` to the distinct rows of ``frame`` and broadcast back.

    Sentences and reason lists depend on a handful of columns that take few
    distinct combinations across millions of patients: build each once.

    Parameters
    ----------
    frame : DataFrame of shape (n_rows, n_columns)
    func : callable
        Takes the distinct rows (default index), in order of first appearance,
        and returns a Series of the same length. Categorical columns reach it
        decoded, as their categories' dtype, so that it can work on values.

    Returns
    -------
    Series of shape (n_rows,), indexed like ``frame``
        Categorical: each distinct result is stored once.

    Examples
    --------
    >>> f = pd.DataFrame({"a": ["x", "y", "x"], "b": [1, 2, 1]})
    >>> on_unique_rows(f, lambda u: u["a"] + u["b"].astype(str)).tolist()
    ['x1', 'y2', 'x1']
    >>> on_unique_rows(f, lambda u: u["a"] + u["b"].astype(str)).dtype
    CategoricalDtype(categories=['x1', 'y2'], ordered=False, categories_dtype=str)
    """
    group = row_groups(frame)
    # Groups are numbered by first appearance: the first row of each is where
    # the running maximum of the numbers rises.
    running = np.maximum.accumulate(group)
    first = np.flatnonzero(np.diff(running, prepend=-1) > 0)
    distinct = frame.iloc[first].reset_index(drop=True)
    distinct = distinct.astype({column: values.cat.categories.dtype
                                for column, values in distinct.items()
                                if isinstance(values.dtype, pd.CategoricalDtype)})
    result = pd.Series(func(distinct)).reset_index(drop=True)
    # The result stays categorical (codes into the distinct results): a
    # million patients share a few thousand sentences, which are stored once.
    result_codes, categories = pd.factorize(result, use_na_sentinel=True)
    return pd.Series(pd.Categorical.from_codes(result_codes[group], categories=categories),
                     index=frame.index)


def _fold_arrow(values: pa.Array) -> pa.Array:
    """The one folding rule, on an Arrow string array (vectorised, in C++)."""
    folded = pc.utf8_lower(values)
    for ligature, letters in (("œ", "oe"), ("æ", "ae"), ("ß", "ss")):
        folded = pc.replace_substring(folded, ligature, letters)
    folded = pc.utf8_normalize(folded, "NFKD")
    folded = pc.replace_substring_regex(folded, r"\p{Mn}+", "")
    folded = pc.replace_substring_regex(folded, r"[^0-9a-z]+", " ")
    return pc.utf8_trim_whitespace(folded)


def fold_text(text: str) -> str:
    """Fold one string for comparison: case, accents, punctuation.

    ``"Gynécologue - Obstétricien"`` and ``"GYNECOLOGUE OBSTETRICIEN"`` fold to
    the same key, which is what a human reader sees as "the same label". The
    same rule as :func:`fold_series`, applied to one value.

    Examples
    --------
    >>> fold_text("  Médecin - Psychiatrie (SM) ")
    'medecin psychiatrie sm'
    >>> fold_text("Œdème")
    'oedeme'
    """
    return _fold_arrow(pa.array([text], type=pa.string()))[0].as_py()


def fold_series(values: pd.Series) -> pd.Series:
    """Fold each distinct value (see :func:`fold_text`); empty results become missing.

    Examples
    --------
    >>> fold_series(pd.Series(["Zoé", "ZOE", " - ", None])).tolist()
    ['zoe', 'zoe', nan, nan]
    """
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
    """Trim and lowercase e-mail addresses and say which are valid.

    Returns
    -------
    DataFrame of shape (n_records, 2)
        ``email``: the normalised address when valid, else missing;
        ``email_invalid``: True where a non-empty value was not an address.

    Examples
    --------
    >>> normalize_email(pd.Series([" Marie.Dupont@Gmail.com ", "marie@", ""]))
                       email  email_invalid
    0  marie.dupont@gmail.com          False
    1                    NaN           True
    2                    NaN          False
    """
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
    """Ask libphonenumber, which knows every country's numbering plan."""
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
    """E.164 for the ways French numbers are written, vectorised; None elsewhere."""
    digits = unique.astype(str).str.replace(_PHONE_PUNCTUATION, "", regex=True)
    digits = digits.str.replace(r"^(?:0033|\+330|\+33)", "+33", regex=True)
    if region == "FR":
        digits = digits.str.replace(r"^0([1-9][0-9]{8})$", r"+33\1", regex=True)
    french = digits.str.fullmatch(r"\+33[1-9][0-9]{8}")
    return digits.where(french, None).astype(object)


def normalize_phone(values: pd.Series, region: str = "FR") -> pd.DataFrame:
    """Write phone numbers in E.164 and say which can receive an SMS.

    French numbers written the usual ways ("06 12 34 56 78", "+33 6...",
    "0033 6...", dots, dashes) are handled by rules; anything else goes to the
    ``phonenumbers`` library, once per distinct value.

    Returns
    -------
    DataFrame of shape (n_records, 3)
        ``phone`` (E.164 or missing), ``phone_mobile`` (True for mobile
        numbers: an SMS can reach them), ``phone_invalid`` (a non-empty value
        that is not a number).

    Examples
    --------
    >>> normalize_phone(pd.Series(["06 12 34 56 78", "01.42.00.00.00", "12"]))
              phone  phone_mobile  phone_invalid
    0  +33612345678          True          False
    1  +33142000000         False          False
    2           NaN         False           True
    """
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
    """French mobiles by prefix (vectorised); other countries ask libphonenumber."""
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
    """Fold a name for matching: case, accents, hyphens and particles.

    "Jean-Pierre", "JEAN PIERRE" and "jean pierre" fold alike; "de la Tour"
    and "Latour" do not (a particle is dropped only when it stands apart).

    Examples
    --------
    >>> normalize_name(pd.Series(["Lefèvre", "LEFEVRE", "Le Gall", "de Gaulle"])).tolist()
    ['lefevre', 'lefevre', 'gall', 'gaulle']
    """
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
    """Parse dates written as exports write them, once per distinct value.

    Accepted: ISO ``2020-07-06`` (with optional ``T``/space and time),
    ``06/07/2020`` and ``06-07-2020`` (day first, as in France, optional
    time), ``06/07/20``, and Excel serial numbers (``44018``).

    Returns
    -------
    DataFrame of shape (n_records, 2)
        ``value``: datetime64 or NaT; ``invalid``: a non-empty cell that is
        not a date.

    Examples
    --------
    >>> parse_dates(pd.Series(["2020-07-06 14:30", "06/07/2020", "44018", "soon"]))
                    value  invalid
    0 2020-07-06 14:30:00    False
    1 2020-07-06 00:00:00    False
    2 2020-07-06 00:00:00    False
    3                 NaT     True
    """
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
