"""notifications.csv rows: the names of each patient's first record, the addressee."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from exposure.tables import _notifications

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
    # float NaN then; the CSV is the same).
    text = ["last_name", "first_name", "contact", "channel", "addressee", "language", "level"]
    pd.testing.assert_frame_equal(got, expected.astype(dict.fromkeys(text, "str")))
