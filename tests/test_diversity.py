"""Homogeneity (distinct l-diversity) of a sensitive value inside quasi-identifier groups."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exposure.diversity import homogeneity
from exposure.errors import ParameterError

KEYS = ["age", "sex", "zip3", "dept"]


def test_group_with_a_single_sensitive_value_is_flagged(worked_example):
    result = homogeneity(worked_example, KEYS, "diag")
    # Records 4 and 5 share their keys and both have I10: not unique, yet revealed.
    assert result.loc[[4, 5], "l_distinct"].tolist() == [1, 1]
    assert result.loc[[4, 5], "homogeneous"].all()
    # Records 1 and 2 (I10, E11) and 6 and 7 (L40, L20) are not.
    assert result.loc[[1, 2, 6, 7], "l_distinct"].tolist() == [2, 2, 2, 2]
    assert not result.loc[[1, 2, 6, 7], "homogeneous"].any()


def test_missing_key_forms_its_own_group_as_in_sdcmicro(worked_example):
    assert homogeneity(worked_example, KEYS, "diag").loc[10, "l_distinct"] == 1


def test_wildcard_puts_the_missing_age_with_records_1_and_2(worked_example):
    result = homogeneity(worked_example, KEYS, "diag", missing="wildcard")
    assert result.loc[[1, 2, 10], "l_distinct"].tolist() == [2, 2, 2]
    assert not result.loc[[1, 2, 10], "homogeneous"].any()


@pytest.mark.parametrize(
    "values,expected",
    [
        (["onco", "onco"], 1),
        (["onco", None], 2),
        (["onco", ""], 2),
        ([None, None], 0),
        (["onco", "psy", None], 3),
    ],
    ids=["same", "value-and-missing", "value-and-blank", "all-missing", "two-and-missing"],
)
def test_missing_sensitive_values_count_as_sdcmicro_counts_them(values, expected):
    frame = pd.DataFrame({"sex": ["F"] * len(values), "category": values}, dtype=object)
    result = homogeneity(frame, ["sex"], "category")
    assert result["l_distinct"].tolist() == [expected] * len(values)
    assert result["homogeneous"].tolist() == [expected == 1] * len(values)


@pytest.mark.parametrize(
    "sensitive,message",
    [
        (
            "nope",
            r"^The 'sensitive' parameter of homogeneity must be a column of frame that is not "
            r"one of the keys\. Got 'nope' instead\.$",
        ),
        ("age", r"Got 'age' instead"),
    ],
    ids=["absent", "is-a-key"],
)
def test_invalid_sensitive(worked_example, sensitive, message):
    with pytest.raises(ParameterError, match=message):
        homogeneity(worked_example, KEYS, sensitive)


def test_invalid_missing(worked_example):
    with pytest.raises(
        ParameterError, match=r"The 'missing' parameter of homogeneity must be one of"
    ):
        homogeneity(worked_example, KEYS, "diag", missing="drop")


def test_wildcard_refuses_free_text_sensitive_values():
    frame = pd.DataFrame({"a": ["x", None] * 600, "reason": [f"r{i}" for i in range(1200)]})
    with pytest.raises(
        ParameterError, match="must be 'category' when the sensitive column has more than 1023"
    ):
        homogeneity(frame, ["a"], "reason", missing="wildcard")


# ---------------------------------------------------------------- properties

VALUES = st.sampled_from(["a", "b", None])
SENSITIVE = st.sampled_from(["onco", "psy", "gp", None])


@st.composite
def frames(draw):
    n_keys = draw(st.integers(1, 3))
    n_rows = draw(st.integers(1, 20))
    columns = {
        f"k{j}": draw(st.lists(VALUES, min_size=n_rows, max_size=n_rows)) for j in range(n_keys)
    }
    columns["s"] = draw(st.lists(SENSITIVE, min_size=n_rows, max_size=n_rows))
    return pd.DataFrame(columns, dtype=object), [f"k{j}" for j in range(n_keys)]


def _matches(a, b, n_keys, missing):
    if missing == "category":
        return a == b
    if all(x is None for x in a):
        return True
    if n_keys > 1 and not any(x is None for x in a) and all(y is None for y in b):
        return False
    return all(x is None or y is None or x == y for x, y in zip(a, b, strict=True))


def _brute_force_l(frame, keys, missing):
    records = frame[keys].to_numpy().tolist()
    sensitive = frame["s"].tolist()
    result = []
    for a in records:
        group = [
            s for b, s in zip(records, sensitive, strict=True) if _matches(a, b, len(keys), missing)
        ]
        present = {s for s in group if s is not None}
        result.append(len(present) + (len(present) > 0 and None in group))
    return result


@settings(max_examples=200, deadline=None)
@given(frames(), st.sampled_from(["category", "wildcard"]))
def test_l_distinct_equals_brute_force(data, missing):
    frame, keys = data
    result = homogeneity(frame, keys, "s", missing=missing)
    assert result["l_distinct"].tolist() == _brute_force_l(frame, keys, missing)
    assert (result["homogeneous"] == (result["l_distinct"] == 1)).all()


@settings(deadline=None)
@given(frames(), st.randoms(use_true_random=False), st.sampled_from(["category", "wildcard"]))
def test_row_order_does_not_change_per_record_results(data, random, missing):
    frame, keys = data
    order = list(frame.index)
    random.shuffle(order)
    before = homogeneity(frame, keys, "s", missing=missing)
    after = homogeneity(frame.loc[order], keys, "s", missing=missing).loc[before.index]
    pd.testing.assert_frame_equal(after, before)
