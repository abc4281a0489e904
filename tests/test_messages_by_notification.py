"""What each notified patient's records say, on integer positions, agrees with a group-by."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from exposure._notified import NotifiedRecords
from exposure.art33 import KINDS, exposed_kinds
from exposure.messages import _appointment_fields

_record = st.tuples(
    st.integers(1, 5), st.sampled_from(["2020-05-01 10:00", "2020-06-30 08:00", None]),
    st.sampled_from(["psychiatry", "general_practice", "unknown", None]),
    st.sampled_from(["a@x.fr", None]), st.sampled_from(["dupont", None]), st.booleans())


@settings(max_examples=100, deadline=None)
@given(st.lists(_record, max_size=20), st.sets(st.integers(1, 5), min_size=1))
def test_per_notification_reductions_match_a_groupby(rows, told):
    records = pd.DataFrame(rows, columns=["patient_id", "appointment_at", "specialty_code",
                                          "email", "name", "has_reason_text"]).astype(
        {"patient_id": "int64", "specialty_code": "str", "email": "str", "name": "str"})
    records["appointment_at"] = pd.to_datetime(records["appointment_at"])
    patients = pd.DataFrame({"patient_id": np.arange(1, 6)})
    ids = pd.Series(sorted(told), dtype="int64")
    by = NotifiedRecords(records, patients, ids)

    grouped = records.groupby("patient_id")
    assert by.count.tolist() == grouped.size().reindex(ids, fill_value=0).tolist()
    bits = exposed_kinds(records).groupby(records["patient_id"]).any().reindex(
        ids, fill_value=False)[list(KINDS)].to_numpy() << np.arange(len(KINDS))
    assert by.kinds().tolist() == bits.sum(axis=1).tolist()
    known = records[records["specialty_code"] != "unknown"]
    several = known.groupby("patient_id")["specialty_code"].nunique() > 1
    assert by.several_specialties().tolist() == several.reindex(ids, fill_value=False).tolist()
    first, last = by.first_and_last()
    when = grouped["appointment_at"]
    for got, expected in ((first, when.min()), (last, when.max())):
        expected = expected.reindex(ids).to_numpy()
        assert np.array_equal(got.astype("datetime64[us]"), expected, equal_nan=True)


def test_appointment_phrases_for_dated_undated_and_repeated_visits():
    when = np.array(["2020-05-01T10:00", "NaT", "2020-05-01T09:00", "2020-05-01T08:00"],
                    dtype="datetime64[us]")
    last = np.array(["2020-07-21T10:00", "NaT", "2020-05-01T17:00", "2020-05-01T08:00"],
                    dtype="datetime64[us]")
    appointments, dates = _appointment_fields(np.array([3, 1, 2, 1]), when, last, "fr")
    assert appointments.to_pylist() == [
        "vos 3 rendez-vous entre le 1er mai 2020 et le 21 juillet 2020", "votre rendez-vous",
        "vos 2 rendez-vous du 1er mai 2020", "votre rendez-vous du 1er mai 2020"]
    assert dates.to_pylist() == ["du 01/05 au 21/07/2020", "", "du 01/05/2020", "du 01/05/2020"]
