"""Individual and dataset re-identification risk, checked against sdcMicro 5.8.1.

The worked example and its expected values come from the appendix of
reference/reidentification.md (sdcMicro 5.8.1, measure_risk / freqCalc / indivRisk).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exposure.errors import ParameterError
from exposure.reidentification import DatasetRisk, dataset_risk, individual_risk

KEYS = ["age", "sex", "zip3", "dept"]


# record: (fk, Fk, approx risk, exact risk), as published by sdcMicro 5.8.1
SDCMICRO = {
    1: (3, 115, 0.012876, 0.012745),
    2: (3, 115, 0.012876, 0.012745),
    3: (1, 100, 0.046517, 0.046517),
    4: (2, 50, 0.036078, 0.036078),
    5: (2, 50, 0.036078, 0.036078),
    6: (2, 140, 0.013600, 0.013600),
    7: (2, 140, 0.013600, 0.013600),
    8: (1, 10, 0.255843, 0.255843),
    9: (1, 5, 0.402359, 0.402359),
    10: (3, 115, 0.012876, 0.012745),
}


@pytest.mark.parametrize("method,column", [("approx", 2), ("exact", 3)], ids=["approx", "exact"])
def test_worked_example_matches_sdcmicro_with_weights(worked_example, method, column):
    result = individual_risk(worked_example, KEYS, weights="w", method=method)
    expected = pd.DataFrame.from_dict(SDCMICRO, orient="index")
    assert result["fk"].tolist() == expected[0].tolist()
    np.testing.assert_allclose(result["Fk"], expected[1], atol=1e-6)
    np.testing.assert_allclose(result["risk"], expected[column], atol=1e-6)


def test_worked_example_expected_reidentifications_with_weights(worked_example):
    summary = dataset_risk(individual_risk(worked_example, KEYS, weights="w"))
    assert summary.expected_reidentifications == pytest.approx(0.8427, abs=1e-4)
    assert summary.reidentification_rate == pytest.approx(0.08427, abs=1e-5)


def test_worked_example_without_weights_is_one_over_fk(worked_example):
    result = individual_risk(worked_example, KEYS)
    assert result["fk"].tolist() == [3, 3, 1, 2, 2, 2, 2, 1, 1, 3]
    assert result["Fk"].tolist() == result["fk"].astype(float).tolist()
    np.testing.assert_allclose(result["risk"], 1 / result["fk"])
    assert dataset_risk(result) == DatasetRisk(
        n_records=10,
        expected_reidentifications=pytest.approx(6.0),
        reidentification_rate=pytest.approx(0.6),
        sample_uniques=3,
        sample_unique_share=0.3,
        min_k=1,
    )


def test_missing_age_is_a_wildcard(worked_example):
    result = individual_risk(worked_example, KEYS)
    assert result.loc[[1, 2, 10], "fk"].tolist() == [3, 3, 3]


def test_missing_as_category_is_its_own_value(worked_example):
    result = individual_risk(worked_example, KEYS, missing="category")
    assert result.loc[[1, 2, 10], "fk"].tolist() == [2, 2, 1]


@pytest.mark.parametrize(
    "blank", [None, np.nan, pd.NA, "", "  "], ids=["None", "nan", "NA", "empty", "spaces"]
)
def test_every_kind_of_missing_is_a_wildcard(blank):
    frame = pd.DataFrame({"a": ["x", "x", blank], "b": ["y", "z", "y"]}, dtype=object)
    assert individual_risk(frame, ["a", "b"])["fk"].tolist() == [2, 1, 2]


def test_all_missing_key_gets_n_and_complete_keys_do_not_count_it():
    frame = pd.DataFrame(
        {"a": ["x", "x", None, "y"], "b": ["u", "v", None, None], "w": [2, 3, 4, 5]}
    )
    result = individual_risk(frame, ["a", "b"], weights="w")
    # sdcMicro: the all-missing record gets n and the sum of all weights; the
    # complete records (x, u) and (x, v) do not count it; (y, NA) does.
    assert result["fk"].tolist() == [1, 1, 4, 2]
    assert result["Fk"].tolist() == [2.0, 3.0, 14.0, 9.0]


def test_with_one_key_complete_values_count_the_missing_ones():
    frame = pd.DataFrame({"a": ["x", "x", None, "y"]})
    assert individual_risk(frame, ["a"])["fk"].tolist() == [3, 3, 4, 2]


def test_weights_as_column_array_or_series_agree(worked_example):
    by_name = individual_risk(worked_example, KEYS, weights="w")
    by_array = individual_risk(worked_example, KEYS, weights=worked_example["w"].to_numpy())
    by_list = individual_risk(worked_example, KEYS, weights=worked_example["w"].tolist())
    pd.testing.assert_frame_equal(by_name, by_array)
    pd.testing.assert_frame_equal(by_name, by_list)


def test_weights_of_one_give_one_over_fk(worked_example):
    result = individual_risk(worked_example, KEYS, weights=np.ones(10), method="exact")
    np.testing.assert_array_equal(result["risk"], 1 / result["fk"])


def _sdcmicro_exact_series(fk: int, pk: float) -> float:
    """The alternating series of sdcMicro's indivRisk(method = "exact")."""
    a = (pk ** (1 - fk) - 1) / (fk - 1)

    def b(i: int) -> float:
        return (
            (fk - 1 - i) ** 2
            / ((i + 1) * (fk - 2 - i))
            * (pk ** (i + 2 - fk) - 1)
            / (pk ** (i + 1 - fk) - 1)
        )

    total = 0.0
    for m in range(fk - 2):
        total += (-1) ** (m + 1) * math.prod(b(i) for i in range(m + 1))
    return (pk / (1 - pk)) ** fk * (a * (1 + total) + (-1) ** fk * math.log(pk))


