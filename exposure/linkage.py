"""Which records belong to the same person (DESIGN.md section 6).

A patient is a connected component of the graph whose nodes are records and
whose edges join records sharing an identity key:

- the same ``patient_ref`` (an internal patient id);
- the same full name and the same birth date;
- the same contact (e-mail or phone) **and** the same first name.

A contact alone never joins two records: a parent books for the children with
one e-mail and phone, and the children are other people, with their own
risks. Components are computed with ``scipy.sparse.csgraph`` (no Python loop
over records), and ``patient_id`` numbers them 1, 2, 3... by first appearance
in the input, so the numbering does not depend on anything but the input order.

Text is hashed once per column: each key column becomes integer codes (a
categorical column's own), a key of two columns is one integer (``codes_a *
n_b + codes_b``), and everything after that is integer work. Hashing the
e-mails, phones and names is most of the cost, so :func:`link_records` links
and flags shared contacts from the same codes.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

__all__ = ["link_patients", "link_records", "shared_contacts"]

_THREADS = 2


def _codes(values: pd.Series, where: np.ndarray | None = None) -> np.ndarray:
    """Dense codes of ``values`` (equal values, equal codes), -1 where missing.

    Only the rows in ``where`` are coded (the others get -1): a name is only
    a key with a birth date, so the names of records without one are skipped.
    A categorical column is coded already: its codes are used as they are.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy().astype(np.int64)
        return codes if where is None else np.where(where, codes, -1)
    if where is None:
        return pd.factorize(values, use_na_sentinel=True)[0].astype(np.int64, copy=False)
    codes = np.full(len(values), -1, dtype=np.int64)
    codes[where] = pd.factorize(values[where], use_na_sentinel=True)[0]
    return codes


def _first_rows(group: np.ndarray) -> np.ndarray:
    """Per group number ``0..group.max()``, the position of its first row (``len(group)`` if none).

    Examples
    --------
    >>> _first_rows(np.array([2, 0, 2, 0])).tolist()
    [1, 4, 0]
    """
    first = np.full(int(group.max(initial=-1)) + 1, len(group), dtype=np.int64)
    np.minimum.at(first, group, np.arange(len(group)))
    return first


def _edges(*key_codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Join each record to the first record with the same complete key (self-joins left out).

    ``key_codes`` are one or two columns of :func:`_codes`. For a pair (a, b),
    the records whose b is that of their a-group's first record form that
    first record's group; only the others (a family sharing an e-mail, namesakes
    born on different days), few, are hashed as pairs.
    """
    present = np.flatnonzero(np.logical_and.reduce([codes >= 0 for codes in key_codes]))
    a, *rest = (codes[present] for codes in key_codes)
    target = _first_rows(a)[a]
    if rest:
        b = rest[0]
        odd = np.flatnonzero(b != b[target])
        # a * n_b + b fits int64: codes are below n_records.
        pair = pd.factorize(a[odd] * (int(b.max(initial=0)) + 1) + b[odd])[0]
        target[odd] = odd[_first_rows(pair)][pair]
    joined = target != np.arange(len(present))
    return present[joined], present[target[joined]]


def _components(n_records: int, edges: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """1-based component of each record, numbered by first appearance."""
    source = np.concatenate([a for a, _ in edges])
    target = np.concatenate([b for _, b in edges])
    graph = coo_matrix((np.ones(len(source), dtype=np.int8), (source, target)),
                       shape=(n_records, n_records))
    _, component = connected_components(graph, directed=False)
    # Number the components by their first records, in input order. scipy's
    # labels already are (it labels from the lowest unlabelled record): a
    # label first appears just when the running maximum rises by one.
    if len(component) and not (np.diff(np.maximum.accumulate(component), prepend=-1) > 1).any():
        return component.astype(np.int64) + 1
    first = _first_rows(component)
    opens = np.zeros(n_records, dtype=bool)
    opens[first] = True
    return np.cumsum(opens)[first][component]


def _shared(patient: np.ndarray, contact_codes: list[np.ndarray]) -> np.ndarray:
    """True where the record's contact (any of ``contact_codes``) has several patients."""
    shared = np.zeros(len(patient), dtype=bool)
    for codes in contact_codes:
        present = np.flatnonzero(codes >= 0)
        contact, owner = codes[present], patient[present]
        # A contact is shared when one of its records is not its first record's patient.
        first_owner = owner[_first_rows(contact)]
        several = np.zeros(len(first_owner), dtype=bool)
        several[contact[owner != first_owner[contact]]] = True
        shared[present] |= several[contact]
    return shared


