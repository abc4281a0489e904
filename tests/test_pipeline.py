"""``exposure.score`` end to end on tiny hand-built leaks, plus invariants."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exposure import Incident, score
from exposure.incident import Policy

COLUMNS = ["Nom", "Prénom", "Sexe", "Téléphone", "Email", "Date de naissance",
           "Date du rendez-vous", "Praticien", "Spécialité"]


def leak(*rows):
    return pd.DataFrame([dict(zip(COLUMNS, row)) for row in rows], columns=COLUMNS).fillna("")


ADULT_GP = ("Martin", "Paul", "M", "", "paul.martin@gmail.com", "", "2020-07-06 09:00",
            "Dr Durand", "Médecin généraliste")


def patient(result, patient_id=1):
    return result.patients.set_index("patient_id").loc[patient_id]


def test_adult_seen_by_a_gp_named_with_email_is_medium_and_not_notified():
    result = score(leak(ADULT_GP))
    p = patient(result)
    assert (p["dpc"], p["ei"], p["cb"], p["severity"], p["level"]) == (1, 1.0, 1.0, 2.0, "medium")
    assert not p["notify_patient"]
    assert result.summary["notify_authority"] is True
    assert len(result.notifications) == 0


@pytest.mark.parametrize("label, code", [
    ("Psychiatre", "psychiatry"), ("Addictologue", "addiction"),
    ("CeGIDD", "sti_hiv_screening"), ("Oncologue médical", "medical_oncology"),
    ("Infectiologue", "infectious_diseases"),
])
def test_very_sensitive_specialties_are_very_high_and_notified(label, code):
    row = ("Dupont", "Marie", "F", "06 12 34 56 78", "", "", "2020-07-06 10:00", "Dr X", label)
    result = score(leak(row))
    p = patient(result)
    assert (p["top_specialty"], p["level"], bool(p["notify_patient"])) == (code, "very_high", True)
    assert result.notifications.loc[0, "channel"] == "sms"
    assert result.notifications.loc[0, "contact"] == "+33612345678"


def test_recurrent_psychologist_visits_raise_to_very_high():
    visits = [("Leroy", "Anne", "F", "", "a.leroy@free.fr", "", day, "Mme Blanc", "Psychologue")
              for day in ("2020-05-04 18:00", "2020-05-25 18:00", "2020-06-15 18:00")]
    p = patient(score(leak(*visits)))
    assert (p["n_records"], p["dpc_base"], p["dpc"], p["level"]) == (3, 3, 4, "very_high")
    assert "DPC_RECURRENT" in p["reasons"]


def test_family_sharing_one_email_is_three_patients_and_the_contact_is_marked_shared():
    rows = [("Petit", first, sex, "06 11 22 33 44", "famille.petit@orange.fr", born,
             "2020-07-0%d 10:00" % day, "Dr Roux", label)
            for first, sex, born, day, label in [
                ("Claire", "F", "", 1, "Gynécologue"),
                ("Hugo", "M", "03/04/2012", 2, "Pédiatre"),
                ("Léa", "F", "05/06/2015", 3, "Pédopsychiatre")]]
    result = score(leak(*rows))
    assert result.patients["patient_id"].tolist() == [1, 2, 3]
    assert result.patients["shared_contact"].all()
    lea = patient(result, 3)
    assert lea["minor"] and "DPC_MINOR" in lea["reasons"] and lea["level"] == "very_high"
    note = result.notifications.set_index("patient_id").loc[3]
    assert note["addressee"] == "legal_guardian" and note["shared_contact"]


def test_a_minor_seen_by_a_gp_is_raised_to_high():
    row = ("Petit", "Hugo", "M", "06 11 22 33 44", "", "03/04/2012", "2020-07-02 10:00",
           "Dr Roux", "Médecin généraliste")
    p = patient(score(leak(row)))
    assert (p["dpc_base"], p["dpc"], p["severity"], p["level"]) == (1, 2, 3.0, "high")


def test_unknown_specialty_is_scored_as_high_and_flagged():
    row = ("Dupont", "Marie", "F", "", "m.dupont@free.fr", "", "2020-07-06", "X", "Toilettage canin")
    result = score(leak(row))
    p = patient(result)
    assert (p["dpc"], p["level"]) == (3, "very_high")
    assert "SPECIALTY_UNKNOWN" in p["reasons"]
    assert "SPECIALTY_UNKNOWN" in result.appointments.loc[0, "reasons"]


def test_blank_specialty_takes_the_practitioners_specialty():
    rows = [("A", "B", "F", "", "a@b.fr", "", "2020-07-06", "Dr Nox", "Psychiatre"),
            ("C", "D", "M", "", "c@d.fr", "", "2020-07-07", "Dr Nox", "")]
    result = score(leak(*rows))
    assert result.appointments["specialty_code"].tolist() == ["psychiatry", "psychiatry"]
    assert result.appointments["specialty_match"].tolist() == ["exact", "practitioner"]


def test_unintelligible_data_exempts_patients_from_notification():
    row = ("Dupont", "Marie", "F", "", "m.dupont@free.fr", "", "2020-07-06", "X", "Psychiatre")
    result = score(leak(row), Incident(unintelligible=True))
    p = patient(result)
    assert (p["ei"], p["cb"], p["severity"], p["level"]) == (0.25, 0.0, 1.0, "low")
    assert not p["notify_patient"] and result.summary["notify_authority"] is False
    assert "EXEMPT_UNINTELLIGIBLE" in p["reasons"]  # readable, it would be very high


def test_unread_labels_do_not_count_as_recurrent_visits():
    visits = [("Leroy", "Anne", "F", "", "a.leroy@free.fr", "", day, "X", "Toilettage")
              for day in ("2020-05-04", "2020-05-25", "2020-06-15")]
    p = patient(score(leak(*visits)))
    assert (p["dpc_base"], p["dpc"]) == (3, 3) and "DPC_RECURRENT" not in p["reasons"]


def test_policy_threshold_decides_who_is_told():
    result = score(leak(ADULT_GP), Incident(policy=Policy(notify_patient_at="medium")))
    assert bool(patient(result)["notify_patient"])
    assert result.notifications.loc[0, "channel"] == "email"


def test_patient_with_no_usable_contact_goes_to_public_communication():
    row = ("Dupont", "Marie", "F", "12", "marie@", "", "2020-07-06", "X", "Psychiatre")
    result = score(leak(row))
    assert patient(result)["channel"] == "public"
    assert "FIELD_EMAIL_INVALID" in result.appointments.loc[0, "reasons"]
    assert "FIELD_PHONE_INVALID" in result.appointments.loc[0, "reasons"]


def test_empty_records_are_rejected_with_their_row():
    empty = ("",) * len(COLUMNS)
    result = score(leak(ADULT_GP, empty, ADULT_GP))
    assert result.rejected["row"].tolist() == [2]
    assert result.appointments["row"].tolist() == [1, 3]
    assert result.summary["records_in"] == 3


def test_explanations_say_why_in_a_sentence():
    text = patient(score(leak(ADULT_GP)))["explanation"]
    assert text.startswith("Severity 2.00 (medium): a visit to General practice (DPC 1)")
    assert "identifiable by name and e-mail (EI 1)" in text


SPECIALTIES = ["Psychiatre", "Médecin généraliste", "Gynécologue", "Kinésithérapeute",
               "Oncologue médical", "Toilettage", ""]
row_strategy = st.tuples(
    st.sampled_from(["Martin", "Bernard", "Petit", ""]), st.sampled_from(["Léa", "Paul", ""]),
    st.sampled_from(["F", "M", ""]), st.sampled_from(["06 12 34 56 78", "0711223344", "12", ""]),
    st.sampled_from(["a@b.fr", "martin@free.fr", "bad@", ""]),
    st.sampled_from(["01/02/2010", "1980-05-06", ""]),
    st.sampled_from(["2020-06-01 10:00", "2020-07-15", "soon", ""]),
    st.sampled_from(["Dr A", "Dr B", ""]), st.sampled_from(SPECIALTIES))


@settings(max_examples=40, deadline=None)
@given(st.lists(row_strategy, min_size=1, max_size=30))
def test_every_record_is_scored_or_rejected_and_se_is_dpc_times_ei_plus_cb(rows):
    result = score(leak(*rows))
    s = result.summary
    assert s["records_in"] == len(rows) == s["records_scored"] + s["records_rejected"]
    assert sorted(result.appointments["row"].tolist() + result.rejected["row"].tolist()) == \
        list(range(1, len(rows) + 1))
    p = result.patients
    assert ((p["dpc"] * p["ei"] + p["cb"]).round(4) == p["severity"]).all()
    assert p["dpc"].between(1, 4).all() and p["ei"].isin([0.25, 0.5, 0.75, 1.0]).all()


@settings(max_examples=30, deadline=None)
@given(st.lists(row_strategy, min_size=1, max_size=30), st.randoms(use_true_random=False))
def test_shuffling_input_rows_changes_no_patients_severity(rows, rnd):
    before = score(leak(*rows))
    order = list(range(len(rows)))
    rnd.shuffle(order)
    shuffled = leak(*rows).iloc[order].reset_index(drop=True)
    shuffled.insert(0, "row", [i + 1 for i in order])  # keep each record's own row number
    after = score(shuffled)

    def by_row(result):
        level = result.patients.set_index("patient_id")[["severity", "level"]]
        joined = result.appointments.join(level, on="patient_id")
        return joined.set_index("row")[["severity", "level"]].sort_index()

    pd.testing.assert_frame_equal(by_row(before), by_row(after))


def test_pseudonymised_leak_is_scored_from_quasi_identifiers_with_msus():
    frame = pd.DataFrame({
        "Sexe": ["F", "F", "M", "M"], "Code postal": ["69003", "69003", "69003", "75011"],
        "Date de naissance": ["12/03/1987", "12/03/1987", "01/01/1990", "01/01/1990"],
        "Spécialité": ["Oncologue médical", "Oncologue médical", "Psychiatre", "Pédiatre"]})
    result = score(frame)
    a = result.appointments
    # The two women are alike on every key: fk 2, risk 1/2, and their group
    # reveals a single category (oncology): a homogeneity attack.
    assert a["qi_fk"].tolist() == [2, 2, 1, 1]
    assert a["qi_risk"].tolist() == [0.5, 0.5, 1.0, 1.0]
    assert a["reasons"].str.contains("INFERENCE_HOMOGENEOUS").tolist() == [True, True, False, False]
    assert a.loc[2, "msus"] != "" and a.loc[0, "msus"] == ""
    p = result.patients.set_index("patient_id")
    assert p["ei_reason"].tolist() == ["EI_QI_HIGH"] * 4
    assert "unique on" in p.loc[3, "explanation"]
    assert result.summary["reidentification"]["sample_uniques"] == 2


def test_population_weights_lower_the_quasi_identifier_risk():
    frame = pd.DataFrame({"Sexe": ["F", "M"], "Code postal": ["69003", "69003"],
                          "Spécialité": ["Psychiatre", "Psychiatre"]})
    assert score(frame).appointments["qi_risk"].tolist() == [1.0, 1.0]
    weighted = score(frame, population=2000).appointments["qi_risk"]
    assert (weighted < 0.01).all()


def test_the_raw_records_are_freed_once_normalised():
    """At ten million records the raw text is 1.7 GB: it must not live to the end."""
    import pyarrow as pa

    from exposure.progress import Progress

    class Watch(Progress):
        arrow_bytes_at_enrich = 0

        def started(self, name, records):
            if name == "enrich":
                Watch.arrow_bytes_at_enrich = pa.total_allocated_bytes()

    rows = 2_000
    frames = [pd.DataFrame({"Nom": ["Dupont"] * rows, "Spécialité": ["Psychiatre"] * rows,
                            "Commentaire": [f"{i:05d}" + "x" * 5_000 for i in range(rows)]})]
    raw_bytes = pa.total_allocated_bytes()
    assert raw_bytes > 10_000_000  # the unmapped column alone
    score(frames.pop(), progress=Watch())
    assert Watch.arrow_bytes_at_enrich < raw_bytes / 2


def test_the_raw_text_is_freed_before_the_string_work(monkeypatch):
    """Encoded, the text as read is not needed: the normalisers run without it."""
    import pyarrow as pa

    from exposure import prepare

    seen = {}
    real = prepare._Roles.normalised.__func__

    def watched(cls, raw, n_records, pool):
        seen["arrow_bytes"] = pa.total_allocated_bytes()
        return real(cls, raw, n_records, pool)

    monkeypatch.setattr(prepare._Roles, "normalised", classmethod(watched))
    rows = 2_000
    frames = [pd.DataFrame({"Nom": ["Dupont"] * rows, "Spécialité": ["Psychiatre"] * rows,
                            "Inutile": [f"{i:05d}" + "x" * 5_000 for i in range(rows)]})]
    raw_bytes = pa.total_allocated_bytes()
    assert raw_bytes > 10_000_000  # the unmapped column alone
    score(frames.pop())
    assert seen["arrow_bytes"] < raw_bytes / 2
