"""Per-patient reductions on integer codes agree with sorting and grouping in pandas."""

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from exposure._by_patient import (
    first_record,
    input_rank,
    max_by,
    min_by,
    patient_codes,
    records_by_patient,
    sort_rank,
    take_category,
    take_text,
)

_TEXT = st.one_of(st.none(), st.sampled_from(["", "a", "B", "b", "é", "e\u0301", "z", "Zorg"]),
                  st.text(max_size=3))


@given(st.lists(_TEXT), st.booleans())
def test_sort_rank_orders_like_sort_values(values, descending):
    series = pd.Series(values, dtype="str")
    frame = pd.DataFrame({"v": series, "position": range(len(series))})
    expected = frame.sort_values(["v", "position"], ascending=[not descending, True],
                                 kind="stable")["position"].tolist()
    rank = sort_rank(series, descending=descending)
    assert np.lexsort((np.arange(len(series)), rank)).tolist() == expected


@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 9), _TEXT), min_size=1))
def test_first_record_is_drop_duplicates_in_row_order(rows):
    frame = pd.DataFrame(rows, columns=["patient_id", "row", "value"]).astype({"value": "str"})
    ids, codes = patient_codes(frame["patient_id"])
    present = frame["value"].notna().to_numpy()
    first = first_record(codes, len(ids), input_rank(frame["row"]), present)
    expected = (frame[present].sort_values("row", kind="stable")
                .drop_duplicates("patient_id").set_index("patient_id")["value"]
                .reindex(ids))
    got = take_text(frame["value"], first, ids)
    pd.testing.assert_series_equal(got, expected.astype("str"), check_names=False)


@given(st.lists(st.integers(-3, 40), min_size=1), st.sampled_from([1, 10**6]))
def test_patient_codes_number_ids_as_a_sorted_factorize(ids, spread):
    # Compact ids take the bitmap, spread ones (a Dask partition's) the hash table.
    patient_id = pd.Series(np.array(ids, dtype=np.int64) * spread)
    got_ids, got_codes = patient_codes(patient_id)
    codes, distinct = pd.factorize(patient_id, sort=True)
    assert got_ids.tolist() == distinct.tolist() and got_ids.dtype == np.int64
    assert got_codes.tolist() == codes.tolist()


_MAYBE_FLOAT = st.one_of(st.none(), st.sampled_from([-1.5, 0.0, 0.25, 7.0]))


@given(st.lists(st.tuples(st.integers(0, 4), _MAYBE_FLOAT, st.integers(-5, 5),
                          st.sampled_from(["2020-01-01", "2021-06-30", None])), min_size=1))
def test_max_by_and_min_by_agree_with_groupby(rows):
    frame = pd.DataFrame(rows, columns=["code", "float", "int", "when"]).astype(
        {"float": float})
    frame["when"] = pd.to_datetime(frame["when"])
    codes, n = frame["code"].to_numpy(), 5
    grouped = frame.groupby("code")
    for column in ("float", "int", "when"):
        values = frame[column].to_numpy()
        for ours, theirs in ((max_by, grouped[column].max()), (min_by, grouped[column].min())):
            got = pd.Series(ours(codes, n, values))[theirs.index]
            # Patients without a value: NaN for floats; integers always have one;
            # datetimes are compared where pandas has a value.
            known = theirs.notna().to_numpy()
            assert got[known].tolist() == theirs[known].tolist()
            if column == "float":
                assert got[~known].isna().all()


@given(st.lists(_TEXT), st.data())
def test_take_category_holds_the_values_take_text_gives(values, data):
    series = pd.Series(values, dtype="str")
    positions = np.array(data.draw(st.lists(st.integers(-1, len(values) - 1))), dtype=np.int64)
    taken = take_category(series, positions)
    assert isinstance(taken.dtype, pd.CategoricalDtype)
    pd.testing.assert_series_equal(taken.astype("str"), take_text(series, positions))


@given(st.lists(st.integers(0, 5)), st.randoms(use_true_random=False))
def test_records_by_patient_is_lexsort_by_patient_then_rank(codes, rnd):
    codes = np.array(codes, dtype=np.int64)
    rank = np.arange(len(codes))
    rnd.shuffle(rank)
    order, offsets = records_by_patient(codes, 6, rank)
    assert order.tolist() == np.lexsort((rank, codes)).tolist()
    assert np.diff(offsets).tolist() == np.bincount(codes, minlength=6).tolist()


def _as_category(series, rnd):
    """``series`` as a Categorical whose categories are shuffled and include unused ones."""
    categories = [*series.dropna().unique().tolist(), "unused", "zzz-unused"]
    rnd.shuffle(categories)
    return series.astype(pd.CategoricalDtype(pd.Index(categories, dtype="str")))


@given(st.lists(st.sampled_from(["b", "a", "é", "", None])), st.booleans(),
       st.randoms(use_true_random=False), st.data())
def test_categorical_values_rank_and_take_as_their_text(values, descending, rnd, data):
    text = pd.Series(values, dtype="str")
    coded = _as_category(text, rnd)
    assert sort_rank(coded, descending=descending).tolist() == \
        sort_rank(text, descending=descending).tolist()
    positions = np.array(data.draw(st.lists(st.integers(-1, len(values) - 1))), dtype=np.int64)
    taken = take_category(coded, positions)
    pd.testing.assert_series_equal(taken.astype("str"), take_text(text, positions))
    assert taken.cat.categories.tolist() == sorted(text.dropna().unique().tolist())
