"""Per-patient reductions on integer codes agree with sorting and grouping in pandas."""

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from exposure._by_patient import (
    PatientRecords,
    any_record,
    first_record,
    input_rank,
    max_by,
    min_by,
    patient_codes,
    patient_positions,
    records_by_patient,
)
from exposure._distinct import coded_rank, sort_rank, sorted_codes, take_category, take_text

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


@given(st.lists(st.integers(0, 8)), st.lists(st.integers(0, 8), unique=True),
       st.sampled_from([1, 10**6]))
def test_patient_positions_is_get_indexer(values, ids, spread):
    # A run of ids is placed by subtraction, any other set through the index.
    for listed in (sorted(ids), list(range(3, 3 + len(ids)))):
        index = pd.Index(np.array(listed, dtype=np.int64) * spread)
        patient_id = pd.Series(np.array(values, dtype=np.int64) * spread)
        assert patient_positions(patient_id, index).tolist() == \
            index.get_indexer(patient_id).tolist()


@given(st.lists(st.tuples(st.integers(-1, 4), st.booleans())))
def test_first_record_in_frame_order_and_any_record_skip_unlisted_records(rows):
    codes = np.array([c for c, _ in rows], dtype=np.int64)
    mask = np.array([m for _, m in rows], dtype=bool)
    assert first_record(codes, 5, None, mask).tolist() == \
        first_record(codes, 5, np.arange(len(codes)), mask).tolist()
    expected = [bool(((codes == p) & mask).any()) for p in range(5)]
    assert any_record(codes, 5, mask).tolist() == expected


def test_min_by_and_max_by_give_nat_to_a_patient_without_a_date():
    when = np.array(["2020-05-01", "NaT", "NaT"], dtype="datetime64[us]")
    for extreme in (min_by, max_by):
        got = extreme(np.array([0, 1, 1]), 3, when)
        assert got[0] == when[0] and np.isnat(got[1:]).all()


@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 30)), min_size=1))
def test_patient_records_first_is_each_patients_first_record_in_the_frame(rows):
    frame = pd.DataFrame(rows, columns=["patient_id", "row"])
    grouped = PatientRecords.of(frame)
    first = frame.reset_index().drop_duplicates("patient_id").set_index("patient_id")["index"]
    assert grouped.first().tolist() == first.loc[grouped.ids].tolist()
    order, offsets = grouped.in_groups()
    assert order.tolist() == np.lexsort((input_rank(frame["row"]), grouped.codes)).tolist()


@given(st.lists(st.sampled_from(["b", "a", None, "c"])), st.booleans())
def test_sorted_codes_are_small_integers_of_the_same_ranks(values, categorical):
    series = pd.Series(values, dtype="category" if categorical else "str")
    codes, distinct = sorted_codes(series)
    assert codes.dtype == np.int8
    expected, expected_distinct = pd.factorize(series.astype("str"), sort=True)
    assert codes.tolist() == expected.tolist()
    assert distinct.tolist() == list(expected_distinct)
    assert coded_rank((codes, distinct)).tolist() == sort_rank(series.astype("str")).tolist()


@given(st.lists(_TEXT), st.randoms(use_true_random=False), st.data())
def test_take_text_of_a_categorical_is_take_text_of_its_values(values, rnd, data):
    text = pd.Series(values, dtype="str")
    positions = np.array(data.draw(st.lists(st.integers(-1, len(values) - 1))), dtype=np.int64)
    pd.testing.assert_series_equal(take_text(_as_category(text, rnd), positions),
                                   take_text(text, positions))
