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
import pyarrow as pa
import pyarrow.compute as pc

from ._phones import clean_phones

__all__ = [
    "broadcast",
    "clean_emails",
    "clean_phones",
    "fold_series",
    "fold_text",
    "normalize_email",
    "normalize_name",
    "normalize_phone",
    "on_unique",
    "on_groups",
    "on_unique_rows",
    "parse_dates",
    "row_groups",
]

def on_unique(values: pd.Series, func: Callable[[pd.Series], pd.Series | pd.DataFrame]
              ) -> pd.Series | pd.DataFrame:
    """Apply ``func`` to the distinct values of ``values`` and broadcast back.

    Parameters
    ----------
    values : Series of shape (n_records,)
        Any hashable values; missing values stay missing and are not passed
        to ``func``.
    func : callable
        Takes a Series of the distinct non-missing values (default index) and
        returns a Series, or a DataFrame, of the same length.

    Returns
    -------
    Series or DataFrame of shape (n_records, ...)
        ``func``'s result for each record's value, with the index of ``values``.

    See Also
    --------
    broadcast : the second half, for callers that hold the codes already.

    Examples
    --------
    >>> s = pd.Series(["a", "b", "a", None])
    >>> on_unique(s, lambda u: u.str.upper()).tolist()
    ['A', 'B', 'A', nan]
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    result = func(pd.Series(uniques, dtype=values.dtype if len(uniques) else object))
    if isinstance(result, pd.DataFrame):
        return pd.DataFrame({name: broadcast(codes, column, values.index)
                             for name, column in result.items()}, index=values.index)
    return broadcast(codes, result, values.index)


def broadcast(codes: np.ndarray, per_value: pd.Series, index: pd.Index | None = None
              ) -> pd.Series:
    """Each record's result from its code: ``per_value[code]``, missing where the code is -1.

    This is how work done once per distinct value reaches the records:
    strings are gathered by Arrow, other types by numpy, never by Python.

    Parameters
    ----------
    codes : ndarray of int of shape (n_records,)
        Positions in ``per_value``; -1 for a record with no value.
    per_value : Series of shape (n_distinct,)
        One result per distinct value, in code order.
    index : Index, default=None
        The result's index; a default one when None.

    Returns
    -------
    Series of shape (n_records,), of ``per_value``'s dtype
        Missing where the code is -1 (False for a bool result).

    Examples
    --------
    >>> broadcast(np.array([1, -1, 1, 0]), pd.Series(["x", "y"])).tolist()
    ['y', nan, 'y', 'x']
    >>> broadcast(np.array([1, -1]), pd.Series([False, True])).tolist()
    [True, False]
    """
    per_value = pd.Series(per_value).reset_index(drop=True)
    index = index if index is not None else pd.RangeIndex(len(codes))
    missing = codes < 0
    if per_value.dtype == "str":
        gathered = pa.array(per_value, from_pandas=True).take(pa.array(codes, mask=missing))
        return pd.Series(gathered, dtype="str", index=index)
    if per_value.dtype == bool:
        return pd.Series(np.append(per_value.to_numpy(), False)[codes], index=index)
    if per_value.dtype.kind in "fmM":  # numpy floats and times: NaN, NaT where missing
        return pd.Series(pd.api.extensions.take(per_value.to_numpy(), codes, allow_fill=True),
                         index=index)
    padded = pd.concat([per_value, pd.Series([None], dtype=per_value.dtype)], ignore_index=True)
    # code -1 (missing) takes the last element: a missing value of the result's dtype
    return padded.take(np.where(missing, len(per_value), codes)).set_axis(index)


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
    return on_groups(frame, group, first, func)


def on_groups(frame: pd.DataFrame, group: np.ndarray, first: np.ndarray,
              func: Callable[[pd.DataFrame], pd.Series]) -> pd.Series:
    """Apply ``func`` to the first row of each group of ``frame``'s rows and broadcast back.

    ``group`` numbers each row's group, ``first`` is the position of each
    group's first row (:func:`on_unique_rows`). Categorical columns reach
    ``func`` decoded. The result stays categorical (codes into the distinct
    results): a million patients share a few thousand sentences, stored once.
    """
    distinct = frame.iloc[first].reset_index(drop=True)
    distinct = distinct.astype({column: values.cat.categories.dtype
                                for column, values in distinct.items()
                                if isinstance(values.dtype, pd.CategoricalDtype)})
    result = pd.Series(func(distinct)).reset_index(drop=True)
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
    return on_unique(values, _fold_values).astype("str")


def _fold_values(unique: pd.Series) -> pd.Series:
    folded = pd.Series(_fold_arrow(pa.array(unique.astype("str"), from_pandas=True)),
                       dtype="str")
    return folded.where(folded != "")


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

    See Also
    --------
    clean_emails : the same, on values known to be distinct.

    Examples
    --------
    >>> normalize_email(pd.Series([" Marie.Dupont@Gmail.com ", "marie@", ""]))
                       email  email_invalid
    0  marie.dupont@gmail.com          False
    1                    NaN           True
    2                    NaN          False
    """
    return on_unique(values, clean_emails).astype({"email_invalid": bool})


def clean_emails(unique: pd.Series) -> pd.DataFrame:
    """:func:`normalize_email` of distinct non-missing values (no hashing: one row each)."""
    lowered = unique.astype("str").str.strip().str.lower()
    valid = lowered.str.match(_EMAIL.pattern) & ~lowered.str.contains("..", regex=False)
    return pd.DataFrame({"email": lowered.where(valid), "email_invalid": (lowered != "") & ~valid})


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

    See Also
    --------
    clean_phones : the same, on values known to be distinct.

    Examples
    --------
    >>> normalize_phone(pd.Series(["06 12 34 56 78", "01.42.00.00.00", "12"]))
              phone  phone_mobile  phone_invalid
    0  +33612345678          True          False
    1  +33142000000         False          False
    2           NaN         False           True
    """
    return on_unique(values, lambda unique: clean_phones(unique, region))


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
    return on_unique(values, _name_values).astype("str")


def _name_values(unique: pd.Series) -> pd.Series:
    folded = _fold_values(unique)
    kept = (folded.str.replace(_PARTICLE_WORDS, " ", regex=True)
            .str.replace(_PARTICLE_WORDS, " ", regex=True)
            .str.replace(r" +", " ", regex=True).str.strip())
    # A name made only of particles ("Le") keeps them.
    return kept.where(kept != "", folded)


_EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def parse_dates(values: pd.Series) -> pd.DataFrame:
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
    return on_unique(values, _read_dates).astype({"invalid": bool})


def _read_dates(unique: pd.Series) -> pd.DataFrame:
    text = unique.astype(str).str.strip()
    present = text != ""
    parsed = _parse_dates(text[present].astype(object)).reindex(text.index)
    return pd.DataFrame({"value": parsed, "invalid": present & parsed.isna()})


def _parse_dates(unique: pd.Series) -> pd.Series:
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
