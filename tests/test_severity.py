"""Severity: ENISA se = dpc * ei + cb, its bands, and the DPC raises."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exposure.severity import _first_by, assess_patients, severity_level


@pytest.mark.parametrize("se, level", [
    (0.25, "low"), (1.99, "low"), (2.0, "medium"), (2.99, "medium"), (3.0, "high"),
    (3.99, "high"), (4.0, "very_high"), (6.0, "very_high"),
])
def test_enisa_bands(se, level):
    assert severity_level(pd.Series([se])).tolist() == [level]


def records(*rows, **defaults):
    """Build a records frame; each row a dict overriding the defaults."""
    base = dict(patient_id=1, dpc=1, specialty_code="general_practice", ei=1.0,
                ei_reason="EI_NAME_EMAIL", appointment_at="2020-07-01", minor=False,
                has_reason_text=False)
    base.update(defaults)
    frame = pd.DataFrame([{**base, **row} for row in rows])
    frame["row"] = range(1, len(frame) + 1)
    frame["appointment_at"] = pd.to_datetime(frame["appointment_at"])
    return frame


def test_adult_gp_named_with_email_in_the_2020_leak_is_medium():
    # ENISA: 1 x 1 + (0.5 unknown recipients + 0.5 malicious) = 2.0
    patient = assess_patients(records({}), cb=1.0).iloc[0]
    assert (patient["dpc"], patient["ei"], patient["severity"], patient["level"]) == \
        (1, 1.0, 2.0, "medium")


def test_patient_takes_the_highest_dpc_and_ei_of_their_records():
    patient = assess_patients(records(
        dict(dpc=1, ei=1.0), dict(dpc=4, specialty_code="psychiatry", ei=0.75)), cb=0.0).iloc[0]
    assert (patient["dpc_base"], patient["ei"], patient["top_specialty"]) == \
        (4, 1.0, "psychiatry")
    assert patient["severity"] == 4.0


def test_recurrent_sensitive_visits_over_30_days_raise_dpc_by_one():
    visits = [dict(dpc=3, specialty_code="medical_gynecology", appointment_at=day)
              for day in ("2020-05-01", "2020-05-20", "2020-06-01")]
    patient = assess_patients(records(*visits), cb=1.0).iloc[0]
    assert patient["recurrent"] and (patient["dpc_base"], patient["dpc"]) == (3, 4)
    assert patient["level"] == "very_high"


@pytest.mark.parametrize("days, visits, dpc", [
    (("2020-05-01", "2020-05-10", "2020-05-20"), 3, 3),   # under 30 days
    (("2020-05-01", "2020-07-01"), 2, 3),                  # only two visits
], ids=["short-span", "two-visits"])
def test_no_raise_without_three_sensitive_visits_over_30_days(days, visits, dpc):
    rows = [dict(dpc=3, appointment_at=day) for day in days]
    assert assess_patients(records(*rows), cb=1.0).loc[0, "dpc"] == dpc


def test_gp_visits_never_count_as_recurrent():
    rows = [dict(dpc=1, appointment_at=day) for day in ("2020-01-01", "2020-03-01", "2020-06-01")]
    assert not assess_patients(records(*rows), cb=1.0).loc[0, "recurrent"]


def test_a_minor_raises_dpc_by_one():
    patient = assess_patients(records(dict(minor=True)), cb=1.0).iloc[0]
    assert (patient["dpc"], patient["severity"], patient["level"]) == (2, 3.0, "high")


def test_raises_do_not_stack_and_cap_at_4():
    rows = [dict(dpc=4, minor=True, has_reason_text=True, appointment_at=day)
            for day in ("2020-01-01", "2020-02-15", "2020-04-01")]
    assert assess_patients(records(*rows), cb=0.0).loc[0, "dpc"] == 4
    rows = [dict(dpc=2, minor=True, has_reason_text=True)]
    assert assess_patients(records(*rows), cb=0.0).loc[0, "dpc"] == 3


def test_rows_lists_the_input_rows_of_each_patient():
    frame = records(dict(patient_id=1), dict(patient_id=2), dict(patient_id=1))
    assert assess_patients(frame, cb=0.0)["rows"].tolist() == ["1;3", "2"]


# The pandas implementation assess_patients had before it moved to integer
# codes (sort_values / drop_duplicates per patient): the oracle it must match.
def _reference_assess_patients(records, cb):
    def first_by(order, ascending, column):
        needed = list(dict.fromkeys(["patient_id", *order, "row", column]))
        ranked = records[needed].sort_values(["patient_id", *order, "row"],
                                             ascending=[True, *ascending, True], kind="stable")
        return ranked.drop_duplicates("patient_id").set_index("patient_id")[column]

    grouped = records.groupby("patient_id", sort=True)
    ordered = records.sort_values(["patient_id", "row"], kind="stable")
    patients = pd.DataFrame({
        "n_records": grouped.size(),
        "rows": ordered.groupby("patient_id")["row"].agg(
            lambda rows: ";".join(str(r) for r in rows)).astype("str"),
        "dpc_base": grouped["dpc"].max(), "ei": grouped["ei"].max(),
        "minor": grouped["minor"].any(), "reason_text": grouped["has_reason_text"].any(),
    })
    sensitive = records[(records["dpc"] >= 3) & (records["specialty_code"] != "unknown")]
    by_patient = sensitive.groupby("patient_id")["appointment_at"]
    span_days = (by_patient.max() - by_patient.min()).dt.days
    patients["recurrent"] = ((sensitive.groupby("patient_id").size() >= 3)
                             & (span_days >= 30)).reindex(patients.index, fill_value=False)
    raised = patients["recurrent"] | patients["minor"] | patients["reason_text"]
    patients["dpc"] = np.minimum(patients["dpc_base"] + raised.astype(int), 4)
    patients["cb"] = cb
    patients["severity"] = (patients["dpc"] * patients["ei"] + cb).round(4)
    patients["level"] = severity_level(patients["severity"])
    patients["top_specialty"] = first_by(["dpc", "specialty_code"], [False, True],
                                         "specialty_code")
    patients["ei_reason"] = first_by(["ei"], [False], "ei_reason")
    patients["msus"] = first_by(["ei"], [False], "msus")
    patients["inference_homogeneous"] = grouped["inference_homogeneous"].any()
    return patients.reset_index()


_record = st.fixed_dictionaries({
    "patient_id": st.integers(1, 4), "row": st.integers(1, 12), "dpc": st.integers(1, 4),
    "specialty_code": st.sampled_from(["psychiatry", "oncology", "Oncology", "général",
                                       "unknown"]),
    "ei": st.sampled_from([0.25, 0.5, 0.75, 1.0]),
    "ei_reason": st.sampled_from(["EI_NAME_EMAIL", "EI_QI_LOW", "EI_PHONE"]),
    "msus": st.sampled_from(["", "sex", "sex|zip"]),
    "appointment_at": st.sampled_from(["2020-01-01", "2020-01-20", "2020-03-01", None]),
    "minor": st.booleans(), "has_reason_text": st.booleans(),
    "inference_homogeneous": st.booleans(),
})


def _shuffled_categories(values, rnd):
    categories = [*values.unique().tolist(), "unused"]
    rnd.shuffle(categories)
    return pd.CategoricalDtype(pd.Index(categories, dtype="str"))


@settings(max_examples=200, deadline=None)
@given(st.lists(_record, min_size=1, max_size=25), st.booleans(),
       st.randoms(use_true_random=False))
def test_assess_patients_matches_the_per_patient_pandas_version(rows, categorical, rnd):
    # Ties everywhere (same dpc, ei, row): the first in input order must win.
    frame = pd.DataFrame(rows).astype({"specialty_code": "str", "ei_reason": "str",
                                       "msus": "str"})
    frame["appointment_at"] = pd.to_datetime(frame["appointment_at"])
    given_frame = frame
    if categorical:  # as enrich may give them: categories in any order, some unused
        given_frame = frame.astype({column: _shuffled_categories(frame[column], rnd)
                                    for column in ("specialty_code", "ei_reason", "msus")})
    patients = assess_patients(given_frame, cb=0.5)
    # Few distinct values over many patients: stored as categories, written as the same text.
    coded = ["level", "top_specialty", "ei_reason", "msus"]
    assert all(isinstance(patients[c].dtype, pd.CategoricalDtype) for c in coded)
    expected = _reference_assess_patients(frame, 0.5)
    pd.testing.assert_frame_equal(patients.astype(dict.fromkeys(coded, "str")),
                                  expected.astype(dict.fromkeys(coded, "str")))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 2)), min_size=1),
       st.booleans(), st.randoms(use_true_random=False))
def test_first_by_is_the_first_record_of_the_smallest_keys(rows, huge, rnd):
    # ``huge`` keys fold into int64, but not with the rank: the two-step path.
    codes = np.array([c for c, _, _ in rows], dtype=np.int64)
    scale = 2**30 if huge else 1
    keys = [np.array([k for _, k, _ in rows], dtype=np.int64) * scale,
            np.array([k for _, _, k in rows], dtype=np.int64) * scale]
    rank = np.arange(len(rows))
    rnd.shuffle(rank)
    for order in (None, rank):
        by = np.arange(len(rows)) if order is None else order
        chosen = _first_by(codes, 4, order, keys)
        for patient in np.unique(codes):
            mine = np.flatnonzero(codes == patient)
            expected = mine[np.lexsort((by[mine], keys[1][mine], keys[0][mine]))[0]]
            assert chosen[patient] == expected
