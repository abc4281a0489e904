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

Each column is dictionary-encoded once (:class:`~exposure._coded.Coded`: one
integer code per record into the column's distinct values); every string
operation then runs on the distinct values only, and records get their
results by code. A leak of ten million appointments holds far fewer distinct
names, dates or practitioners than records.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ._coded import Coded, duplicated, encode, raw_codes
from .columns import ColumnMapping
from .normalize import (
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

# Threads for the string work (Arrow's kernels release the GIL).
_THREADS = 2

# Columns with few distinct values across millions of records, kept as
# pandas Categorical by prepare_all: one small integer per record.
_CATEGORICAL = frozenset({"last_name", "first_name", "given", "sex", "postal_code", "city",
                          "specialty_label", "display_last", "display_first", "field_flags"})
# Text columns of roles a leak often lacks: with no value at all, categorical too
# (one byte a record instead of eight).
_CATEGORICAL_WHEN_EMPTY = frozenset({"email", "phone", "address", "nir", "patient_ref"})


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


def _field_flags(cells: dict[str, Coded], too_long: dict[str, np.ndarray],
                 invalid: dict[str, np.ndarray], n_records: int) -> Coded:
    """The ``;``-joined flags of each record: invalid values first, then over-long ones.

    Each distinct value of a role gets its flags as bits of one integer, the
    records gather them by code, and each distinct combination is written
    once.

    Parameters
    ----------
    cells : dict of str to Coded
        Each role's cells, over-long values included, in mapping order.
    too_long, invalid : dict of str to ndarray of bool
        One bool per distinct value of the role (a role missing from
        ``invalid`` has no invalid flag).
    n_records : int
    """
    names = [*_INVALID.values(), *(f"FIELD_{role.upper()}_TOO_LONG" for role in cells)]
    bits = np.zeros(n_records, dtype=np.uint32)  # 6 + 18 roles: 24 flags at most
    for role, coded in cells.items():
        long_bit = np.uint32(1 << names.index(f"FIELD_{role.upper()}_TOO_LONG"))
        per_value = np.where(too_long[role], long_bit, np.uint32(0))
        if role in invalid:
            per_value |= np.where(invalid[role] & ~too_long[role],
                                  np.uint32(1 << names.index(_INVALID[role])), np.uint32(0))
        if per_value.any():
            bits |= coded.gather(per_value, 0)
    codes, combinations = pd.factorize(bits)
    text = [";".join(name for bit, name in enumerate(names) if combination >> bit & 1)
            for combination in combinations.tolist()]
    return Coded(codes, pd.Series(text, dtype="str"))


def _full_names(full: pd.Series, last: pd.Series, first: pd.Series) -> pd.Series:
    """``full``, else ``last first`` where both are present (vectorised in Arrow)."""
    full, last, first = (pa.array(part, from_pandas=True).cast(pa.large_string())
                         for part in (full, last, first))
    joined = pc.binary_join_element_wise(last, first, pa.scalar(" ", pa.large_string()))
    return pd.Series(pc.coalesce(full, joined), dtype="str", index=None)


def _encode_columns(frame: pd.DataFrame, mapping: ColumnMapping, pool: ThreadPoolExecutor
                    ) -> tuple[list[np.ndarray], dict[str, Coded]]:
    """Every column's raw codes (for duplicates), and each mapped role's text."""
    columns = list(frame.columns.drop("row"))
    roles = {column: [role for role, mapped in mapping.roles.items() if mapped == column]
             for column in columns}

    def codes_of(column: str) -> tuple[np.ndarray, Coded | None]:
        if roles[column]:
            return encode(frame[column])
        return raw_codes(frame[column]), None

    keys, cells = [], {}
    for column, (key, text) in zip(columns, pool.map(codes_of, columns), strict=True):
        keys.append(key)
        cells.update(dict.fromkeys(roles[column], text))
    return keys, cells


def _normalise(frame: pd.DataFrame, mapping: ColumnMapping, *, categorical: bool,
               consume: bool = False) -> tuple[pd.DataFrame, pd.Series]:
    """The records of ``frame`` (see :func:`prepare_records`), its empty ones marked.

    With ``categorical``, the low-cardinality columns are pandas Categorical;
    with ``consume``, the text columns are dropped from ``frame`` once encoded.
    Columns are encoded, roles normalised and output columns gathered on two
    threads: Arrow's and numpy's kernels release the GIL, so libphonenumber's
    Python can run beside them.
    """
    with ThreadPoolExecutor(max_workers=_THREADS) as pool:
        keys, cells = _encode_columns(frame, mapping, pool)
        if consume:  # the text as read is no longer needed: the codes say it all
            for column in frame.columns.drop("row"):
                del frame[column]
        # Marking duplicates needs only the codes: it runs beside the string work.
        marking = pool.submit(duplicated, keys, len(frame))
        del keys
        empty = np.ones(len(frame), dtype=bool)
        for text in cells.values():
            empty &= text.codes < 0
        # A slice when no record is empty: the codes are then used, not copied.
        kept = np.flatnonzero(~empty) if empty.any() else slice(None)
        index = frame.index[kept]
        # Roles in mapping order: the order of the TOO_LONG flags.
        roles = _Roles.normalised(
            {role: cells[role].take(kept) for role in mapping.roles if role in cells},
            len(index), pool)
        del cells
        builds = _column_builds(roles, frame["row"].to_numpy()[kept],
                                marking.result()[kept], index, categorical=categorical)
        columns = dict(zip(builds, pool.map(lambda build: build(), builds.values()), strict=True))
    return pd.DataFrame(columns, index=index, copy=False), pd.Series(empty, index=frame.index)


@dataclass(frozen=True)
class _Roles:
    """Each mapped role of the kept records: as read, and normalised.

    Attributes
    ----------
    raw : dict of str to Coded
        Each role's cells, over-long values included, in mapping order.
    too_long : dict of str to ndarray of bool
        One per distinct value of the role: longer than :data:`MAX_CELL_CHARS`.
    text : dict of str to Coded
        ``raw`` without the over-long values: what the normalisers read.
    done : dict of str to Coded
        The normalisers' results (phone, email, birth, last, appointment,
        first, full, age, nir).
    n_records : int
    """

    raw: dict[str, Coded]
    too_long: dict[str, np.ndarray]
    text: dict[str, Coded]
    done: dict[str, Coded]
    n_records: int

    @classmethod
    def normalised(cls, raw: dict[str, Coded], n_records: int, pool: ThreadPoolExecutor
                   ) -> _Roles:
        """Run every normaliser on ``pool``, the longest first (phones: libphonenumber)."""
        too_long = {role: (c.values.str.len() > MAX_CELL_CHARS).to_numpy(dtype=bool)
                    for role, c in raw.items()}
        text = {role: c.without(too_long[role]) for role, c in raw.items()}
        roles = cls(raw, too_long, text, {}, n_records)
        jobs = {name: pool.submit(roles.get(role).map, func) for name, role, func in (
            ("phone", "phone", clean_phones), ("email", "email", clean_emails),
            ("birth", "birth_date", parse_dates), ("last", "last_name", normalize_name),
            ("appointment", "appointment_at", parse_dates),
            ("first", "first_name", normalize_name), ("full", "full_name", normalize_name),
            ("age", "age", _age), ("nir", "nir", nir_is_valid))}
        roles.done.update({name: job.result() for name, job in jobs.items()})
        return roles

    def get(self, role: str) -> Coded:
        """The role's text; no value for any record when the role is not mapped."""
        if role in self.text:
            return self.text[role]
        return Coded(np.full(self.n_records, -1, dtype=np.int32), pd.Series([], dtype="str"))

    def invalid(self) -> dict[str, np.ndarray]:
        """One bool per distinct value of each role with an invalid flag: present but unusable."""
        done = self.done
        return {role: np.asarray(values, dtype=bool) for role, values in (
            ("email", done["email"].values["email_invalid"]),
            ("phone", done["phone"].values["phone_invalid"]),
            ("birth_date", done["birth"].values["invalid"]),
            ("appointment_at", done["appointment"].values["invalid"]),
            ("age", done["age"].values.isna()), ("nir", ~done["nir"].values))}


def _column_builds(roles: _Roles, row: np.ndarray, duplicate: np.ndarray, index: pd.Index, *,
                   categorical: bool) -> dict[str, Callable[[], pd.Series]]:
    """How to build each column of the records, in their order: each is a gather by code.

    Returned as functions, so that the caller builds them two at a time.
    """
    done, get = roles.done, roles.get
    last, first, full = done["last"], done["first"], done["full"]
    email, phone = done["email"], done["phone"]

    def column(coded: Coded, name: str) -> pd.Series:
        if categorical and (name in _CATEGORICAL
                            or name in _CATEGORICAL_WHEN_EMPTY and len(coded.values) == 0):
            return coded.categorical(index)
        return coded.per_record(index)

    return {
        "row": lambda: pd.Series(row.astype("int64", copy=False), index=index),
        "last_name": lambda: column(last, "last_name"),
        "first_name": lambda: column(first, "first_name"),
        "name": lambda: _full_names(full.per_record(index), last.per_record(index),
                                    first.per_record(index)).set_axis(index),
        "given": lambda: column(first.fillna(full), "given"),
        "email": lambda: column(email.field("email"), "email"),
        "phone": lambda: column(phone.field("phone"), "phone"),
        "phone_mobile": lambda: phone.field("phone_mobile").per_record(index),
        "birth_date": lambda: done["birth"].field("value").per_record(index),
        "age": lambda: done["age"].per_record(index),
        "sex": lambda: column(get("sex").map(_sex), "sex"),
        "postal_code": lambda: column(get("postal_code").map(_postal_code), "postal_code"),
        "city": lambda: column(get("city").map(fold_series), "city"),
        "address": lambda: column(get("address"), "address"),
        "nir": lambda: column(get("nir").where(done["nir"].values), "nir"),
        "patient_ref": lambda: column(get("patient_ref"), "patient_ref"),
        "practitioner": lambda: column(get("practitioner").map(fold_series), "practitioner"),
        "appointment_at": lambda: done["appointment"].field("value").per_record(index),
        "specialty_label": lambda: column(get("specialty"), "specialty_label"),
        "has_reason_text": lambda: pd.Series(roles.raw.get("reason", get("reason")).present(),
                                             index=index),
        "display_last": lambda: column(get("last_name"), "display_last"),
        "display_first": lambda: column(get("first_name").fillna(get("full_name")),
                                        "display_first"),
        "duplicate": lambda: pd.Series(duplicate, index=index),
        "field_flags": lambda: column(_field_flags(roles.raw, roles.too_long, roles.invalid(),
                                                   len(index)), "field_flags"),
    }


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


def prepare_all(frame: pd.DataFrame, mapping: ColumnMapping, *, consume: bool = False
                ) -> tuple[pd.DataFrame, pd.Series]:
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
    consume : bool, default=False
        Drop the text columns from ``frame`` (in place, leaving ``row``) as
        soon as they are encoded, before the string work: the text as read is
        the largest thing in memory, and goes then when nothing else holds it.

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
    return _normalise(frame, mapping, categorical=True, consume=consume)
