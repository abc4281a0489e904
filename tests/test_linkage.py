"""Linking records into patients: a shared contact alone never merges people."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from exposure.linkage import link_patients, link_records, shared_contacts


def link(**columns):
    n = len(next(iter(columns.values())))
    blank = pd.Series([None] * n, dtype=object)
    get = lambda key: pd.Series(columns[key], dtype=object) if key in columns else blank  # noqa: E731
    return link_patients(patient_ref=get("ref"), name=get("name"), first_name=get("first"),
                         birth_date=get("birth"), email=get("email"),
                         phone=get("phone")).tolist()


def test_a_family_sharing_one_email_and_phone_is_three_patients():
    assert link(name=["dupont marie", "dupont leo", "dupont lina", "dupont marie"],
                first=["marie", "leo", "lina", "marie"],
                email=["m@x.fr"] * 4, phone=["+33612345678"] * 4) == [1, 2, 3, 1]


def test_same_contact_and_same_first_name_is_one_patient_even_if_last_name_varies():
    assert link(name=["dupont marie", "dupond marie"], first=["marie", "marie"],
                email=["m@x.fr", "m@x.fr"]) == [1, 1]


def test_same_name_without_shared_key_stays_apart():
    # Two "Marie Martin" with different contacts and no birth date: two people.
    assert link(name=["martin marie", "martin marie"], first=["marie", "marie"],
                email=["a@x.fr", "b@x.fr"]) == [1, 2]


def test_same_name_and_birth_date_is_one_patient():
    assert link(name=["martin marie", "martin marie"], first=["marie", "marie"],
                birth=["1980-01-02", "1980-01-02"], email=["a@x.fr", "b@x.fr"]) == [1, 1]


def test_patient_ref_links_whatever_the_rest():
    assert link(ref=["P1", "P2", "P1"], name=["a b", "c d", "e f"]) == [1, 2, 1]


def test_links_are_transitive_through_different_keys():
    # record 1-2 share the e-mail, 2-3 share the phone: all one patient.
    assert link(name=["x a", "x a", "x a"], first=["a", "a", "a"],
                email=["a@x.fr", "a@x.fr", None], phone=[None, "+331", "+331"]) == [1, 1, 1]


def test_records_with_no_identity_key_are_each_their_own_patient():
    assert link(name=[None, None, None]) == [1, 2, 3]


def test_patient_ids_follow_first_appearance():
    assert link(ref=["B", "A", "B", "C", "A"]) == [1, 2, 1, 3, 2]


def test_shared_contact_marks_every_patient_using_it():
    shared = shared_contacts(pd.Series([1, 2, 3, 3]),
                             pd.Series(["f@x.fr", "f@x.fr", "g@x.fr", "g@x.fr"]),
                             pd.Series([None, None, None, None], dtype=object))
    assert shared.tolist() == [True, True, False, False]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(["m", "n", None]),
                          st.sampled_from(["e1", "e2", None])), min_size=1, max_size=25),
       st.randoms(use_true_random=False))
def test_shuffling_records_gives_the_same_partition(rows, rnd):
    first, ref, email = (list(col) for col in zip(*rows, strict=True))
    before = link(name=first, first=first, ref=ref, email=email)
    order = list(range(len(rows)))
    rnd.shuffle(order)
    after = link(name=[first[i] for i in order], first=[first[i] for i in order],
                 ref=[ref[i] for i in order], email=[email[i] for i in order])
    # Same partition: two records share a patient before iff they do after.
    same_before = np.equal.outer(np.array(before)[order], np.array(before)[order])
    same_after = np.equal.outer(np.array(after), np.array(after))
    assert (same_before == same_after).all()


def _reference_link(ref, name, first, birth, email, phone):
    """The definition, record pair by record pair: a union-find over the identity keys."""
    n = len(name)
    parent = list(range(n))

    def root(i):
        while parent[i] != i:
            i = parent[i]
        return i

    keys = [(ref,), (name, birth), (email, first), (phone, first)]
    for i in range(n):
        for j in range(i):
            for key in keys:
                values = [(column[i], column[j]) for column in key]
                if all(x is not None and x == y for x, y in values):
                    parent[root(i)] = root(j)
    numbers = {}
    patient = [numbers.setdefault(root(i), len(numbers) + 1) for i in range(n)]
    shared = [any(contact[i] is not None and any(
        contact[j] == contact[i] and patient[j] != patient[i] for j in range(n))
        for contact in (email, phone)) for i in range(n)]
    return patient, shared


def _maybe(*values):
    return st.sampled_from([*values, None])


_COLUMNS = ("patient_ref", "name", "first_name", "birth_date", "email", "phone")
# Records of a few values each, so that keys collide: (ref, name, first, birth, email, phone).
_records = st.lists(st.tuples(
    _maybe("R1", "R2"), _maybe("dupont marie", "dupont leo", "martin marie"),
    _maybe("marie", "leo"), _maybe("1980-01-02", "2011-05-06"), _maybe("m@x.fr", "l@x.fr"),
    _maybe("+331", "+336")), max_size=30)


def _columns(rows):
    """The records' values, column by column, in the order of :data:`_COLUMNS`."""
    return [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in _COLUMNS]


