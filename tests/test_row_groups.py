"""row_groups and on_unique_rows: grouping rows by value, numbered by first appearance."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from exposure.normalize import on_unique_rows, row_groups


def _reference_groups(frame):
    """The definition: number the distinct row tuples by first appearance (None == None)."""
    numbers = {}
    rows = zip(*(frame[c].astype(object).where(frame[c].notna(), None) for c in frame.columns))
    return [numbers.setdefault(row, len(numbers)) for row in rows]


_cells = st.one_of(st.sampled_from(["a", "b", "é", ""]), st.none())


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_cells, st.booleans(), st.sampled_from([1.5, 2.0, np.nan]), _cells),
                max_size=40))
def test_row_groups_numbers_distinct_rows_by_first_appearance(rows):
    frame = pd.DataFrame(rows, columns=["text", "flag", "number", "more"]).astype(
        {"text": "str", "flag": bool, "more": object})
    assert row_groups(frame).tolist() == _reference_groups(frame)


def test_row_groups_renumbers_before_the_key_overflows():
    # 70 boolean columns: 2**70 combinations do not fit one int64 key, and a
    # key that wrapped around would lose the first column.
    flags = np.zeros((3, 70), dtype=bool)
    flags[1, 0] = True
    flags[2, 1:] = np.random.default_rng(0).random(69) < 0.5
    assert row_groups(pd.DataFrame(flags)).tolist() == [0, 1, 2]


def test_on_unique_rows_calls_func_once_per_distinct_row_in_first_appearance_order():
    seen = []

    def label(distinct):
        seen.append(distinct["a"].tolist())
        return distinct["a"] + distinct["b"].astype(str)

    frame = pd.DataFrame({"a": ["y", "x", "y", "x"], "b": [1, 2, 1, 2]}, index=[10, 11, 12, 13])
    result = on_unique_rows(frame, label)
    assert seen == [["y", "x"]]
    assert result.tolist() == ["y1", "x2", "y1", "x2"]
    assert result.index.tolist() == [10, 11, 12, 13]


def test_on_unique_rows_on_no_rows():
    frame = pd.DataFrame({"a": pd.Series([], dtype="str")})
    assert on_unique_rows(frame, lambda d: d["a"]).tolist() == []


def test_on_unique_rows_hands_categorical_columns_to_func_as_values():
    frame = pd.DataFrame({"code": pd.Categorical(["b", "a", "b"]), "n": [1, 2, 1]})
    result = on_unique_rows(frame, lambda d: "X_" + d["code"].str.upper())
    assert result.tolist() == ["X_B", "X_A", "X_B"]
