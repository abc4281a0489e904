"""summary.json "art33": the Art. 33(3) items as structured fields, consistent with the rest."""

import pandas as pd
import pytest

from exposure import Incident, score
from exposure.art33 import approximately
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
