"""Specification of the lookup table ``data/specialty_sensitivity.csv``.

The table says what a visit to a specialty or service reveals (DESIGN.md
section 4). The column meanings, the category vocabulary, the tier
definitions and the ambiguity choices are documented in ``data/README.md``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
TABLE = DATA / "specialty_sensitivity.csv"
README = DATA / "README.md"

COLUMNS = ["code", "label_fr", "label_en", "rpps_codes", "synonyms", "categories", "tier", "source"]
TIERS = ("low", "moderate", "high", "very_high")
CATEGORIES = {
    "mental_health", "sexual_health", "hiv_sti", "substance_use", "reproductive", "pregnancy",
    "oncology", "genetic", "violence", "incarceration", "gender_identity", "cognitive",
    "developmental", "chronic_disease", "disability", "end_of_life", "child", "surgery",
    "infectious_disease", "weight", "elderly", "social_vulnerability", "cosmetic",
}
# One form per nomenclature: bare R38/R39/R40/R42/R43 codes, <TRE>_<code> for the numeric ones.
RPPS_CODE = re.compile(r"(SM|SCD|SI|SP|C|CEX|CAPA)\d{2}|DSM\d{3}|(G15|R95)_\d{2}|R356_\d{2,3}")
SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")


def fold(text: str) -> str:
    """Mirrors ``exposure.normalize.fold_text``: casefold, strip accents, collapse punctuation."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    return re.sub(r"[^0-9a-z]+", " ", stripped).strip()


def items(cell: str) -> list[str]:
    """A ``|``-separated cell as a list (empty cell -> empty list)."""
    return cell.split("|") if cell else []


ROWS = pd.read_csv(TABLE, dtype=str, keep_default_na=False)
BY_CODE = ROWS.set_index("code")
SPECIALTIES = ROWS[ROWS["code"] != "unknown"]


def forms_of(row: pd.Series) -> list[str]:
    """Every text that names the row: both labels and all synonyms."""
    return [row["label_fr"], row["label_en"], *items(row["synonyms"])]


@functools.cache
def form_index() -> dict[str, frozenset[str]]:
    """Folded form -> the codes it names."""
    index: dict[str, set[str]] = defaultdict(set)
    for _, row in SPECIALTIES.iterrows():
        for form in forms_of(row):
            index[fold(form)].add(row["code"])
    return {form: frozenset(codes) for form, codes in index.items()}


# --- shape ------------------------------------------------------------------

def test_header_is_the_documented_columns():
    assert list(ROWS.columns) == COLUMNS


def test_at_least_100_rows_one_per_code():
    assert len(ROWS) >= 100
    assert ROWS["code"].is_unique


@pytest.mark.parametrize("code", ROWS["code"])
def test_codes_are_snake_case(code):
    assert SNAKE_CASE.fullmatch(code)


def test_no_cell_has_stray_whitespace_or_empty_list_items():
    for _, row in ROWS.iterrows():
        for column in COLUMNS:
            assert row[column] == row[column].strip(), (row["code"], column)
        for column in ("rpps_codes", "synonyms", "categories"):
            assert all(item and item == item.strip() for item in items(row[column])), (row["code"], column)


def test_every_row_has_labels_and_a_source():
    for column in ("label_fr", "label_en", "source"):
        assert (ROWS[column] != "").all(), column


# --- vocabularies -------------------------------------------------------------

def test_tiers_are_in_the_vocabulary():
    assert set(ROWS["tier"]) <= set(TIERS)


def test_categories_are_in_the_vocabulary():
    used = {category for cell in ROWS["categories"] for category in items(cell)}
    assert used <= CATEGORIES, used - CATEGORIES


@pytest.mark.parametrize("category", sorted(CATEGORIES))
def test_every_category_is_documented(category):
    assert f"`{category}`" in README.read_text(encoding="utf-8")


def test_categories_are_not_repeated_within_a_row():
    for _, row in ROWS.iterrows():
        assert len(set(items(row["categories"]))) == len(items(row["categories"])), row["code"]


def test_sensitive_rows_say_what_the_visit_suggests():
    sensitive = SPECIALTIES[SPECIALTIES["tier"].isin(["high", "very_high"])]
    assert (sensitive["categories"] != "").all(), list(sensitive.loc[sensitive["categories"] == "", "code"])


# --- the unknown fallback ---------------------------------------------------------

def test_unknown_is_the_last_row():
    assert ROWS["code"].iloc[-1] == "unknown"


def test_unknown_is_scored_high_and_says_why():
    unknown = BY_CODE.loc["unknown"]
    assert unknown["tier"] == "high"
    assert "high" in unknown["source"]


def test_unknown_has_no_synonyms_or_categories():
    unknown = BY_CODE.loc["unknown"]
    assert unknown["synonyms"] == ""
    assert unknown["categories"] == ""


