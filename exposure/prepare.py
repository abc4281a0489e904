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

Each column is dictionary-encoded once (:class:`_Coded`: one integer code per
record into the column's distinct values); every string operation then runs
on the distinct values only, and records get their results by code. A leak of
ten million appointments holds far fewer distinct names, dates or
practitioners than records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .columns import ColumnMapping
from .normalize import (
    broadcast,
    clean_emails,
    clean_phones,
    fold_series,
    normalize_name,
    parse_dates,
)

__all__ = ["MAX_CELL_CHARS", "nir_is_valid", "prepare_all", "prepare_records"]

MAX_CELL_CHARS = 65_536

_FEMALE = {"f", "femme", "feminin", "mme", "madame", "mlle", "mademoiselle", "female", "woman",
           "w", "2"}
_MALE = {"m", "h", "homme", "masculin", "m.", "monsieur", "mr", "male", "man", "1"}

# Columns with few distinct values across millions of records, kept as
# pandas Categorical by prepare_all: one small integer per record.
_CATEGORICAL = frozenset({"last_name", "first_name", "given", "sex", "postal_code", "city",
                          "display_last", "display_first"})


@dataclass(frozen=True)
class _Coded:
    """Records as codes into distinct values: the work is done on ``values`` only.

    Attributes
    ----------
    codes : ndarray of int of shape (n_records,)
        Position of each record's value in ``values``; -1 for no value.
    values : Series of shape (n_values,)
        The values (text, or a normaliser's result for it). They need not be
        distinct nor all used; there are far fewer of them than records.
    """

    codes: np.ndarray
    values: pd.Series

    def map(self, func: Callable[[pd.Series], pd.Series | pd.DataFrame]) -> _Coded:
        """The same records, with ``func`` applied to each distinct value."""
        return _Coded(self.codes, func(self.values).reset_index(drop=True))

    def field(self, name: str) -> _Coded:
        """One column of a :meth:`map` whose ``func`` returned a DataFrame."""
        return _Coded(self.codes, self.values[name])

    def where(self, keep: pd.Series) -> _Coded:
        """Records whose value fails ``keep`` (one bool per distinct value) lose it."""
        keep = np.asarray(keep, dtype=bool)
        if keep.all():
            return self
        return _Coded(np.where(np.append(keep, False)[self.codes], self.codes, -1), self.values)

    def without(self, dropped: np.ndarray) -> _Coded:
        """:meth:`where` ``~dropped``, and the dropped values blanked: no normaliser reads them."""
        if not dropped.any():
            return self
        return _Coded(self.where(~dropped).codes, self.values.mask(dropped, ""))

    def gather(self, per_value: np.ndarray, missing: object) -> np.ndarray:
        """``per_value`` (one per distinct value, numpy) for each record; ``missing`` if none."""
        return np.append(per_value, np.array([missing], dtype=per_value.dtype))[self.codes]

    def present(self) -> np.ndarray:
        """True for each record with a (non-missing) value."""
        return self.gather(self.values.notna().to_numpy(dtype=bool), False)

    def fillna(self, other: _Coded) -> _Coded:
        """This value, else ``other``'s: codes of ``other`` follow this column's values."""
        codes = np.where(self.present(), self.codes,
                         np.where(other.codes >= 0, other.codes + len(self.values), -1))
        values = pd.concat([self.values, other.values], ignore_index=True)
        return _Coded(codes, values)

    def take(self, rows: np.ndarray) -> _Coded:
        """Only the records at ``rows``."""
        return _Coded(self.codes[rows], self.values)

    def per_record(self, index: pd.Index) -> pd.Series:
        """One value per record (missing where there is none)."""
        return broadcast(self.codes, self.values, index)

    def categorical(self, index: pd.Index) -> pd.Series:
        """One value per record, as a Categorical of the distinct values records hold, sorted.

        Sorted, so that sorting or grouping by the column orders as the text
        does; no unused category, so that counting by category counts no zero.
        """
        used = np.bincount(self.codes[self.codes >= 0], minlength=len(self.values)) > 0
        value_codes, categories = pd.factorize(self.values.where(used), sort=True,
                                               use_na_sentinel=True)
        codes = np.append(value_codes, -1)[self.codes]
        categories = pd.Index(categories, dtype="str")
        return pd.Series(pd.Categorical.from_codes(codes, categories=categories), index=index)


def _arrow(column: pd.Series) -> pa.ChunkedArray:
    """The column's Arrow data (text columns as read are Arrow-backed: no copy)."""
    data = pa.array(column, from_pandas=True)
    return pa.chunked_array([data]) if isinstance(data, pa.Array) else data


def _dictionary(values: pa.ChunkedArray) -> tuple[np.ndarray, pa.Array]:
    """Codes (-1 for null) and distinct values of an Arrow array, by one hash pass."""
    encoded = pc.dictionary_encode(values)
    if encoded.num_chunks == 0:
        return np.zeros(0, dtype=np.int32), pa.array([], values.type)
    indices = pa.concat_arrays([chunk.indices for chunk in encoded.chunks])
    return indices.fill_null(-1).to_numpy(), encoded.chunk(0).dictionary


def _raw_codes(column: pd.Series) -> np.ndarray:
    """Codes of the cells as read (-1 for missing): equal cells, equal codes.

    These tell identical records apart exactly as ``DataFrame.duplicated``
    does (" a" is not "a", 1 is not "1").
    """
    if column.dtype == "str":
        return _dictionary(_arrow(column))[0]
    return pd.factorize(column, use_na_sentinel=True)[0]


def _encode(column: pd.Series) -> tuple[np.ndarray, _Coded]:
    """:func:`_raw_codes`, and the stripped non-blank text of the cells (what normalisers read).

    A text column as read is hashed once for both: the text's values are the
    distinct cells stripped (two may strip alike: the work on them is merely
    done twice), and a cell blank once stripped has no value.
    """
    text = column if column.dtype == "str" else column.astype("str")
    raw, distinct = _dictionary(_arrow(text))
    key = raw if text is column else _raw_codes(column)
    stripped = pc.utf8_trim_whitespace(distinct)
    blank = pc.equal(stripped, "").to_numpy(zero_copy_only=False)
    codes = np.where(np.append(blank, False)[raw], -1, raw) if blank.any() else raw
    return key, _Coded(codes, pd.Series(stripped, dtype="str"))


def _row_hash(columns: list[np.ndarray], n_records: int) -> np.ndarray:
    """A 64-bit hash of each record's codes (equal records, equal hashes)."""
    digest = np.zeros(n_records, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for codes in columns:
            digest ^= codes.astype(np.uint64) + np.uint64(1)
            digest *= np.uint64(0x9E3779B97F4A7C15)
            digest ^= digest >> np.uint64(29)
    return digest


def _duplicated(columns: list[np.ndarray], n_records: int) -> np.ndarray:
    """True for each record equal in every column to an earlier one (missing equals missing).

    The records whose hash is shared are the only candidates, and only those
    are compared code by code: a hash collision never makes a duplicate.

    Parameters
    ----------
    columns : list of ndarray of int of shape (n_records,)
        Each column's codes (-1 for missing), as :func:`_raw_codes` gives them.
    n_records : int
    """
    if not columns:
        return np.zeros(n_records, dtype=bool)
    candidates = np.flatnonzero(
        pd.Series(_row_hash(columns, n_records)).duplicated(keep=False).to_numpy())
    duplicate = np.zeros(n_records, dtype=bool)
    if len(candidates):
        rows = np.stack([codes[candidates] for codes in columns], axis=1)
        _, group = np.unique(rows, axis=0, return_inverse=True)
        duplicate[candidates] = pd.Series(group.ravel()).duplicated().to_numpy()
    return duplicate


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


def _age(values: pd.Series) -> pd.Series:
    """Age in years, missing when not a number in [0, 130]."""
    age = pd.to_numeric(values, errors="coerce").astype("float64")
    return age.where((age >= 0) & (age <= 130))


def _postal_code(values: pd.Series) -> pd.Series:
    return values.str.replace(" ", "", regex=False)


# Flags of values present but unusable, by role, in the order they are listed.
_INVALID = {"email": "FIELD_EMAIL_INVALID", "phone": "FIELD_PHONE_INVALID",
            "birth_date": "FIELD_BIRTH_DATE_INVALID",
            "appointment_at": "FIELD_APPOINTMENT_DATE_INVALID", "age": "FIELD_AGE_INVALID",
            "nir": "FIELD_NIR_INVALID"}


def _field_flags(cells: dict[str, _Coded], too_long: dict[str, np.ndarray],
                 invalid: dict[str, np.ndarray], n_records: int) -> _Coded:
    """The ``;``-joined flags of each record: invalid values first, then over-long ones.

    Each distinct value of a role gets its flags as bits of one integer, the
    records gather them by code, and each distinct combination is written
    once.

    Parameters
    ----------
    cells : dict of str to _Coded
        Each role's cells, over-long values included, in mapping order.
    too_long, invalid : dict of str to ndarray of bool
        One bool per distinct value of the role (a role missing from
        ``invalid`` has no invalid flag).
    n_records : int
    """
    names = [*_INVALID.values(), *(f"FIELD_{role.upper()}_TOO_LONG" for role in cells)]
    bits = np.zeros(n_records, dtype=np.uint64)
    for role, coded in cells.items():
        long_bit = np.uint64(1 << names.index(f"FIELD_{role.upper()}_TOO_LONG"))
        per_value = np.where(too_long[role], long_bit, np.uint64(0))
        if role in invalid:
            per_value |= np.where(invalid[role] & ~too_long[role],
                                  np.uint64(1 << names.index(_INVALID[role])), np.uint64(0))
        bits |= coded.gather(per_value, 0)
    codes, combinations = pd.factorize(bits)
    text = [";".join(name for bit, name in enumerate(names) if combination >> bit & 1)
            for combination in combinations.tolist()]
    return _Coded(codes, pd.Series(text, dtype="str"))


def _full_names(full: pd.Series, last: pd.Series, first: pd.Series) -> pd.Series:
    """``full``, else ``last first`` where both are present (vectorised in Arrow)."""
    full, last, first = (pa.array(part, from_pandas=True).cast(pa.large_string())
                         for part in (full, last, first))
    joined = pc.binary_join_element_wise(last, first, pa.scalar(" ", pa.large_string()))
    return pd.Series(pc.coalesce(full, joined), dtype="str", index=None)


def _normalise(frame: pd.DataFrame, mapping: ColumnMapping, *, categorical: bool
               ) -> tuple[pd.DataFrame, pd.Series]:
    """The records of ``frame`` (see :func:`prepare_records`), its empty ones marked.

    With ``categorical``, the low-cardinality columns are pandas Categorical.
    """
    keys, cells = [], {}
    for column in frame.columns.drop("row"):
        roles = [role for role, mapped in mapping.roles.items() if mapped == column]
        if roles:
            key, text = _encode(frame[column])
            cells.update(dict.fromkeys(roles, text))
        else:
            key = _raw_codes(frame[column])
        keys.append(key)
    duplicate = _duplicated(keys, len(frame))
    del keys
    empty = np.ones(len(frame), dtype=bool)
    for text in cells.values():
        empty &= text.codes < 0
    kept = np.flatnonzero(~empty)
    index = frame.index[kept]
    nothing = _Coded(np.full(len(kept), -1, dtype=np.int32), pd.Series([], dtype="str"))

    # Roles in mapping order: the order of the TOO_LONG flags.
    raw = {role: cells[role].take(kept) for role in mapping.roles if role in cells}
    too_long = {role: (c.values.str.len() > MAX_CELL_CHARS).to_numpy(dtype=bool)
                for role, c in raw.items()}
    text = {role: c.without(too_long[role]) for role, c in raw.items()}
    get = lambda role: text.get(role, nothing)

    last = get("last_name").map(normalize_name)
    first = get("first_name").map(normalize_name)
    full = get("full_name").map(normalize_name)
    email = get("email").map(clean_emails)
    phone = get("phone").map(clean_phones)
    birth = get("birth_date").map(parse_dates)
    appointment = get("appointment_at").map(parse_dates)
    age = get("age").map(_age)
    nir_valid = get("nir").map(nir_is_valid).values
    nir = get("nir").where(nir_valid)

    def column(coded: _Coded, name: str) -> pd.Series:
        if categorical and name in _CATEGORICAL:
            return coded.categorical(index)
        return coded.per_record(index)

    name = _full_names(full.per_record(index), last.per_record(index), first.per_record(index))
    invalid = {"email": email.values["email_invalid"], "phone": phone.values["phone_invalid"],
               "birth_date": birth.values["invalid"], "appointment_at": appointment.values["invalid"],
               "age": age.values.isna(), "nir": ~nir_valid}
    flags = _field_flags(raw, too_long,
                         {role: np.asarray(v, dtype=bool) for role, v in invalid.items()},
                         len(kept))
    records = pd.DataFrame({
        "row": frame["row"].to_numpy()[kept].astype("int64"),
        "last_name": column(last, "last_name"),
        "first_name": column(first, "first_name"),
        "name": name.set_axis(index),
        "given": column(first.fillna(full), "given"),
        "email": email.field("email").per_record(index),
        "phone": phone.field("phone").per_record(index),
        "phone_mobile": phone.field("phone_mobile").per_record(index),
        "birth_date": birth.field("value").per_record(index),
        "age": age.per_record(index),
        "sex": column(get("sex").map(_sex), "sex"),
        "postal_code": column(get("postal_code").map(_postal_code), "postal_code"),
        "city": column(get("city").map(fold_series), "city"),
        "address": get("address").per_record(index),
        "nir": nir.per_record(index),
        "patient_ref": get("patient_ref").per_record(index),
        "practitioner": column(get("practitioner").map(fold_series), "practitioner"),
        "appointment_at": appointment.field("value").per_record(index),
        "specialty_label": column(get("specialty"), "specialty_label"),
        "has_reason_text": raw.get("reason", nothing).present(),
        "display_last": column(get("last_name"), "display_last"),
        "display_first": column(get("first_name").fillna(get("full_name")), "display_first"),
        "duplicate": duplicate[kept],
        "field_flags": column(flags, "field_flags"),
    }, index=index)
    return records, pd.Series(empty, index=frame.index)


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
        ``duplicate`` (the same in every column as an earlier record of
        ``frame``) and ``field_flags``. Text columns are ``str``.
    empty : Series of bool, shape (n_records,)
        True for records with no value in any mapped column (rejected).

    See Also
    --------
    prepare_all : the same for a whole leak, with categorical columns.
    """
    return _normalise(frame, mapping, categorical=False)


def prepare_all(frame: pd.DataFrame, mapping: ColumnMapping) -> tuple[pd.DataFrame, pd.Series]:
    """Normalise a whole leak: :func:`prepare_records` on all of it at once.

    Every column is encoded once for the whole leak, so memory for string
    work is bounded by the number of *distinct* values, and a record is
    marked ``duplicate`` when it repeats any earlier record of the leak.
    Columns with few distinct values (first names, sex, postal code, city,
    practitioner, specialty label, ``display_first``, ``field_flags``) are
    pandas Categorical (sorted ``str`` categories) to keep ten million
    records small.

    Parameters
    ----------
    frame : DataFrame of shape (n_records, n_columns)
        Text columns as read, with ``row``.
    mapping : ColumnMapping

    Returns
    -------
    records : DataFrame of shape (n_kept, ...)
        As :func:`prepare_records`, with those columns categorical.
    empty : Series of bool, shape (n_records,)
        True for records with no value in any mapped column (rejected).

    Examples
    --------
    >>> leak = pd.DataFrame({"Nom": ["Dupont", "", "Dupont"], "Sexe": ["F", "", "F"],
    ...                      "row": [1, 2, 3]})
    >>> records, empty = prepare_all(leak, ColumnMapping({"last_name": "Nom", "sex": "Sexe"}))
    >>> records[["row", "last_name", "sex", "duplicate"]]
       row last_name sex  duplicate
    0    1    dupont   F      False
    2    3    dupont   F       True
    >>> empty.tolist(), records["sex"].dtype.name
    ([False, True, False], 'category')
    """
    return _normalise(frame, mapping, categorical=True)
