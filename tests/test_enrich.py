"""The enrich stage: compact columns, and its shortcuts equal the plain computations."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exposure._keys import encode_keys, key_frequencies
from exposure.columns import map_columns
from exposure.diversity import homogeneity
from exposure.enrich import _minor, enrich, with_identifiability, with_specialty
from exposure.identify import email_contains_name, identifiability
from exposure.incident import Incident
from exposure.prepare import prepare_records
from exposure.quasi import assess_quasi_identifiers
from exposure.reidentification import _bf_risk, dataset_risk
from exposure.specialty import (
    MATCH_DTYPE,
    fill_from_practitioner,
    load_specialty_table,
    lookup_specialties,
    practitioner_specialties,
)
from exposure.suda import suda
from exposure.synth import synthesize

TABLE = load_specialty_table()


@pytest.fixture(scope="module")
def enriched():
    frame = synthesize(rows=400, random_state=3).records
    frame = frame.assign(row=np.arange(1, len(frame) + 1))
    mapping = map_columns(frame, None, source="leak")
    records, _ = prepare_records(frame, mapping)
    return enrich(records.reset_index(drop=True), mapping, Incident(), None)


# --- compact columns ------------------------------------------------------------------------

@pytest.mark.parametrize("column", ["specialty_code", "specialty_match", "tier", "categories",
                                    "primary_category", "msus"])
def test_low_cardinality_text_is_categorical_with_sorted_categories(enriched, column):
    values = enriched[0][column]
    assert isinstance(values.dtype, pd.CategoricalDtype)
    categories = values.cat.categories.tolist()
    assert categories == sorted(categories)


def test_numbers_are_as_small_as_their_range_and_written_floats_stay_float64(enriched):
    records = enriched[0]
    assert records["dpc"].dtype == np.int8 and records["qi_fk"].dtype == np.int32
    for column in ("specialty_confidence", "qi_risk", "ei"):
        assert records[column].dtype == np.float64


def test_specialty_columns_are_the_table_values_of_the_code(enriched):
    records = enriched[0]
    rows = TABLE.rows.loc[records["specialty_code"].astype(str)]
    assert records["tier"].astype(str).tolist() == rows["tier"].tolist()
    assert records["categories"].astype(str).tolist() == rows["categories"].tolist()
    assert (records["primary_category"].astype(str).tolist()
            == rows["categories"].str.split("|").str[0].tolist())


def test_with_specialty_reads_text_codes_too():
    codes = pd.Series(["psychiatry", "general_practice", "unknown"], dtype="str")
    out = with_specialty(pd.DataFrame({"specialty_code": codes}), TABLE)
    assert out["dpc"].tolist() == [4, 1, 3]
    assert out["tier"].astype(str).tolist() == ["very_high", "low", "high"]


def test_readings_of_separate_label_lists_concatenate_as_categoricals():
    first = lookup_specialties(pd.Series(["Psychiatre"]))
    second = lookup_specialties(pd.Series(["", "Cardiologue"]))
    both = pd.concat([first, second], ignore_index=True)
    assert both["specialty_code"].dtype == TABLE.code_dtype
    assert both["specialty_match"].dtype == MATCH_DTYPE


# --- specialty labels: the model reads each text once, and only when needed --------------

class _Spy:
    """The shipped model, recording the texts it is asked about."""

    def __init__(self, model):
        self.model, self.asked = model, []

    def __getattr__(self, name):
        return getattr(self.model, name)

    def predict_proba(self, texts):
        self.asked.extend(texts)
        return self.model.predict_proba(texts)


def test_a_label_is_given_whole_to_the_model_only_when_no_designation_is_read():
    from exposure.model_store import load_normalizer
    spy = _Spy(load_normalizer())
    reading = lookup_specialties(pd.Series(["Dr Martin - psychiatre",
                                            "Centre de dépistage - anonyme et gratuit"]),
                                 TABLE, spy)
    assert reading["specialty_code"].astype(str).tolist() == ["psychiatry", "sti_hiv_screening"]
    assert "dr martin psychiatre" not in spy.asked
    assert "centre de depistage anonyme et gratuit" in spy.asked
    assert len(spy.asked) == len(set(spy.asked))


# --- practitioner fill: counting their practitioners only ----------------------------------

codes = st.sampled_from(["psychiatry", "cardiology", "general_practice", "unknown", None])


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.tuples(codes, st.sampled_from(["dr a", "dr b", "dr c", None])),
                     min_size=1, max_size=30))
def test_filling_from_the_practitioner_counts_as_over_every_record(rows):
    code, practitioner = map(list, zip(*rows))
    specialty = pd.DataFrame({
        "specialty_code": pd.Categorical([c or "unknown" for c in code], dtype=TABLE.code_dtype),
        "specialty_confidence": [0.0 if c in (None, "unknown") else 1.0 for c in code],
        "specialty_match": pd.Categorical(["missing" if c is None else "exact" for c in code],
                                          dtype=MATCH_DTYPE)})
    practitioner = pd.Series(practitioner, dtype="str")
    known = (specialty["specialty_code"] != "unknown") & practitioner.notna()
    counts = (pd.DataFrame({"practitioner": practitioner[known],
                            "code": specialty.loc[known, "specialty_code"].astype(str)})
              .value_counts().rename("n").reset_index())
    by_practitioner = (practitioner_specialties(counts, TABLE) if len(counts)
                       else pd.Series([], dtype="str"))
    expected = fill_from_practitioner(specialty, practitioner, TABLE,
                                      by_practitioner=by_practitioner)
    pd.testing.assert_frame_equal(fill_from_practitioner(specialty, practitioner, TABLE),
                                  expected)


# --- quasi-identifiers: one encoding of the keys, the same measures --------------------------

def _assessed_plainly(quasi, direct, sensitive, population):
    """The measures as each public function gives them, on its own."""
    keys, n = list(quasi), len(quasi)
    weights = None if population is None else np.full(n, population / n)
    fk, fw = key_frequencies(*encode_keys(quasi, keys), weights, "wildcard")
    risk = 1.0 / fk if weights is None else _bf_risk(fk, fw, "approx")
    msus = np.where(direct.to_numpy(), "", suda(quasi, keys)["msus"].to_numpy())
    groups = homogeneity(quasi.assign(_sensitive=sensitive.to_numpy()), keys, "_sensitive")
    homogeneous = groups["homogeneous"].to_numpy() & sensitive.notna().to_numpy() & (fk >= 2)
    frame = pd.DataFrame({"fk": fk, "risk": risk})
    return frame, msus, homogeneous, dataset_risk(frame)


value = st.sampled_from(["a", "b", "c", None, "", " "])
record = st.tuples(value, st.sampled_from([1980, 1990, None]), value,
                   st.sampled_from([None, "", "mental_health", "oncology"]), st.booleans())


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(record, min_size=1, max_size=40), weighted=st.booleans())
def test_quasi_identifier_measures_equal_the_public_functions(rows, weighted):
    sex, year, postal, sensitive, direct = map(list, zip(*rows))
    quasi = pd.DataFrame({"sex": pd.Series(sex, dtype="str"),
                          "birth_year": pd.array(year, dtype="Int64"),
                          "postal_code": pd.Series(postal, dtype="str")})
    sensitive, direct = pd.Series(sensitive, dtype="str"), pd.Series(direct)
    population = 7 * len(rows) + 3 if weighted else None
    got, measures = assess_quasi_identifiers(quasi, direct=direct, sensitive=sensitive,
                                             population=population)
    risk, msus, homogeneous, summary = _assessed_plainly(quasi, direct, sensitive, population)
    assert got["qi_fk"].tolist() == risk["fk"].astype(int).tolist()
    assert np.array_equal(got["qi_risk"].to_numpy(), risk["risk"].to_numpy())
    assert got["msus"].astype(str).tolist() == msus.tolist()
    assert got["inference_homogeneous"].tolist() == homogeneous.tolist()
    assert measures["expected_reidentifications"] == summary.expected_reidentifications
    assert (measures["sample_uniques"], measures["min_k"]) == (summary.sample_uniques,
                                                               summary.min_k)


# --- identifiability: the e-mail search only where it can decide -----------------------------

person = st.tuples(st.sampled_from([None, "dupont", "ng"]), st.booleans(),
                   st.sampled_from([None, "mdupont75@orange.fr", "marie.dupont@free.fr",
                                    "loulou@free.fr"]),
                   st.booleans(), st.booleans(), st.floats(0, 1))


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(person, min_size=1, max_size=20), unintelligible=st.booleans())
def test_identifiability_equals_searching_every_email(rows, unintelligible):
    last, named, email, phone, nir, risk = map(list, zip(*rows))
    records = pd.DataFrame({
        "last_name": pd.Series(last, dtype="str"),
        "name": pd.Series([f"{n} x" if n and full else None for n, full in zip(last, named)],
                          dtype="str"),
        "email": pd.Series(email, dtype="str"),
        "phone": pd.Series(["0612345678" if p else None for p in phone], dtype="str"),
        "nir": pd.Series(["1" if n else None for n in nir], dtype="str"),
        "address": pd.Series([None] * len(rows), dtype="str"),
        "birth_date": pd.to_datetime([None] * len(rows)),
        "appointment_at": pd.to_datetime(["2020-07-06"] * len(rows)),
        "age": np.nan, "qi_risk": risk})
    got = with_identifiability(records, Incident(unintelligible=unintelligible))
    expected = identifiability(
        has_name=records["name"].notna(), email=records["email"].notna(),
        email_named=email_contains_name(records["email"], records["last_name"]),
        phone=records["phone"].notna(), birth_date=records["birth_date"].notna(),
        nir=records["nir"].notna(), risk=records["qi_risk"], address=records["address"].notna())
    column = "ei_readable" if unintelligible else "ei"
    assert got[column].tolist() == expected["ei"].tolist()
    if not unintelligible:
        assert got["ei_reason"].tolist() == expected["ei_reason"].tolist()


# --- minors ---------------------------------------------------------------------------------

stamps = st.one_of(st.none(), st.datetimes(min_value=pd.Timestamp("1990-01-01").to_pydatetime(),
                                           max_value=pd.Timestamp("2030-01-01").to_pydatetime()))


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.tuples(stamps, stamps, st.sampled_from([np.nan, 5.0, 17.0, 18.0])),
                     min_size=1, max_size=20))
def test_minor_is_the_age_in_days_over_the_mean_year(rows):
    appointment, birth, age = map(list, zip(*rows))
    records = pd.DataFrame({"appointment_at": pd.to_datetime(appointment).as_unit("us"),
                            "birth_date": pd.to_datetime(birth).as_unit("us"), "age": age})
    age_at = (records["appointment_at"] - records["birth_date"]).dt.days / 365.2425
    expected = ((age_at < 18) | (records["age"] < 18)).fillna(False).astype(bool)
    assert _minor(records).tolist() == expected.tolist()


def test_eighteenth_birthday_is_the_first_adult_day():
    records = pd.DataFrame({
        "appointment_at": pd.to_datetime(["2020-07-05 23:59", "2020-07-06 00:00"]),
        "birth_date": pd.to_datetime(["2002-07-06", "2002-07-06"]), "age": np.nan})
    assert _minor(records).tolist() == [True, False]
