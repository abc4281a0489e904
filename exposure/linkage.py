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
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .normalize import row_groups

__all__ = ["link_patients", "shared_contacts"]


def _edges_for(key_columns: list[pd.Series]) -> tuple[np.ndarray, np.ndarray]:
    """Join each record to the first record with the same (complete) key."""
    present = np.ones(len(key_columns[0]), dtype=bool)
    for column in key_columns:
        present &= column.notna().to_numpy()
    positions = np.flatnonzero(present)
    if len(positions) == 0:
        return positions, positions
    group = row_groups(pd.DataFrame({i: c.iloc[positions].to_numpy()
                                     for i, c in enumerate(key_columns)}))
    first = np.full(group.max() + 1, len(positions), dtype=np.int64)
    np.minimum.at(first, group, np.arange(len(positions)))
    return positions, positions[first[group]]


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
    n = len(name)
    if n == 0:
        return pd.Series([], dtype="int64", index=name.index)
    sources, targets = [], []
    for key in ([patient_ref], [name, birth_date], [email, first_name], [phone, first_name]):
        a, b = _edges_for(key)
        sources.append(a)
        targets.append(b)
    src = np.concatenate(sources)
    dst = np.concatenate(targets)
    graph = coo_matrix((np.ones(len(src), dtype=np.int8), (src, dst)), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    first_seen = np.full(component.max() + 1, n, dtype=np.int64)
    np.minimum.at(first_seen, component, np.arange(n))
    order = np.argsort(first_seen, kind="stable")
    number = np.empty_like(order)
    number[order] = np.arange(1, len(order) + 1)
    return pd.Series(number[component], index=name.index, dtype="int64")


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
    shared = pd.Series(False, index=patient_id.index)
    for contact in (email, phone):
        present = contact.notna()
        if not present.any():
            continue
        patients = (pd.DataFrame({"contact": contact[present], "patient": patient_id[present]})
                    .groupby("contact", sort=False)["patient"].transform("nunique"))
        shared[present] |= patients.to_numpy() > 1
    return shared
