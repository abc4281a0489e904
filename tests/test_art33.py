"""summary.json "art33": the Art. 33(3) items as structured fields, consistent with the rest."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exposure import Incident, score
from exposure.art33 import (
    _count_by_category,
    _patients_per_category,
    appointments_over_time,
    approximately,
    art33_items,
    level_crosstab,
    revealed_categories,
)
from exposure.decide import decide_authority
from exposure.incident import LEVELS
from exposure.report.stats import proportion

COLUMNS = ["Nom", "Prénom", "Email", "Date de naissance", "Date du rendez-vous", "Spécialité"]
ROWS = [
    ("Dupont", "Marie", "marie.dupont@gmail.com", "1980-01-01", "2020-07-06 10:00", "Psychiatre"),
    ("Dupont", "Marie", "marie.dupont@gmail.com", "1980-01-01", "2020-07-20 10:00", "Psychiatre"),
    ("Martin", "Paul", "paul.martin@free.fr", "2012-01-01", "2020-07-07 09:00",
     "Médecin généraliste"),
    ("Roux", "Léa", "", "", "", "Toilettage canin"),
]


@pytest.fixture(scope="module")
def result():
    leak = pd.DataFrame([dict(zip(COLUMNS, r)) for r in ROWS], columns=COLUMNS)
    return score(leak, Incident(dpo_contact="dpo@example.org"))


def test_existing_keys_keep_their_meaning(result):
    art = result.summary["art33"]
    assert art["reason"] == "ART33_RISK" and art["threshold"] == "medium"
    assert art["patients_at_or_above"] == 3 and art["explanation"].startswith("Notify")


def test_subjects_and_records_match_the_summary(result):
    art, s = result.summary["art33"], result.summary
    assert art["data_subjects"]["count"] == s["patients"] == 3
    assert art["data_subjects"]["to_notify"] == s["patients_to_notify"]
    assert art["data_subjects"]["by_level"] == s["levels"]
    assert art["data_subjects"]["minors"] == 1
    assert art["personal_data_records"] == {"category": "appointments", "count": 4,
                                            "approximate": 4}


def test_data_categories_count_records_holding_each_kind(result):
    kinds = {k["code"]: k["records"] for k in result.summary["art33"]["data_categories"]}
    assert kinds == {"name": 4, "birth_date": 3, "email": 3, "appointment": 3, "specialty": 4}


def test_consequences_by_revealed_category_most_revealing_first(result):
    likely = result.summary["art33"]["likely_consequences"]
    assert likely["health_data"] is True
    codes = [c["category"] for c in likely["by_category"]]
    assert codes == ["mental_health", "unknown", "none"]
    mental = likely["by_category"][0]
    assert (mental["patients"], mental["records"], mental["dpc_max"]) == (1, 2, 4)
    assert "santé mentale" in mental["text"]


def test_nature_measures_and_dpo(result):
    art = result.summary["art33"]
    assert art["nature"]["breach_types"] == ["confidentiality"]
    assert art["nature"]["malicious"] is True and "malveillant" in art["nature"]["text"]
    assert art["dpo_contact"] == {"text": "dpo@example.org", "to_complete": False}
    assert art["measures"]["to_complete"] is True


def test_timeline_counts_dated_appointments_by_day_and_level(result):
    timeline = result.summary["timeline"]
    assert timeline["unit"] == "day" and timeline["undated_records"] == 1
    assert (timeline["first"], timeline["last"]) == ("2020-07-06", "2020-07-20")
    total = sum(sum(v for k, v in c.items() if k != "period") for c in timeline["counts"])
    assert total == 3


def test_english_text_fields():
    leak = pd.DataFrame([dict(zip(COLUMNS, ROWS[0]))])
    art = score(leak, language="en").summary["art33"]
    assert art["language"] == "en" and "malicious" in art["nature"]["text"]
    assert art["measures"]["text"] == "[to complete: measures taken or proposed]"


@pytest.mark.parametrize("count, expected", [(0, 0), (99, 99), (100, 100), (149, 150),
                                             (6158, 6200), (491_840, 490_000)])
def test_approximate_numbers_keep_two_significant_figures(count, expected):
    assert approximately(count) == expected


@pytest.mark.parametrize("k, n, low, high", [(0, 10, 0.0, 0.2775), (10, 10, 0.7225, 1.0),
                                             (50, 100, 0.4038, 0.5962)])
def test_wilson_interval_matches_published_values(k, n, low, high):
    p = proportion(k, n)
    assert (round(p.low, 4), round(p.high, 4)) == (low, high)


# The versions that split each record's categories, and formatted each
# record's period, in Python: the oracles of the code-based ones.
def _reference_revealed(frame):
    text = frame["categories"].fillna("").astype(str)
    text = text.where(text != "", "none").where(frame["specialty_code"] != "unknown", "unknown")
    out = frame.assign(category=text.str.split("|")).explode("category")
    return out.reset_index(drop=True).astype({"category": "str"})


def _reference_timeline_table(records, patients):
    level = records["patient_id"].map(patients.set_index("patient_id")["level"])
    dated = records["appointment_at"].notna()
    when = records.loc[dated, "appointment_at"].dt.normalize()
    span = (when.max() - when.min()).days
    if span <= 92:
        period = when
    elif span <= 731:
        period = when - pd.to_timedelta(when.dt.day_of_week, unit="D")
    else:
        period = when.dt.to_period("M").dt.to_timestamp()
    table = pd.crosstab(period.dt.strftime("%Y-%m-%d"), level[dated]).reindex(
        columns=list(LEVELS), fill_value=0).sort_index()
    return [{"period": str(p), **{lv: int(n) for lv, n in row.items()}}
            for p, row in table.iterrows()]


_CATEGORIES = st.sampled_from(["", None, "mental_health", "mental_health|child", "a||b", "|",
                               "child|mental_health", "Éthique"])
_CODES = st.sampled_from(["psychiatry", "unknown", "general_practice"])
_appointment = st.tuples(st.integers(1, 5), _CODES, _CATEGORIES, st.integers(1, 4))


def _records(rows):
    return pd.DataFrame(rows, columns=["patient_id", "specialty_code", "categories", "dpc"]
                        ).astype({"specialty_code": "str", "categories": "str"})


@settings(max_examples=150, deadline=None)
@given(st.lists(_appointment, max_size=20))
def test_revealed_categories_matches_splitting_each_record(rows):
    frame = _records(rows)
    pd.testing.assert_frame_equal(revealed_categories(frame), _reference_revealed(frame))


@settings(max_examples=100, deadline=None)
@given(st.lists(_appointment, min_size=1, max_size=20))
def test_consequences_by_category_match_grouping_the_split_records(rows):
    records = _records(rows)
    patients = pd.DataFrame({"patient_id": range(1, 6), "level": "high", "minor": False,
                             "notify_patient": True, "channel": "email"})
    verdict = decide_authority(patients["level"], Incident())
    got = art33_items(records, patients, Incident(), verdict)["likely_consequences"]
    expected = _reference_revealed(records).groupby("category").agg(
        patients=("patient_id", "nunique"), records=("patient_id", "size"),
        dpc_max=("dpc", "max"))
    expected["last"] = expected.index == "none"
    expected = expected.sort_values(["last", "dpc_max", "patients", "records"],
                                    ascending=[True, False, False, False], kind="stable")
    assert [(c["category"], c["patients"], c["records"], c["dpc_max"])
            for c in got["by_category"]] == [
        (code, row["patients"], row["records"], row["dpc_max"])
        for code, row in expected.iterrows()]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["b", "a", "é", "B", None]),
                          st.sampled_from([*LEVELS, "other", None]))))
def test_level_crosstab_is_pandas_crosstab_on_levels(pairs):
    keys = pd.Series([k for k, _ in pairs], dtype="str")
    levels = pd.Series([lv for _, lv in pairs], dtype="str")
    rows, row_names = pd.factorize(keys)
    codes, level_names = pd.factorize(levels)
    got = level_crosstab(rows, list(row_names), codes, list(level_names))
    expected = pd.crosstab(keys, levels).reindex(columns=list(LEVELS), fill_value=0)
    assert got.index.tolist() == expected.index.tolist()
    assert got.columns.tolist() == list(LEVELS)
    np.testing.assert_array_equal(got.to_numpy(), expected.to_numpy())


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 4),
                          st.one_of(st.none(), st.dates(pd.Timestamp("2019-01-01").date(),
                                                         pd.Timestamp("2022-06-30").date()))),
                min_size=1, max_size=20),
       st.lists(st.sampled_from(LEVELS), min_size=4, max_size=4))
def test_timeline_matches_formatting_each_record(rows, levels):
    records = pd.DataFrame({"patient_id": [p for p, _ in rows],
                            "appointment_at": pd.to_datetime([d for _, d in rows])})
    patients = pd.DataFrame({"patient_id": [1, 2, 3, 4], "level": levels})
    timeline = appointments_over_time(records, patients)
    if records["appointment_at"].notna().any():
        assert timeline["counts"] == _reference_timeline_table(records, patients)
    else:
        assert timeline["counts"] == []


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([3, 8, 20]), st.sampled_from(
    [("psychiatry", "mental_health"), ("pediatrics", "child|mental_health"),
     ("general_practice", ""), ("unknown", "")]), st.integers(1, 4)), max_size=20))
def test_counts_by_category_match_a_groupby(rows):
    records = pd.DataFrame([(pid, code, cats, dpc) for pid, (code, cats), dpc in rows],
                           columns=["patient_id", "specialty_code", "categories", "dpc"])
    records = records.astype({"patient_id": "int64", "specialty_code": "str",
                              "categories": "str", "dpc": "int64"})
    # The group-by it replaces.
    revealed = revealed_categories(records)
    expected = revealed.groupby("category").agg(
        patients=("patient_id", "nunique"), records=("patient_id", "size"),
        dpc_max=("dpc", "max"))
    got = _count_by_category(records)
    pd.testing.assert_frame_equal(got, expected, check_names=False, check_index_type=False)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 3)), max_size=30), st.data())
def test_patients_per_category_beyond_one_word_of_bits(pairs, data):
    # 40 categories: two words of 32 bits; each group names some of them.
    member = np.array(data.draw(st.lists(st.lists(st.booleans(), min_size=40, max_size=40),
                                         min_size=4, max_size=4)), dtype=bool)
    patient = np.array([p for p, _ in pairs], dtype=np.int64)
    group = np.array([g for _, g in pairs], dtype=np.int64)
    expected = [len({p for p, g in pairs if member[g, c]}) for c in range(40)]
    assert _patients_per_category(patient, group, member).tolist() == expected