@pytest.mark.parametrize("fk", [3, 4, 5, 6])
@pytest.mark.parametrize("ratio", [1.5, 3.0, 40.0, 1000.0])
def test_exact_closed_form_equals_sdcmicro_series(fk, ratio):
    frame = pd.DataFrame({"k": ["a"] * fk})
    weights = np.full(fk, ratio)
    got = individual_risk(frame, ["k"], weights=weights, method="exact")["risk"].iloc[0]
    assert got == pytest.approx(_sdcmicro_exact_series(fk, 1 / ratio), rel=1e-9)


@pytest.mark.parametrize("fk", [8, 50, 5000])
def test_exact_stays_finite_where_the_series_overflows(fk):
    frame = pd.DataFrame({"k": ["a"] * fk})
    risk = individual_risk(frame, ["k"], weights=np.full(fk, 1.01), method="exact")["risk"]
    assert np.isfinite(risk).all()
    assert 1 / (1.01 * fk) < risk.iloc[0] < 1 / fk


def test_index_is_kept():
    frame = pd.DataFrame({"a": ["x", "y", "x"]}, index=["r3", "r1", "r2"])
    result = individual_risk(frame, ["a"])
    assert result.index.tolist() == ["r3", "r1", "r2"]
    assert result["fk"].tolist() == [2, 1, 2]


def test_empty_frame():
    frame = pd.DataFrame({"a": pd.Series([], dtype=object)})
    result = individual_risk(frame, ["a"])
    assert list(result.columns) == ["fk", "Fk", "risk"] and len(result) == 0
    assert dataset_risk(result) == DatasetRisk(0, 0.0, 0.0, 0, 0.0, 0)


@pytest.mark.parametrize(
    "kwargs,message",
    [
        (
            {"method": "foo"},
            r"^The 'method' parameter of individual_risk must be one of \{'approx', 'exact'\}\. "
            r"Got 'foo' instead\.$",
        ),
        ({"missing": "drop"}, r"The 'missing' parameter of individual_risk must be one of"),
        (
            {"keys": ["nope"]},
            r"The 'keys' parameter of individual_risk must name columns of frame\. Got 'nope'",
        ),
        ({"keys": "age"}, r"The 'keys' parameter of individual_risk must be a list"),
        ({"weights": [1, 2]}, r"must have one value per record \(10\)\. Got 2 values instead\."),
        ({"weights": "nope"}, r"The 'weights' parameter of individual_risk must be a column"),
        ({"weights": [0.5] * 10}, r"sampling weights >= 1 .* Got 10 missing, infinite or smaller"),
        ({"weights": ["a"] * 10}, r"must hold numbers"),
    ],
    ids=[
        "method",
        "missing",
        "absent-key",
        "key-string",
        "weights-length",
        "weights-column",
        "weights-below-one",
        "weights-text",
    ],
)
def test_invalid_parameters(worked_example, kwargs, message):
    arguments = {"keys": KEYS} | kwargs
    with pytest.raises(ParameterError, match=message):
        individual_risk(worked_example, **arguments)


def test_dataset_risk_needs_individual_risk_output():
    with pytest.raises(ParameterError, match="without the 'fk' column"):
        dataset_risk(pd.DataFrame({"risk": [1.0]}))


# ---------------------------------------------------------------- properties

VALUES = st.sampled_from(["a", "b", "c", None, ""])


@st.composite
def frames(draw, max_keys: int = 4, max_rows: int = 25):
    n_keys = draw(st.integers(1, max_keys))
    n_rows = draw(st.integers(1, max_rows))
    columns = {
        f"k{j}": draw(st.lists(VALUES, min_size=n_rows, max_size=n_rows)) for j in range(n_keys)
    }
    weights = draw(st.lists(st.floats(1.0, 500.0), min_size=n_rows, max_size=n_rows))
    frame = pd.DataFrame(columns, dtype=object)
    frame["w"] = weights
    return frame, list(columns)


