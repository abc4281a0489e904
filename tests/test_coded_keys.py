"""Shortcuts of the enrich stage at ten million records equal the plain computations.

Sorting instead of hashing (``dense_ids``), codes of categorical columns used
as they are, and the specialty model run on texts folded once.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from exposure._key_rows import frequencies, key_rows, patterns
from exposure._keys import encode_column, encode_keys
from exposure._label_reader import _folded_predictor
from exposure._sort_ids import dense_ids, sorted_ids, sorted_runs
from exposure.model_store import load_normalizer
from exposure.normalize import fold_series
from exposure.quasi import _unweighted_risk
from exposure.reidentification import dataset_risk
from exposure.specialty import fill_from_practitioner, lookup_specialties

keys = arrays(np.int64, st.integers(0, 200), elements=st.integers(-(2**40), 2**40))
small_keys = arrays(np.int64, st.integers(1, 200), elements=st.integers(0, 5))


@settings(max_examples=200, deadline=None)
@given(key=st.one_of(keys, small_keys))
def test_dense_ids_number_values_by_first_appearance_as_factorize_does(key):
    ids, firsts = dense_ids(key)
    assert ids.tolist() == pd.factorize(key)[0].tolist()
    assert firsts.tolist() == pd.Series(key).drop_duplicates().index.tolist()


@settings(max_examples=200, deadline=None)
@given(key=st.one_of(keys, small_keys))
def test_sorted_ids_group_as_factorize_and_number_in_key_order(key):
    ids, n_distinct = sorted_ids(key)
    assert n_distinct == len(np.unique(key))
    assert pd.factorize(ids)[0].tolist() == pd.factorize(key)[0].tolist()
    assert ids.tolist() == np.searchsorted(np.unique(key), key).tolist()


@settings(max_examples=200, deadline=None)
@given(key=st.one_of(keys, small_keys))
def test_one_sort_of_packed_positions_is_a_stable_argsort(key):
    runs = sorted_runs(key)
    if len(key) == 0:
        assert runs is None
        return
    position, starts = runs
    assert position.tolist() == np.argsort(key, kind="stable").tolist()
    ordered = np.sort(key)
    assert starts.tolist() == [True, *(ordered[1:] != ordered[:-1]).tolist()]


def test_keys_too_wide_to_pack_are_hashed_instead():
    key = np.array([2**62, -(2**62), 2**62, 5], dtype=np.int64)
    assert sorted_runs(key) is None
    assert dense_ids(key)[0].tolist() == [0, 1, 0, 2]
    assert dense_ids(key)[1].tolist() == [0, 1, 3]
    assert sorted(sorted_ids(key)[0].tolist()) == [0, 0, 1, 2]


text = st.sampled_from(["a", "b", "c", None, "", "  ", "\x1c"])


@settings(max_examples=100, deadline=None)
@given(values=st.lists(text, min_size=1, max_size=40), unused=st.booleans())
def test_a_categorical_column_is_coded_as_its_text(values, unused):
    as_text = pd.Series(values, dtype="str")
    categories = sorted({v for v in values if v is not None} | ({"zz"} if unused else set()))
    as_category = as_text.astype(pd.CategoricalDtype(pd.Index(categories, dtype="str")))
    codes, card = encode_column(as_text)
    category_codes, category_card = encode_column(as_category)
    assert card == category_card
    assert ((codes < 0) == (category_codes < 0)).all()
    assert pd.factorize(codes)[0].tolist() == pd.factorize(category_codes)[0].tolist()


def test_blank_and_python_whitespace_text_is_missing():
    codes, _ = encode_column(pd.Series(["x", "", " \t", "\x1c", "\u3000", "y"], dtype="str"))
    assert (codes < 0).tolist() == [False, True, True, True, True, False]


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.tuples(text, text, st.sampled_from(["p", "q", None])), min_size=1,
                     max_size=50))
def test_frequencies_of_categorical_keys_are_those_of_text_keys(rows):
    frame = pd.DataFrame(rows, columns=["sex", "city", "practitioner"], dtype="str")
    coded = frame.astype({"sex": "category", "practitioner": "category"})
    plain, categorical = key_rows(frame, list(frame)), key_rows(coded, list(coded))
    assert plain.ids.tolist() == categorical.ids.tolist()
    assert plain.counts.tolist() == categorical.counts.tolist()
    for missing in ("wildcard", "category"):
        assert np.array_equal(frequencies(plain, None, missing)[0],
                              frequencies(categorical, None, missing)[0])


@given(rows=arrays(np.int64, st.tuples(st.integers(0, 20), st.integers(1, 10)),
                   elements=st.integers(-1, 3)))
def test_patterns_set_a_bit_per_observed_column(rows):
    expected = ((rows >= 0) * (1 << np.arange(rows.shape[1]))).sum(axis=1)
    assert patterns(rows).tolist() == expected.tolist()


def test_key_rows_are_the_distinct_rows_of_the_encoded_keys():
    frame = pd.DataFrame({"sex": ["F", "F", None, "M", "F"], "zip": ["1", "1", "2", "", "3"]})
    codes, _ = encode_keys(frame, ["sex", "zip"])
    keyed = key_rows(frame, ["sex", "zip"])
    assert np.array_equal(keyed.rows[keyed.ids], codes)
    assert keyed.ids.tolist() == [0, 0, 1, 2, 3]


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.tuples(text, st.sampled_from(["p", "q", "r", None])), min_size=1,
                     max_size=60))
def test_risk_summed_over_key_rows_is_fsum_over_records(rows):
    frame = pd.DataFrame(rows, columns=["sex", "practitioner"], dtype="str")
    keyed = key_rows(frame, list(frame))
    fk, _ = frequencies(keyed, None, "wildcard")
    per_record = pd.DataFrame({"fk": fk[keyed.ids], "risk": (1.0 / fk)[keyed.ids]})
    assert _unweighted_risk(fk, keyed.counts, len(frame)) == dataset_risk(per_record)


def test_risk_sums_with_far_apart_frequencies_are_exact():
    # One row matched by every record (all missing) next to many uniques.
    fk = np.array([1.0, 1.0, 3.0, 1e7])
    counts = np.array([1, 1, 3, 2])
    per_record = pd.DataFrame({"fk": np.repeat(fk, counts), "risk": np.repeat(1.0 / fk, counts)})
    assert _unweighted_risk(fk, counts, int(counts.sum())) == dataset_risk(per_record)


# --- the specialty model on folded texts -----------------------------------------------------

MODEL = load_normalizer()
LABELS = ["Psychiatre", "Dr Martin - psychiatre", "Psyhiatre", "GYNECO", "Toilettage canin",
          "Centre de dépistage - anonyme et gratuit", "Kiné", "œnologue", "ORL", "x", "  "]


@settings(max_examples=50, deadline=None)
@given(labels=st.lists(st.one_of(st.sampled_from(LABELS), st.text(max_size=25)), min_size=1,
                       max_size=20))
def test_folded_texts_get_the_probabilities_the_model_gives(labels):
    folded = [f for f in fold_series(pd.Series(labels, dtype="str")).dropna().tolist() if f]
    if not folded:
        return
    fast = _folded_predictor(MODEL)
    assert fast is not MODEL.predict_proba  # the shipped model takes the shortcut
    assert np.array_equal(fast(folded), MODEL.predict_proba(folded))


def test_a_model_that_is_not_the_shipped_kind_is_asked_as_it_is():
    class Other:
        def predict_proba(self, texts):
            return np.zeros((len(texts), 1))

    other = Other()
    assert _folded_predictor(other) == other.predict_proba


@pytest.mark.parametrize("unused", [False, True], ids=["all-used", "unused-category"])
def test_categorical_labels_are_read_as_their_text(unused):
    labels = pd.Series(LABELS + [None, "Psychiatre"], dtype="str")
    categories = sorted(set(LABELS) | ({"Garage"} if unused else set()))
    coded = labels.astype(pd.CategoricalDtype(pd.Index(categories, dtype="str")))
    assert lookup_specialties(coded).equals(lookup_specialties(labels))


def test_a_categorical_practitioner_column_fills_as_its_text():
    # "dr c" has no record with a known specialty: as text or categorical, none is given.
    labels = pd.Series(["Psychiatre", "", "Cardiologue", "", "Toilettage canin", ""], dtype="str")
    practitioner = pd.Series(["dr a", "dr a", "dr b", "dr b", "dr c", "dr c"], dtype="str")
    specialty = lookup_specialties(labels)
    as_text = fill_from_practitioner(specialty, practitioner)
    categories = pd.Index(["dr a", "dr b", "dr c", "dr z"], dtype="str")
    as_category = fill_from_practitioner(
        specialty, practitioner.astype(pd.CategoricalDtype(categories)))
    assert as_category.equals(as_text)
    assert as_text["specialty_code"].astype(str).tolist() == [
        "psychiatry", "psychiatry", "cardiology", "cardiology", "unknown", "unknown"]
