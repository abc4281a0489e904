"""distinct_rows and on_distinct_rows: the grouping of normalize.row_groups, on codes."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from exposure._distinct import distinct_rows, on_distinct_rows
from exposure.normalize import on_unique_rows, row_groups

_TEXT = st.one_of(st.sampled_from(["a", "b", "é", ""]), st.none())


def _frame(rows, categories):
    """Every kind of column distinct_rows reads in its own way."""
    frame = pd.DataFrame(rows, columns=["text", "flag", "small", "signed", "large", "real",
                                        "coded"])
    return frame.astype({"text": "str", "flag": bool, "small": "int8", "signed": "int64",
                         "large": "int64", "real": float,
                         "coded": pd.CategoricalDtype(categories)})


_rows = st.lists(st.tuples(
    _TEXT, st.booleans(), st.integers(-1, 5), st.integers(-3, 3),
    st.sampled_from([0, 10**12, -(10**12)]), st.sampled_from([1.5, 2.0, np.nan]),
    st.sampled_from(["x", "y", None])), max_size=40)
# Categories in any order, some unused: codes, not values, are what is folded.
_categories = st.permutations(["z", "y", "x", "unused"])


@settings(max_examples=150, deadline=None)
@given(_rows, _categories)
def test_distinct_rows_groups_as_row_groups_and_finds_each_first_row(rows, categories):
    frame = _frame(rows, categories)
    group, first = distinct_rows(frame)
    expected = row_groups(frame)
    assert group.tolist() == expected.tolist()
    assert first.tolist() == [expected.tolist().index(g) for g in range(len(first))]


@settings(max_examples=100, deadline=None)
@given(_rows, _categories)
def test_on_distinct_rows_gives_on_unique_rows_result(rows, categories):
    frame = _frame(rows, categories)

    def label(distinct):
        return (distinct["text"].fillna("-") + distinct["flag"].astype(str)
                + distinct["signed"].astype(str) + distinct["coded"].astype(str))

    got, expected = on_distinct_rows(frame, label), on_unique_rows(frame, label)
    pd.testing.assert_series_equal(got, expected)


def test_columns_outside_by_are_read_from_each_groups_first_row():
    frame = pd.DataFrame({"severity": [2.0, 2.0, 3.5], "dpc": [2, 2, 3]})
    seen = []

    def label(distinct):
        seen.append(distinct["severity"].tolist())
        return distinct["severity"].astype(str)

    result = on_distinct_rows(frame, label, by=["dpc"])
    assert seen == [[2.0, 3.5]] and result.tolist() == ["2.0", "2.0", "3.5"]


def test_distinct_rows_renumbers_before_the_key_overflows():
    # 70 boolean columns: 2**70 combinations fit no int64 key.
    flags = np.zeros((3, 70), dtype=bool)
    flags[1, 0] = True
    flags[2, 1:] = np.random.default_rng(0).random(69) < 0.5
    group, first = distinct_rows(pd.DataFrame(flags))
    assert group.tolist() == [0, 1, 2] and first.tolist() == [0, 1, 2]


def test_distinct_rows_of_no_rows():
    group, first = distinct_rows(pd.DataFrame({"a": pd.Series([], dtype="str")}))
    assert group.tolist() == [] and first.tolist() == []
