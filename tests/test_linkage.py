"""Linking records into patients: a shared contact alone never merges people."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from exposure.linkage import link_patients, shared_contacts


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
    first, ref, email = (list(col) for col in zip(*rows))
    before = link(name=first, first=first, ref=ref, email=email)
    order = list(range(len(rows)))
    rnd.shuffle(order)
    after = link(name=[first[i] for i in order], first=[first[i] for i in order],
                 ref=[ref[i] for i in order], email=[email[i] for i in order])
    # Same partition: two records share a patient before iff they do after.
    same_before = np.equal.outer(np.array(before)[order], np.array(before)[order])
    same_after = np.equal.outer(np.array(after), np.array(after))
    assert (same_before == same_after).all()
