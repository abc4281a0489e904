"""notifications.csv rows: the names of each patient's first record, the addressee."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from exposure.tables import _appointments, _notifications

_patient = st.fixed_dictionaries({
    "notify_patient": st.booleans(), "minor": st.booleans(), "shared_contact": st.booleans(),
    "contact": st.sampled_from([None, "a@x.fr"]), "channel": st.sampled_from(["email", "public"]),
    "level": st.sampled_from(["high", "very_high"]), "severity": st.sampled_from([3.0, 4.5]),
})


@settings(max_examples=100, deadline=None)
@given(st.lists(_patient, min_size=1, max_size=6),
       st.lists(st.tuples(st.integers(1, 6), st.sampled_from([None, "Dupont", "Martin"]),
                          st.sampled_from(["Léa", None])), max_size=20))
def test_notifications_match_the_first_record_of_each_patient(patients, records):
    patients = pd.DataFrame(patients).astype({"contact": "str", "channel": "str",
                                              "level": "str"})
    patients.insert(0, "patient_id", np.arange(1, len(patients) + 1))
    records = pd.DataFrame(records, columns=["patient_id", "display_last", "display_first"]
                           ).astype({"display_last": "str", "display_first": "str"})
    got = _notifications(patients, records)
    # The previous version: the first record of each patient, mapped by id.
    chosen = patients[patients["notify_patient"]]
    first = records.drop_duplicates("patient_id").set_index("patient_id")
    expected = pd.DataFrame({
        "patient_id": chosen["patient_id"].to_numpy(),
        "last_name": chosen["patient_id"].map(first["display_last"]).to_numpy(),
        "first_name": chosen["patient_id"].map(first["display_first"]).to_numpy(),
        "contact": chosen["contact"].to_numpy(), "channel": chosen["channel"].to_numpy(),
        "addressee": np.where(chosen["minor"], "legal_guardian", "patient"),
        "shared_contact": chosen["shared_contact"].to_numpy(), "language": "fr",
        "level": chosen["level"].to_numpy(), "severity": chosen["severity"].to_numpy(),
    })
    # Text columns are text even when empty or all missing (they were object or
    # float NaN then; the CSV is the same); the addressee, one of two values, is
    # categorical.
    assert isinstance(got["addressee"].dtype, pd.CategoricalDtype)
    text = ["last_name", "first_name", "contact", "channel", "addressee", "language", "level"]
    pd.testing.assert_frame_equal(got.astype({"addressee": "str"}),
                                  expected.astype(dict.fromkeys(text, "str")))


def _records(patient_ids):
    n = len(patient_ids)
    return pd.DataFrame({
        "row": np.arange(1, n + 1), "patient_id": patient_ids,
        "specialty_code": pd.Series(["psychiatry", "unknown"] * n, dtype="str")[:n],
        "specialty_confidence": 0.9, "specialty_match": pd.Series("exact", index=range(n),
                                                                  dtype="str"),
        "tier": pd.Series("very_high", index=range(n), dtype="str"),
        "categories": pd.Series("mental_health", index=range(n), dtype="str"),
        "dpc": 4, "ei": 1.0, "qi_fk": 1, "qi_risk": 1 / 3, "msus": pd.Series("", index=range(n),
                                                                               dtype="str"),
        "minor": False, "shared_contact": False, "inference_homogeneous": False,
        "duplicate": False, "ei_reason": pd.Series("EI_NAME_EMAIL", index=range(n), dtype="str"),
        "field_flags": pd.Series("", index=range(n), dtype="str")})


def test_appointments_take_each_records_patient_level_without_copying_records():
    records = _records([3, 1, 3, 2])
    patients = pd.DataFrame({"patient_id": [1, 2, 3], "level": pd.Categorical(
        ["low", "high", "medium"], categories=["low", "medium", "high", "very_high"])})
    appointments = _appointments(records, patients)
    assert appointments["patient_level"].tolist() == ["medium", "low", "medium", "high"]
    assert isinstance(appointments["patient_level"].dtype, pd.CategoricalDtype)
    assert appointments["reasons"].tolist()[:2] == [
        "DPC_PSYCHIATRY;EI_NAME_EMAIL", "DPC_UNKNOWN;EI_NAME_EMAIL;SPECIALTY_UNKNOWN"]
    for column in ("row", "patient_id", "dpc", "ei", "qi_fk", "minor"):
        assert np.shares_memory(appointments[column].to_numpy(), records[column].to_numpy())