def _is_missing(value: object) -> bool:
    return value is None or value == ""


def _brute_force_fk(frame: pd.DataFrame, keys: list[str]) -> list[int]:
    """sdcMicro freqCalc semantics, record by record."""
    records = frame[keys].to_numpy().tolist()
    fk = []
    for a in records:
        if all(_is_missing(x) for x in a):
            fk.append(len(records))
            continue
        complete = not any(_is_missing(x) for x in a)
        count = 0
        for b in records:
            if complete and len(keys) > 1 and all(_is_missing(y) for y in b):
                continue
            count += all(
                _is_missing(x) or _is_missing(y) or x == y for x, y in zip(a, b, strict=True)
            )
        fk.append(count)
    return fk


@settings(max_examples=200, deadline=None)
@given(frames())
def test_wildcard_frequencies_equal_brute_force(data):
    frame, keys = data
    assert individual_risk(frame, keys)["fk"].tolist() == _brute_force_fk(frame, keys)


@settings(deadline=None)
@given(frames(), st.sampled_from(["approx", "exact"]), st.sampled_from(["wildcard", "category"]))
def test_risk_is_in_zero_one(data, method, missing):
    frame, keys = data
    for weights in (None, "w"):
        risk = individual_risk(frame, keys, weights=weights, method=method, missing=missing)["risk"]
        assert ((risk > 0) & (risk <= 1)).all()


@settings(deadline=None)
@given(frames(), st.sampled_from(["wildcard", "category"]))
def test_duplicating_the_data_halves_one_over_fk(data, missing):
    frame, keys = data
    once = individual_risk(frame, keys, missing=missing)
    twice = individual_risk(pd.concat([frame, frame], ignore_index=True), keys, missing=missing)
    assert (twice["fk"].to_numpy() == 2 * np.tile(once["fk"].to_numpy(), 2)).all()
    assert (twice["risk"].to_numpy() == np.tile(once["risk"].to_numpy(), 2) / 2).all()


@settings(deadline=None)
@given(frames(), st.randoms(use_true_random=False), st.sampled_from(["approx", "exact"]))
def test_row_order_does_not_change_per_record_results(data, random, method):
    frame, keys = data
    order = list(frame.index)
    random.shuffle(order)
    before = individual_risk(frame, keys, weights="w", method=method)
    after = individual_risk(frame.loc[order], keys, weights=frame.loc[order, "w"], method=method)
    pd.testing.assert_frame_equal(after.loc[before.index], before, rtol=1e-12)


@pytest.mark.parametrize(
    "column",
    [
        pd.Series(["a", "a", "", None], dtype="category"),
        pd.Series(["a", "a", "", None], dtype="str"),
        pd.Series([1, 1, pd.NA, 3], dtype="Int64"),
        pd.Series([1.0, 1.0, np.nan, 3.0]),
        pd.Series([1, 1, None, 3], dtype=object),
        pd.to_datetime(pd.Series(["2024-03-12", "2024-03-12", None, "2024-03-13"])),
    ],
    ids=["category", "str", "Int64", "float", "object-int", "datetime"],
)
def test_key_dtypes(column):
    frame = pd.DataFrame({"k": column, "sex": ["F", "F", "F", "M"]})
    assert individual_risk(frame, ["k", "sex"])["fk"].tolist() == [3, 3, 3, 1]


def _pairwise_fk(codes: np.ndarray) -> np.ndarray:
    """freqCalc semantics on integer codes (-1 = missing), by broadcasting all pairs."""
    a, b = codes[:, None, :], codes[None, :, :]
    match = ((a == b) | (a < 0) | (b < 0)).all(axis=2)
    complete = (codes >= 0).all(axis=1)
    empty = (codes < 0).all(axis=1)
    match &= ~(complete[:, None] & empty[None, :])
    match[empty, :] = True
    return match.sum(axis=1)


@pytest.mark.parametrize("missing", ["wildcard", "category"])
def test_many_high_cardinality_keys_do_not_overflow_the_combined_code(missing):
    # 8 keys of ~260 values: 260**8 > 2**62, so codes must be renumbered on the way.
    rng = np.random.default_rng(7)
    base = rng.integers(0, 300, size=(300, 8))
    codes = np.concatenate([base, base[:150], base[:50]])
    codes[rng.random(codes.shape) < 0.1] = -1
    frame = (
        pd.DataFrame(codes, columns=[f"k{j}" for j in range(8)]).astype("Int64").replace(-1, pd.NA)
    )
    result = individual_risk(frame, list(frame), missing=missing)
    if missing == "wildcard":
        expected = _pairwise_fk(codes)
    else:
        expected = frame.groupby(list(frame), dropna=False)["k0"].transform("size").to_numpy()
    assert result["fk"].tolist() == expected.tolist()
