"""What a synthetic leak looks like: a spec for :func:`exposure.synth.synthesize`."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exposure.errors import ParameterError
from exposure.synth import COLUMNS, SCENARIOS, SyntheticLeak, synthesize

HEADERS = ["Nom", "Prénom", "Sexe", "Téléphone", "Email", "Date de naissance",
           "Date du rendez-vous", "Praticien", "Spécialité"]

# Canonical codes of reference/specialties.md section 5 that a booking platform's mix uses.
CANONICAL = {
    "general_practice", "dentist", "physiotherapist", "ophthalmology", "dermatology",
    "pediatrics", "medical_gynecology", "obstetrics_gynecology", "midwife", "radiology",
    "cardiology", "ent", "psychologist", "osteopath", "psychiatry", "medical_oncology",
    "radiation_oncology", "addiction", "sti_hiv_screening", "infectious_diseases",
    "sexual_health_centre", "mental_health_facility", "child_psychiatry", "speech_therapist",
    "orthodontics", "rheumatology", "gastroenterology_hepatology", "endocrinology_diabetology",
    "pulmonology", "neurology", "urology", "allergology", "orthopedic_surgery",
    "vascular_medicine", "podiatrist", "dietitian",
}
TABLE = Path(__file__).resolve().parent.parent / "data" / "specialty_sensitivity.csv"


@pytest.fixture(scope="module")
def leak() -> SyntheticLeak:
    return synthesize()


def _appointments(records: pd.DataFrame) -> pd.Series:
    col = records["Date du rendez-vous"]
    iso = pd.to_datetime(col, format="%Y-%m-%d %H:%M", errors="coerce")
    return iso.fillna(pd.to_datetime(col, format="%d/%m/%Y %H:%M", errors="coerce"))


def _email_key(records: pd.DataFrame) -> pd.Series:
    e = records["Email"].str.strip().str.lower()
    return e.where(e.str.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+"))


def _phone_key(records: pd.DataFrame) -> pd.Series:
    d = records["Téléphone"].str.replace(r"\D", "", regex=True)
    d = d.str.replace(r"^(0033|33)", "0", regex=True)
    return d.where(d.str.fullmatch(r"0[1-9]\d{8}") & ~records["Téléphone"].str.contains("[A-Za-z]"))


# --- shape ---------------------------------------------------------------------------------------

def test_default_is_the_2020_incident(leak):
    assert SCENARIOS == ("leak-2020",)
    assert len(leak.records) == len(leak.truth) == 6128


def test_headers_are_the_french_export_headers_in_order(leak):
    assert list(leak.records.columns) == HEADERS == list(COLUMNS)
    assert list(leak.truth.columns) == ["person_id", "specialty_code", "is_minor", "booked_by"]


def test_every_cell_is_a_string_and_missing_is_empty(leak):
    assert not leak.records.isna().any().any()
    for col in HEADERS:
        assert all(isinstance(x, str) for x in leak.records[col])


def test_truth_is_aligned_and_typed(leak):
    t = leak.truth
    assert t.index.equals(leak.records.index)
    assert t["person_id"].dtype.kind == "i" and t["booked_by"].dtype.kind == "i"
    assert t["is_minor"].dtype == bool
    assert not t.isna().any().any()


def test_same_seed_same_bytes_other_seed_other_frame():
    def csv(leak: SyntheticLeak) -> bytes:
        buf = io.BytesIO()
        pd.concat([leak.records, leak.truth], axis=1).to_csv(buf, index=False)
        return buf.getvalue()

    a, b = synthesize(rows=3000, random_state=7), synthesize(rows=3000, random_state=7)
    pd.testing.assert_frame_equal(a.records, b.records)
    pd.testing.assert_frame_equal(a.truth, b.truth)
    assert csv(a) == csv(b)
    assert csv(a) != csv(synthesize(rows=3000, random_state=8))


@settings(max_examples=40, deadline=None)
@given(rows=st.integers(1, 500), seed=st.integers(0, 2**32 - 1))
def test_any_size_and_seed_gives_exactly_that_many_complete_rows(rows, seed):
    leak = synthesize(rows=rows, random_state=seed)
    assert len(leak.records) == len(leak.truth) == rows
    assert not leak.records.isna().any().any() and not leak.truth.isna().any().any()
    assert set(leak.truth["specialty_code"]) <= CANONICAL


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"rows": 0}, r"The 'rows' parameter of synthesize must be an int >= 1\. Got 0 instead\."),
    ({"rows": 2.5}, r"'rows' parameter .* Got 2\.5 instead"),
    ({"rows": True}, r"'rows' parameter"),
    ({"scenario": "leak-2021"}, r"'scenario' parameter .* Got 'leak-2021' instead"),
    ({"random_state": -1}, r"'random_state' parameter .* Got -1 instead"),
], ids=["rows-zero", "rows-float", "rows-bool", "unknown-scenario", "negative-seed"])
def test_bad_parameters_are_refused(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        synthesize(**kwargs)


# --- specialties ---------------------------------------------------------------------------------

def test_specialty_codes_are_canonical(leak):
    assert set(leak.truth["specialty_code"]) <= CANONICAL


@pytest.mark.skipif(not TABLE.exists(), reason="data/specialty_sensitivity.csv not written yet")
def test_specialty_codes_are_in_the_shipped_table(leak):
    codes = set(pd.read_csv(TABLE, dtype=str)["code"])
    assert set(leak.truth["specialty_code"]) <= codes


@pytest.mark.parametrize(("codes", "low", "high"), [
    (["general_practice"], 0.30, 0.45),
    (["psychiatry"], 0.02, 0.06),
    (["medical_oncology", "radiation_oncology"], 0.01, 0.04),
    (["addiction"], 0.002, 0.02),
    (["sti_hiv_screening", "infectious_diseases"], 0.002, 0.015),
], ids=["general-practice-dominant", "psychiatry-minority", "oncology", "addiction", "sti-hiv"])
def test_specialty_mix_of_a_booking_platform(leak, codes, low, high):
    share = leak.truth["specialty_code"].isin(codes).mean()
    assert low <= share <= high


def test_one_practitioner_one_label(leak):
    r = leak.records.assign(code=leak.truth["specialty_code"])
    labels = r.groupby(["Praticien", "code"])["Spécialité"].nunique()
    assert (labels == 1).mean() >= 0.98  # two "Dr. Martin" of one specialty may collide
    # and a specialty is written in several ways across practitioners
    assert r.loc[r["code"] == "general_practice", "Spécialité"].nunique() >= 5


def test_most_labels_are_standard_names_some_empty(leak):
    label = leak.records["Spécialité"]
    assert 0.0 < (label == "").mean() < 0.03
    assert label.str.fullmatch(r"(?i)psychiatre").any()
    assert label.str.upper().eq(label).sum() > 0  # some written in capitals


# --- people and time -----------------------------------------------------------------------------

def test_appointments_in_the_window_sorted_business_hours(leak):
    when = _appointments(leak.records)
    assert when.notna().all()
    assert when.is_monotonic_increasing
    assert when.min() >= pd.Timestamp("2020-05-12 08:00")
    assert when.max() <= pd.Timestamp("2020-07-21 20:00")
    assert (when.dt.day_of_week != 6).all()
    assert when.dt.hour.between(8, 19).all()
    assert leak.records["Date du rendez-vous"].str.match(r"\d\d/\d\d/\d{4} ").any()


def test_chronic_patients_come_back_over_weeks(leak):
    t = leak.truth.assign(when=_appointments(leak.records))
    chronic = t[t["specialty_code"].isin(["psychiatry", "medical_oncology"])]
    per = chronic.groupby(["person_id", "specialty_code"])["when"].agg(["size", "min", "max"])
    long = per[(per["size"] >= 3) & (per["max"] - per["min"] >= pd.Timedelta(days=30))]
    assert len(long) >= 5


def test_a_person_keeps_one_name_across_visits(leak):
    names = leak.records.groupby(leak.truth["person_id"])[["Nom", "Prénom"]].nunique()
    assert (names == 1).all().all()
    assert leak.truth["person_id"].value_counts().max() >= 3


def test_children_are_booked_with_a_parents_contact(leak):
    r, t = leak.records, leak.truth
    assert 0.06 <= t["is_minor"].mean() <= 0.14
    kids = t["is_minor"] & (t["booked_by"] != t["person_id"])
    assert kids.sum() > 100
    assert (r.loc[t["is_minor"], "Date de naissance"] != "").all()
    # where the parent has appointments too, the child's e-mail is the parent's
    email = _email_key(r)
    own = t["booked_by"] == t["person_id"]
    parents = pd.DataFrame({"owner": t["person_id"], "email": email})[own]
    kid = pd.DataFrame({"owner": t["booked_by"], "email": email})[kids]
    both = kid.merge(parents.drop_duplicates(), on="owner", suffixes=("_kid", "_parent")).dropna()
    assert len(both) > 0 and (both["email_kid"] == both["email_parent"]).all()


def test_a_valid_contact_belongs_to_one_owner(leak):
    t = leak.truth
    for key in (_email_key(leak.records), _phone_key(leak.records)):
        assert key.notna().mean() > 0.85
        assert (t["booked_by"].groupby(key).nunique() == 1).all()
    # and some owners book for several people: a family shares one contact
    assert (t.groupby("booked_by")["person_id"].nunique() > 1).any()


def test_contacts_are_written_the_ways_people_write_them(leak):
    r = leak.records
    phone, email = r["Téléphone"], r["Email"]
    for pattern in (r"0[67] \d\d \d\d \d\d \d\d", r"0[1-9]\d{8}", r"\+33 [1-9]( \d\d){4}",
                    r"\+33[1-9]\d{8}", r"0[1-9](\.\d\d){4}"):
        assert phone.str.fullmatch(pattern).any(), pattern
    assert 0.01 < (phone == "").mean() < 0.06
    assert 0.01 < (email == "").mean() < 0.09
    assert email.str.endswith("@").any()  # a few invalid: "marie.dupont@", "marie.dupontgmail.com"
    assert ((email != "") & ~email.str.contains("@")).any()
    assert (email != email.str.strip()).any() and (email != email.str.lower()).any()
    assert email.str.contains(r"@(?:gmail\.com|orange\.fr|free\.fr|wanadoo\.fr)$").mean() > 0.4
    assert not email.str.contains(r"[éèêàçëïô]", regex=True).any()
    named = [e.startswith(re.sub(r"[^a-z]", "", p.lower())[:3])
             for e, p in zip(email, r["Prénom"], strict=True)]
    assert 0.3 < np.mean(named) < 0.9


def test_sex_and_birth_date_formats(leak):
    r = leak.records
    assert set(r["Sexe"]) == {"F", "M", "Femme", "Homme", ""}
    assert r["Sexe"].isin(["F", "M"]).mean() > 0.85
    born = r["Date de naissance"]
    assert 0.30 <= (born != "").mean() <= 0.50
    assert born.str.fullmatch(r"\d\d/\d\d/\d{4}|\d{4}-\d\d-\d\d|").all()
    french = born.str.fullmatch(r"\d\d/\d\d/\d{4}")
    assert french.sum() > born.str.fullmatch(r"\d{4}-\d\d-\d\d").sum() > 0