@settings(max_examples=200, deadline=None)
@given(_records)
def test_link_records_matches_the_pairwise_definition(rows):
    columns = _columns(rows)
    series = {key: pd.Series(values, dtype=object)
              for key, values in zip(_COLUMNS, columns, strict=True)}
    linked = link_records(**series)
    patient, shared = _reference_link(*columns)
    assert linked["patient_id"].tolist() == patient
    assert linked["shared_contact"].tolist() == shared
    assert link_patients(**series).tolist() == patient
    shared_again = shared_contacts(linked["patient_id"], series["email"], series["phone"])
    assert shared_again.tolist() == shared


def test_arrow_strings_and_dates_link_like_python_objects():
    # The pipeline passes Arrow-backed text and datetime64 birth dates.
    columns = {"patient_ref": [None, None, None], "name": ["martin marie"] * 3,
               "first_name": ["marie"] * 3, "birth_date": ["1980-01-02", "1980-01-02", None],
               "email": [None, None, "a@x.fr"], "phone": ["+331", None, None]}
    as_objects = {k: pd.Series(v, dtype=object) for k, v in columns.items()}
    typed = {k: pd.Series(v, dtype="str") for k, v in columns.items()}
    typed["birth_date"] = pd.to_datetime(as_objects["birth_date"])
    assert link_records(**typed).equals(link_records(**as_objects))
    assert link_records(**typed)["patient_id"].tolist() == [1, 1, 2]


def test_no_records_link_to_empty_columns():
    empty = pd.Series([], dtype=object)
    linked = link_records(patient_ref=empty, name=empty, first_name=empty, birth_date=empty,
                          email=empty, phone=empty)
    assert linked.dtypes.tolist() == [np.dtype("int64"), np.dtype(bool)] and linked.empty


@settings(max_examples=100, deadline=None)
@given(_records)
def test_categorical_columns_link_as_their_text(rows):
    # Normalised columns may come categorical: their codes are used, not hashed again,
    # whatever categories they list beyond the values in use.
    text = {key: pd.Series(values, dtype="str")
            for key, values in zip(_COLUMNS, _columns(rows), strict=True)}
    coded = {key: values.astype(pd.CategoricalDtype(pd.Index(
        sorted({"unused", *values.dropna()}), dtype="str"))) for key, values in text.items()}
    assert link_records(**coded).equals(link_records(**text))
    assert link_patients(**coded).equals(link_patients(**text))


def test_components_are_numbered_by_first_record_whatever_the_edges():
    # Edges joining later records first: patient numbers still follow input order.
    from exposure.linkage import _components
    edges = [(np.array([4, 3]), np.array([1, 0]))]
    assert _components(5, edges).tolist() == [1, 2, 3, 1, 2]