# --- tiers --------------------------------------------------------------------

EXPECTED_TIERS = {
    "very_high": ["psychiatry", "child_psychiatry", "addiction", "sti_hiv_screening",
                  "infectious_diseases", "medical_oncology", "radiation_oncology",
                  "onco_hematology", "cancer_centre", "abortion_services",
                  "sexual_health_centre", "fertility", "medical_genetics"],
    "high": ["medical_gynecology", "psychologist", "urology"],
    "low": ["general_practice", "dentist", "physiotherapist", "ophthalmology"],
}


@pytest.mark.parametrize("code,tier", [(c, t) for t, codes in EXPECTED_TIERS.items() for c in codes])
def test_key_codes_have_the_expected_tier(code, tier):
    assert BY_CODE.at[code, "tier"] == tier


# Rows whose tier departs from the reference's proposal: the source must say so.
CHANGED_TIERS = {
    "vascular_surgery": ("low", "moderate"),
    "child_mental_health_facility": ("high", "very_high"),
    "dialysis_centre": ("very_high", "high"),
}


@pytest.mark.parametrize("code,change", CHANGED_TIERS.items())
def test_changed_tiers_are_explained_in_the_source(code, change):
    old, new = change
    assert BY_CODE.at[code, "tier"] == new
    assert f"tier changed {old} -> {new}" in BY_CODE.at[code, "source"]


# --- forms and the lookup ----------------------------------------------------------

def test_every_normalised_form_maps_to_one_code():
    clashes = {form: sorted(codes) for form, codes in form_index().items() if len(codes) > 1}
    assert not clashes


def test_no_form_folds_to_nothing():
    assert "" not in form_index()


@pytest.mark.parametrize("code", SPECIALTIES["code"])
def test_synonyms_are_distinct_within_a_row(code):
    row = BY_CODE.loc[code]
    folded = [fold(form) for form in items(row["synonyms"])]
    assert len(folded) == len(set(folded))
    assert not set(folded) & {fold(row["label_fr"]), fold(row["label_en"])}


@pytest.mark.parametrize("code", SPECIALTIES["code"])
def test_every_specialty_has_enough_synonyms(code):
    # 5-20 is the aim; cancer_centre is longer because it names the cancer institutes.
    assert 5 <= len(items(BY_CODE.at[code, "synonyms"])) <= 30


@pytest.mark.parametrize("written,code", [
    ("Psychiatre", "psychiatry"),
    ("psy", "psychiatry"),                      # ambiguous: the most sensitive reading
    ("Chirurgienne orthopédiste", "orthopedic_surgery"),
    ("infirmière", "nurse"),
    ("Cardiologie et maladies vasculaires", "cardiology"),
    ("gynéco", "medical_gynecology"),
    ("GO", "obstetrics_gynecology"),
    ("kiné", "physiotherapist"),
    ("ORL", "ent"),
    ("HGE", "gastroenterology_hepatology"),
    ("CSAPA", "addiction"),
    ("CMP", "mental_health_facility"),          # ambiguous: adult sector psychiatry
    ("CeGIDD", "sti_hiv_screening"),
    ("PASS", "precarity_care"),
    ("paediatrician", "pediatrics"),
    ("pediatrician", "pediatrics"),
    ("GYNECOLOGUE OBSTETRICIENNE", "obstetrics_gynecology"),
])
def test_common_written_forms_resolve(written, code):
    assert form_index()[fold(written)] == {code}


@pytest.mark.parametrize("form", ["ortho", "endo", "radio", "neuro", "therapist", "chirurgien",
                                  "medecin", "echographie", "id", "stomatherapeute"])
def test_unsafe_ambiguous_forms_are_left_out(form):
    assert form not in form_index()


# --- RPPS codes ---------------------------------------------------------------

def test_rpps_codes_are_well_formed():
    bad = [code for cell in ROWS["rpps_codes"] for code in items(cell) if not RPPS_CODE.fullmatch(code)]
    assert not bad


def test_each_rpps_code_maps_to_one_row():
    codes = [code for cell in ROWS["rpps_codes"] for code in items(cell)]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("rpps,code", [
    ("SM42", "psychiatry"), ("SM93", "psychiatry"), ("C57", "psychiatry"),
    ("SM92", "child_psychiatry"), ("SM55", "radiology"), ("SM67", "fertility"),
    ("DSM235", "palliative_care"), ("CAPA12", "prison_health"), ("SI04", "psychiatric_nurse"),
    ("G15_60", "nurse"), ("R356_43", "child_psychiatry"), ("R95_97", "medical_genetics"),
    ("CEX64", "urology"), ("G15_36", "unknown"),
])
def test_rpps_codes_follow_the_reference_appendices(rpps, code):
    assert rpps in items(BY_CODE.at[code, "rpps_codes"])
