"""Minimal sample uniques and SUDA scores, checked against sdcMicro 5.8.1's suda2.

Expected values: appendix and section 1.6 of reference/reidentification.md.
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exposure.errors import ParameterError
from exposure.suda import suda

KEYS = ["age", "sex", "zip3", "dept"]


def test_worked_example_scores_match_sdcmicro(worked_example):
    result = suda(worked_example, KEYS)
    expected = [0, 0, 10, 0, 0, 0, 0, 6, 18, 0]
    np.testing.assert_allclose(result["score"], expected, atol=1e-6)


def test_worked_example_dis_score_matches_sdcmicro(worked_example):
    result = suda(worked_example, KEYS)
    assert result.loc[9, "dis_score"] == pytest.approx(0.0113, abs=5e-5)
    assert (result["dis_score"][result["score"] == 0] == 0).all()


def test_worked_example_msus_explain_the_scores(worked_example):
    msus = suda(worked_example, KEYS)["msus"]
    assert msus[9] == "age; zip3; dept"  # 3 MSUs of size 1: 3 * 3! = 18
    assert msus[8] == "zip3"  # 3! = 6
    assert msus[3] == "dept; age + sex; sex + zip3"  # 3! + 2! + 2! = 10
    assert (msus[[1, 2, 4, 5, 6, 7, 10]] == "").all()


def test_wildcard_lets_the_missing_age_hide_record_9(worked_example):
    # Record 10's age is unknown, so it could be 60-69: "age" alone no longer
    # singles out record 9, but "age + sex" does (record 10 is F): 3! + 3! + 2! = 14.
    result = suda(worked_example, KEYS, missing="wildcard")
    assert result.loc[9, "score"] == 14
    assert result.loc[9, "msus"] == "zip3; dept; age + sex"


def test_dis_suda_hand_example_from_the_reference():
    # U = 2 uniques scoring 6 (three 1-MSUs, (3 - 1)! each), P = 4 records in pairs, M = 3.
    frame = pd.DataFrame({"a": list("aabbcd"), "b": list("xxyyzw"), "c": list("ppqqrs")})
    result = suda(frame, ["a", "b", "c"])
    assert result["score"].tolist() == [0, 0, 0, 0, 6, 6]
    assert result["dis_score"].iloc[4:].tolist() == pytest.approx([1 / 199, 1 / 199], rel=1e-12)


def test_no_pairs_means_every_special_unique_is_a_sure_match():
    frame = pd.DataFrame({"a": list("abc"), "b": list("xyz")})
    assert suda(frame, ["a", "b"])["dis_score"].tolist() == [1.0, 1.0, 1.0]


def test_dis_score_is_never_nan_with_many_uniques():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({f"k{j}": rng.integers(0, 30, 20_000) for j in range(4)})
    dis = suda(frame, list(frame))["dis_score"]
    assert dis.notna().all() and (dis > 0).sum() > 10_000


def test_missing_value_is_never_part_of_an_msu():
    # Record 3 is the only one with a missing "a", yet "a" never singles it out.
    frame = pd.DataFrame({"a": ["x", "x", None], "b": ["u", "v", "u"]})
    result = suda(frame, ["a", "b"])
    assert result["msus"].tolist() == ["a + b", "b", ""]


def test_duplicates_score_zero():
    frame = pd.DataFrame({"a": ["x", "x", "y"], "b": ["u", "u", "u"]})
    assert suda(frame, ["a", "b"])["score"].tolist() == [0, 0, 1]


def test_max_msu_size_limits_the_search_and_sets_the_weights(worked_example):
    result = suda(worked_example, KEYS, max_msu_size=1)
    # M = 1: each 1-MSU weighs 0! = 1; record 3's 2-MSUs are not searched.
    assert result.loc[[3, 8, 9], "score"].tolist() == [1, 1, 3]
    assert result.loc[3, "msus"] == "dept"


def test_index_is_kept_and_empty_frame_works():
    frame = pd.DataFrame({"a": ["x", "y"]}, index=[7, 3])
    assert suda(frame, ["a"]).index.tolist() == [7, 3]
    empty = suda(frame.iloc[:0], ["a"])
    assert list(empty.columns) == ["score", "dis_score", "msus"] and len(empty) == 0


@pytest.mark.parametrize(
    "kwargs,message",
    [
        (
            {"missing": "drop"},
            r"^The 'missing' parameter of suda must be one of \{'category', 'wildcard'\}\. "
            r"Got 'drop' instead\.$",
        ),
        (
            {"max_msu_size": 5},
            r"The 'max_msu_size' parameter of suda must be an int in the range \[1, 4\] or None\. "
            r"Got 5",
        ),
        ({"max_msu_size": 0}, r"Got 0 instead"),
        (
            {"dis_fraction": 0},
            r"The 'dis_fraction' parameter of suda must be a float in the range \(0, 1\]\. Got 0",
        ),
        ({"dis_fraction": 1.5}, r"Got 1.5 instead"),
    ],
    ids=["missing", "max-too-big", "max-zero", "fraction-zero", "fraction-above-one"],
)
def test_invalid_parameters(worked_example, kwargs, message):
    with pytest.raises(ParameterError, match=message):
        suda(worked_example, KEYS, **kwargs)


# ---------------------------------------------------------------- properties

VALUES = st.sampled_from(["a", "b", "c", None])


@st.composite
def frames(draw):
    n_keys = draw(st.integers(1, 4))
    n_rows = draw(st.integers(1, 20))
    columns = {
        f"k{j}": draw(st.lists(VALUES, min_size=n_rows, max_size=n_rows)) for j in range(n_keys)
    }
    return pd.DataFrame(columns, dtype=object), list(columns)


def _count(records, i, cols, missing):
    """Records sharing record i's values on cols (a missing value matches all if wildcard)."""
    total = 0
    for other in records:
        if missing == "wildcard" and all(v is None for v in other):
            continue
        if missing == "wildcard":
            total += all(other[c] is None or other[c] == records[i][c] for c in cols)
        else:
            total += all(other[c] == records[i][c] for c in cols)
    return total


