"""How easily can the person behind a record be identified (ENISA "EI")?

ENISA Annex 2 scores each identifier: 0.25 negligible, 0.5 limited,
0.75 significant, 1 maximum, and says a combination of identifiers
"automatically increases" the level. The defaults (DESIGN.md section 5):

==============================================  =====  ===================
what the record holds                           ei     reason
==============================================  =====  ===================
NIR (social security number)                    1      ``EI_NIR``
full name and e-mail                            1      ``EI_NAME_EMAIL``
full name and phone                             1      ``EI_NAME_PHONE``
full name and birth date                        1      ``EI_NAME_BIRTHDATE``
full name and postal address                    1      ``EI_NAME_ADDRESS``
an e-mail that contains the patient's name      1      ``EI_EMAIL_NAMED``
two of e-mail, phone, address (no name)         1      ``EI_COMBINED``
full name alone                                 0.75   ``EI_NAME``
e-mail alone                                    0.75   ``EI_EMAIL``
phone alone                                     0.75   ``EI_PHONE``
postal address alone                            0.75   ``EI_ADDRESS``
no direct identifier, qi_risk >= 0.5            0.75   ``EI_QI_HIGH``
no direct identifier, qi_risk >= 0.1            0.5    ``EI_QI_MEDIUM``
no direct identifier, qi_risk < 0.1             0.25   ``EI_QI_LOW``
==============================================  =====  ===================

``qi_risk`` is the re-identification probability from quasi-identifiers
(sex, birth year, age, postal code, city, practitioner, appointment day), as
sdcMicro computes it (:mod:`exposure.quasi`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from .normalize import on_unique_rows

__all__ = ["EI_LEVELS", "identifiability", "email_contains_name"]

EI_LEVELS = (0.25, 0.5, 0.75, 1.0)
_MIN_NAME_IN_EMAIL = 3


# "marie.dupont@", "jean-pierre_martin@": two alphabetic words, the way
# addresses built from a first and a last name look.
_NAME_SHAPED = r"^[a-z]{2,}(?:-[a-z]{2,})?[._-][a-z]{2,}(?:-[a-z]{2,})?$"


def email_contains_name(email: pd.Series, last_name: pd.Series) -> pd.Series:
    """True where the e-mail reveals the person's name.

    With a last name: the e-mail's local part contains it ("mdupont75@orange.fr"
    reveals Dupont; "loulou1987@hotmail.fr" nobody). Names shorter than three
    letters are not looked for: "Ng" would match by chance. Without a last
    name (a file with no name column), a local part shaped like
    "first.last" is taken to reveal a name. Evaluated on distinct (e-mail,
    name) pairs with numpy's vectorised string search.

    Examples
    --------
    >>> email_contains_name(pd.Series(["mdupont75@orange.fr", "loulou@free.fr", None,
    ...                                "marie.dupont@free.fr"]),
    ...                     pd.Series(["dupont", "dupont", "dupont", None])).tolist()
    [True, False, False, True]
    """
    result = pd.Series(False, index=email.index)
    nameless = email.notna() & last_name.isna()
    if nameless.any():
        local = email[nameless].astype("str").str.replace(r"@.*", "", regex=True)
        result[nameless] = local.str.match(_NAME_SHAPED).to_numpy(dtype=bool)
    both = email.notna() & last_name.notna()
    if not both.any():
        return result
    pairs = pd.DataFrame({"email": email[both].astype("str"),
                          "name": last_name[both].astype("str").str.replace(" ", "", regex=False)})

    def contains(unique: pd.DataFrame) -> pd.Series:
        local = unique["email"].str.replace(r"@.*|[._\-+]", "", regex=True)
        dtype = np.dtypes.StringDType()
        found = np.strings.find(local.to_numpy(dtype=dtype),
                                unique["name"].to_numpy(dtype=dtype)) >= 0
        return pd.Series(found & (unique["name"].str.len().to_numpy() >= _MIN_NAME_IN_EMAIL))

    result[both] = on_unique_rows(pairs, contains).to_numpy(dtype=bool)
    return result


def identifiability(*, has_name: pd.Series, email: pd.Series, email_named: pd.Series,
                    phone: pd.Series, birth_date: pd.Series, nir: pd.Series,
                    risk: pd.Series, address: pd.Series | None = None) -> pd.DataFrame:
    """Per-record ``ei`` and the reason that set it.

    Parameters
    ----------
    has_name : Series of bool
        A full name (last and first name, or a full-name column) is present.
    email, phone, birth_date, nir, address : Series of bool
        A valid value of that identifier is present (``address`` may be None).
    email_named : Series of bool
        The e-mail reveals the name (:func:`email_contains_name`).
    risk : Series of float
        ``qi_risk`` of the record.

    Returns
    -------
    DataFrame with ``ei`` (float) and ``ei_reason`` (str).

    Examples
    --------
    >>> t, f = pd.Series([True, False]), pd.Series([False, False])
    >>> identifiability(has_name=t, email=t, email_named=f, phone=f, birth_date=f, nir=f,
    ...                 risk=pd.Series([1.0, 0.05]))
         ei      ei_reason
    0  1.00  EI_NAME_EMAIL
    1  0.25      EI_QI_LOW
    """
    address = address if address is not None else pd.Series(False, index=has_name.index)
    contacts = email.astype(int) + phone.astype(int) + address.astype(int)
    conditions = [
        nir,
        has_name & email,
        has_name & phone,
        has_name & birth_date,
        has_name & address,
        email & email_named,
        contacts >= 2,
        has_name,
        email,
        phone,
        address,
        risk >= 0.5,
        risk >= 0.1,
    ]
    levels = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.75, 0.75, 0.75, 0.75, 0.75, 0.5,
                       0.25])
    reasons = pa.array(["EI_NIR", "EI_NAME_EMAIL", "EI_NAME_PHONE", "EI_NAME_BIRTHDATE",
                        "EI_NAME_ADDRESS", "EI_EMAIL_NAMED", "EI_COMBINED", "EI_NAME", "EI_EMAIL",
                        "EI_PHONE", "EI_ADDRESS", "EI_QI_HIGH", "EI_QI_MEDIUM", "EI_QI_LOW"],
                       type=pa.large_string())
    as_bool = [np.asarray(c, dtype=bool) for c in conditions]
    # The first condition that holds, by position (the last, EI_QI_LOW, when none does):
    # the texts are then gathered in Arrow, with no Python string per record.
    rule = np.select(as_bool, np.arange(len(as_bool), dtype=np.int8), default=len(as_bool))
    return pd.DataFrame({
        "ei": levels[rule],
        "ei_reason": pd.Series(reasons.take(rule), dtype="str", index=has_name.index),
    }, index=has_name.index)
