"""The numbers under the report's figures, counted on codes, match counting each record."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from exposure.incident import LEVELS
from exposure.report._html import Context
from exposure.report.annex import _category_matrix, _factors
from exposure.report.labels import FACTOR
from exposure.summary import _count_containing
from exposure.wording import CATEGORY


# The version that split, deduplicated and cross-tabulated the records
# themselves: the oracle of the code-based one.
def _reference_matrix(appointments, language):
    text = appointments["categories"].fillna("").astype(str)
    text = text.where(text != "", "none").where(appointments["specialty_code"] != "unknown",
                                                "unknown")
    revealed = appointments.assign(category=text.str.split("|")).explode("category")
    revealed = revealed.drop_duplicates(["patient_id", "category"])
    matrix = pd.crosstab(revealed["category"], revealed["patient_level"]).reindex(
        columns=list(LEVELS), fill_value=0)
    matrix = matrix.loc[matrix.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    matrix.index = [CATEGORY[language].get(c, c) for c in matrix.index]
    return matrix


_appointment = st.tuples(
    st.integers(1, 6), st.sampled_from(["psychiatry", "unknown", "pediatrics"]),
    st.sampled_from(["", "mental_health", "mental_health|child", "child", "oncology"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(_appointment, max_size=25), st.lists(st.sampled_from(LEVELS), min_size=6,
                                                     max_size=6), st.sampled_from(["fr", "en"]))
def test_category_matrix_matches_counting_each_record(rows, levels, language):
    appointments = pd.DataFrame(rows, columns=["patient_id", "specialty_code", "categories"]
                                ).astype({"specialty_code": "str", "categories": "str"})
    appointments["patient_level"] = pd.Series(
        [levels[p - 1] for p in appointments["patient_id"]], dtype="str")
    ctx = Context({}, pd.DataFrame(), appointments, pd.DataFrame(), pd.DataFrame(), language)
    got, expected = _category_matrix(ctx), _reference_matrix(appointments, language)
    assert got.index.tolist() == expected.index.tolist()
    assert got.columns.tolist() == list(LEVELS)
    np.testing.assert_array_equal(got.to_numpy(), expected.to_numpy())


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 4), st.sampled_from(["psychiatry", "unknown"]),
                          st.booleans()), max_size=20))
def test_factor_tiers_match_labelling_each_patient(rows):
    patients = pd.DataFrame(rows, columns=["dpc_base", "top_specialty", "notify_patient"]
                            ).astype({"dpc_base": "int64", "top_specialty": "str",
                                      "notify_patient": bool})
    patients = patients.assign(minor=False, recurrent=False, reason_text=False, ei=1.0,
                               ei_reason="EI_NAME_EMAIL")
    ctx = Context({"incident": {}}, patients, pd.DataFrame(), pd.DataFrame(), pd.DataFrame(),
                  "en")
    told = patients[patients["notify_patient"]]
    tier = pd.Series(["dpc_" + str(v) for v in told["dpc_base"]], index=told.index)
    tier = tier.where(told["top_specialty"] != "unknown", "dpc_unknown").value_counts()
    got = _factors(ctx)
    for key in ("dpc_4", "dpc_3", "dpc_unknown", "dpc_2", "dpc_1"):
        assert got.get(FACTOR["en"][key], 0) == tier.get(key, 0)


@given(st.lists(st.sampled_from(["DPC_X;DUPLICATE_RECORD", "DPC_X", "DUPLICATE_RECORDS;A",
                                 None])), st.booleans())
def test_count_containing_matches_searching_each_value(values, categorical):
    series = pd.Series(values, dtype="category" if categorical else "str")
    expected = int(series.astype("str").str.contains("DUPLICATE_RECORD", regex=False).sum())
    assert _count_containing(series, "DUPLICATE_RECORD") == expected