def _link(patient_ref: pd.Series, name: pd.Series, first_name: pd.Series,
          birth_date: pd.Series, email: pd.Series, phone: pd.Series
          ) -> tuple[np.ndarray, list[np.ndarray]]:
    """Each record's patient number, and the e-mail and phone codes, for :func:`_shared`."""
    born = _codes(birth_date)
    named = (born >= 0) & name.notna().to_numpy()
    # Hashing millions of e-mails, phones and names is most of the work, and
    # Arrow does it without the GIL: the columns are coded two at a time.
    with ThreadPoolExecutor(max_workers=_THREADS) as pool:
        jobs = [pool.submit(_codes, values) for values in (email, phone)]
        jobs += [pool.submit(_codes, name, named),
                 *(pool.submit(_codes, values) for values in (first_name, patient_ref))]
        email_codes, phone_codes, name_codes, given, ref = (job.result() for job in jobs)
    contacts = [email_codes, phone_codes]
    edges = [_edges(ref), _edges(name_codes, born),
             *(_edges(contact, given) for contact in contacts)]
    return _components(len(name), edges), contacts


def link_records(*, patient_ref: pd.Series, name: pd.Series, first_name: pd.Series,
                 birth_date: pd.Series, email: pd.Series, phone: pd.Series) -> pd.DataFrame:
    """:func:`link_patients` and :func:`shared_contacts` at once, hashing each column once.

    Parameters
    ----------
    patient_ref, name, first_name, birth_date, email, phone : Series of shape (n_records,)
        As for :func:`link_patients`.

    Returns
    -------
    DataFrame of shape (n_records, 2), indexed like ``name``
        ``patient_id`` (int64, as :func:`link_patients`) and ``shared_contact``
        (bool, as :func:`shared_contacts`).

    Examples
    --------
    >>> s = lambda *v: pd.Series(list(v), dtype=object)
    >>> link_records(patient_ref=s(None, None, None), name=s("dupont marie", "dupont leo",
    ...              "dupont marie"), first_name=s("marie", "leo", "marie"),
    ...              birth_date=s(None, None, None), email=s("m@x.fr", "m@x.fr", "m@x.fr"),
    ...              phone=s(None, None, None))
       patient_id  shared_contact
    0           1            True
    1           2            True
    2           1            True
    """
    patient, contacts = _link(patient_ref, name, first_name, birth_date, email, phone)
    return pd.DataFrame({"patient_id": patient, "shared_contact": _shared(patient, contacts)},
                        index=name.index)


def link_patients(*, patient_ref: pd.Series, name: pd.Series, first_name: pd.Series,
                  birth_date: pd.Series, email: pd.Series, phone: pd.Series) -> pd.Series:
    """Give every record a ``patient_id``.

    Parameters
    ----------
    patient_ref, name, first_name, birth_date, email, phone : Series of shape (n_records,)
        Normalised values (missing where absent or invalid). ``name`` is the
        folded full name, ``first_name`` the folded first name (or the full
        name when the file has no separate first name).

    Returns
    -------
    Series of int64, shape (n_records,)
        1-based patient numbers in order of first appearance.

    See Also
    --------
    link_records : the same numbers and the shared-contact flags, for the cost of one.

    Examples
    --------
    A mother and her son booked with one e-mail are two patients; the mother's
    two appointments are one:

    >>> s = lambda *v: pd.Series(list(v), dtype=object)
    >>> link_patients(patient_ref=s(None, None, None), name=s("dupont marie", "dupont leo",
    ...               "dupont marie"), first_name=s("marie", "leo", "marie"),
    ...               birth_date=s(None, None, None), email=s("m@x.fr", "m@x.fr", "m@x.fr"),
    ...               phone=s(None, None, None)).tolist()
    [1, 2, 1]
    """
    patient, _ = _link(patient_ref, name, first_name, birth_date, email, phone)
    return pd.Series(patient, index=name.index, dtype="int64")


def shared_contacts(patient_id: pd.Series, email: pd.Series, phone: pd.Series) -> pd.Series:
    """True for each record whose e-mail or phone is also used by another patient.

    A message sent to such a contact may be read by someone else: it must not
    name one person's specialty or appointments (DESIGN.md section 6).

    Examples
    --------
    >>> shared_contacts(pd.Series([1, 2, 3]), pd.Series(["a@x.fr", "a@x.fr", None]),
    ...                 pd.Series([None, None, "+33612345678"])).tolist()
    [True, True, False]
    """
    patient = pd.factorize(patient_id)[0]
    return pd.Series(_shared(patient, [_codes(email), _codes(phone)]), index=patient_id.index)
