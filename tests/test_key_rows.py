"""Key rows and wildcard frequencies equal the general helpers of _keys, bit for bit."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from exposure._key_rows import frequencies, key_rows, projection, wildcard_sums
from exposure._keys import distinct_rows, encode_keys, key_frequencies, wildcard_reduce

value = st.sampled_from(["a", "b", "c", None, ""])
frames = st.integers(1, 4).flatmap(lambda n_keys: st.lists(
    st.tuples(*[value] * n_keys), min_size=1, max_size=60).map(
    lambda rows: pd.DataFrame(rows, columns=[f"k{j}" for j in range(n_keys)], dtype="str")))


@settings(max_examples=200, deadline=None)
@given(frame=frames, seed=st.integers(0, 2**16))
def test_wildcard_sums_are_wildcard_reduce_to_the_last_bit(frame, seed):
    codes, cards = encode_keys(frame, list(frame))
    _, rows, counts = distinct_rows(codes, cards)
    weights = np.random.default_rng(seed).uniform(1, 50, size=len(rows))
    values = np.column_stack([counts.astype(np.float64), weights])
    expected = wildcard_reduce(rows, cards, values, "sum")
    assert np.array_equal(wildcard_sums(rows, cards, values), expected)


@settings(max_examples=200, deadline=None)
@given(frame=frames, weighted=st.booleans(), missing=st.sampled_from(["wildcard", "category"]),
       seed=st.integers(0, 2**16))
def test_row_frequencies_are_the_records_frequencies(frame, weighted, missing, seed):
    weights = (np.random.default_rng(seed).uniform(1, 50, size=len(frame)) if weighted
               else None)
    codes, cards = encode_keys(frame, list(frame))
    fk, fw = key_frequencies(codes, cards, weights, missing)
    keyed = key_rows(frame, list(frame))
    row_fk, row_fw = frequencies(keyed, weights, missing)
    assert np.array_equal(row_fk[keyed.ids], fk)
    assert np.array_equal(row_fw[keyed.ids], fw)


@settings(max_examples=100, deadline=None)
@given(rows=arrays(np.int64, st.tuples(st.integers(1, 30), st.just(3)),
                   elements=st.integers(-1, 3)))
def test_a_projection_from_a_base_groups_rows_as_one_made_whole(rows):
    cards = np.array([4, 4, 4])
    whole, _ = projection(rows, cards, [0, 1, 2])
    base = projection(rows, cards, [1])
    from_base, _ = projection(rows, cards, [0, 1, 2], base=base, base_cols=[1])
    assert np.array_equal(pd.factorize(whole)[0], pd.factorize(from_base)[0])


@settings(max_examples=200, deadline=None)
@given(rows=arrays(np.int64, st.tuples(st.integers(1, 40), st.integers(1, 3)),
                   elements=st.integers(-1, 2)),
       always=arrays(np.int64, 40, elements=st.integers(0, 3)), seed=st.integers(0, 2**16))
def test_rows_alone_on_the_always_observed_columns_keep_their_value_to_the_last_bit(
        rows, always, seed):
    # A practitioner and a day on every record: a row alone on them matches only itself.
    rows = np.column_stack([always[:len(rows)], rows])
    _, first = np.unique(rows, axis=0, return_index=True)
    rows = rows[np.sort(first)]  # distinct rows, in order of first appearance
    cards = np.array([4, 3, 3, 3])[:rows.shape[1]]
    weights = np.random.default_rng(seed).uniform(1, 50, size=len(rows))
    values = np.column_stack([np.ones(len(rows)), weights])
    expected = wildcard_reduce(rows, cards, values, "sum")
    assert np.array_equal(wildcard_sums(rows, cards, values), expected)
