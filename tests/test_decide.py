"""Decisions per patient: the channel and contact chosen, the Art. 33 verdict."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exposure._by_patient import PatientRecords
from exposure.decide import CHANNELS, _decide, decide_authority, decide_patients
from exposure.incident import LEVELS, Incident, Policy, level_rank
from exposure.severity import assess_patients
from exposure.specialty import load_specialty_table
from exposure.tables import _notifications

LABELS = load_specialty_table().rows["label_en"]


# The pandas version (first non-missing value per patient with drop_duplicates,
# then the most direct channel): the oracle of the code-based one.
def _reference_contacts(patients, records):
    def first_present(values):
        present = pd.DataFrame({"patient_id": records["patient_id"], "c": values})
        present = present[present["c"].notna()]
        return present.drop_duplicates("patient_id").set_index("patient_id")["c"]

    index = pd.Index(patients["patient_id"])
    contacts = {"email": first_present(records["email"]),
                "sms": first_present(records["phone"].where(records["phone_mobile"])),
                "phone": first_present(records["phone"].where(~records["phone_mobile"])),
                "post": first_present(records["address"])}
    channel = pd.Series("public", index=index, dtype=object)
    contact = pd.Series(None, index=index, dtype=object)
    for name in reversed(("email", "sms", "phone", "post")):
        value = contacts[name].reindex(index)
        channel = channel.where(value.isna(), name)
        contact = contact.where(value.isna(), value)
    return channel.astype("str").tolist(), contact.astype("str").tolist()


_record = st.fixed_dictionaries({
    "patient_id": st.integers(1, 4),
    "email": st.sampled_from([None, "a@x.fr", "b@x.fr"]),
    "phone": st.sampled_from([None, "+33612345678", "+33140000000"]),
    "phone_mobile": st.booleans(),
    "address": st.sampled_from([None, "1 rue A", "2 rue B"]),
    "shared_contact": st.booleans(),
    "specialty_code": st.sampled_from(["psychiatry", "unknown"]),
})


@settings(max_examples=150, deadline=None)
@given(st.lists(_record, min_size=1, max_size=15))
def test_channel_and_contact_match_the_first_present_value_per_patient(rows):
    records = pd.DataFrame(rows).astype({"email": "str", "phone": "str", "address": "str",
                                         "specialty_code": "str"})
    records = records.assign(row=range(1, len(records) + 1), dpc=4, ei=1.0,
                             ei_reason="EI_NAME_EMAIL", msus="", minor=False,
                             has_reason_text=False,
                             appointment_at=pd.Timestamp("2020-07-01"))
    patients = assess_patients(records, cb=1.0)
    decided = decide_patients(patients, records, Incident(), LABELS)
    channel, contact = _reference_contacts(patients, records)
    assert decided["channel"].tolist() == channel
    assert decided["channel"].cat.categories.tolist() == list(CHANNELS)  # one byte a patient
    assert decided["contact"].isna().tolist() == pd.isna(pd.Series(contact)).tolist()
    assert decided["contact"].dropna().tolist() == pd.Series(contact).dropna().tolist()
    # tabulate's path: the record to read the contact from, read for those told only.
    grouped = PatientRecords.of(records)
    chosen = _decide(patients, grouped, Incident(), LABELS).assign(notify_patient=True)
    told = _notifications(chosen, records.assign(display_last="", display_first=""))
    pd.testing.assert_series_equal(told["contact"], decided["contact"], check_names=False)
    by_patient = records.groupby("patient_id")
    assert decided["shared_contact"].tolist() == by_patient["shared_contact"].any().tolist()
    assert decided["specialty_unknown"].tolist() == \
        by_patient["specialty_code"].agg(lambda c: (c == "unknown").any()).tolist()


@pytest.mark.parametrize("levels, threshold, told, top", [
    (["low", "medium", "low"], "medium", 1, None),
    (["low", "high"], "very_high", 0, "high"),
    ([], "medium", 0, "low"),
], ids=["one-reaches", "none-reaches", "no-patient"])
def test_authority_counts_patients_at_or_above_the_threshold(levels, threshold, told, top):
    verdict = decide_authority(pd.Series(levels, dtype="str"),
                               Incident(policy=Policy(notify_authority_at=threshold)))
    assert verdict.patients_at_or_above == told
    assert verdict.notify_authority is bool(told)
    if top is not None:
        assert f"(highest: '{top}')" in verdict.explanation


@given(st.lists(st.sampled_from(LEVELS)), st.sampled_from(LEVELS))
def test_authority_verdict_matches_ranking_each_level(levels, threshold):
    verdict = decide_authority(pd.Series(levels, dtype="str"),
                               Incident(policy=Policy(notify_authority_at=threshold)))
    assert verdict.patients_at_or_above == sum(
        level_rank(v) >= level_rank(threshold) for v in levels)
    if not verdict.notify_authority:
        top = max(levels, key=level_rank) if levels else LEVELS[0]
        assert f"(highest: '{top}')" in verdict.explanation