def _brute_force_msus(frame, keys, missing):
    records = frame[keys].to_numpy().tolist()
    result = []
    for i, record in enumerate(records):
        unique = {}
        for k in range(1, len(keys) + 1):
            for cols in combinations(range(len(keys)), k):
                if any(record[c] is None for c in cols):
                    continue
                unique[cols] = _count(records, i, cols, missing) == 1
        msus = [
            cols
            for cols, is_unique in unique.items()
            if is_unique
            and not any(
                unique.get(sub) for r in range(1, len(cols)) for sub in combinations(cols, r)
            )
        ]
        result.append(msus)
    return result


def _parse(label, keys):
    if not label:
        return []
    return [tuple(keys.index(name) for name in msu.split(" + ")) for msu in label.split("; ")]


@settings(max_examples=200, deadline=None)
@given(frames(), st.sampled_from(["category", "wildcard"]))
def test_msus_are_exactly_the_unique_and_minimal_value_sets(data, missing):
    frame, keys = data
    result = suda(frame, keys, missing=missing)
    expected = _brute_force_msus(frame, keys, missing)
    m = len(keys)
    for label, score, msus in zip(result["msus"], result["score"], expected, strict=True):
        assert sorted(_parse(label, keys)) == sorted(msus)
        assert score == sum(math.factorial(m - len(cols)) for cols in msus)


@settings(deadline=None)
@given(frames())
def test_each_msu_singles_out_its_record(data):
    frame, keys = data
    result = suda(frame, keys)
    for position, label in enumerate(result["msus"]):
        for cols in _parse(label, keys):
            names = [keys[c] for c in cols]
            values = frame.iloc[position][names]
            assert values.notna().all()
            assert (frame[names] == values).all(axis=1).sum() == 1
            for name in names:  # minimal: dropping any value makes it shared (or empty)
                rest = [n for n in names if n != name]
                assert not rest or (frame[rest] == values[rest]).all(axis=1).sum() > 1


@settings(deadline=None)
@given(frames(), st.sampled_from(["category", "wildcard"]))
def test_dis_score_is_a_probability_and_zero_without_msu(data, missing):
    frame, keys = data
    result = suda(frame, keys, missing=missing)
    assert result["dis_score"].between(0, 1).all()
    assert ((result["dis_score"] > 0) == (result["score"] > 0)).all()


@settings(deadline=None)
@given(frames(), st.randoms(use_true_random=False))
def test_row_order_does_not_change_per_record_results(data, random):
    frame, keys = data
    order = list(frame.index)
    random.shuffle(order)
    before = suda(frame, keys)
    after = suda(frame.loc[order], keys).loc[before.index]
    pd.testing.assert_frame_equal(after, before, rtol=1e-12)
