"""The specialty normaliser: its development set, the shipped model, and how it is loaded."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from exposure import model_store
from exposure.augment import training_labels
from exposure.errors import ModelError, ParameterError
from exposure.model_store import MODEL_NAME, load_card, load_normalizer
from exposure.normalize import fold_text
from exposure.normalizer import SpecialtyNormalizer
from exposure.specialty import load_specialty_table, lookup_specialties
from exposure.training import _frame_sha256, evaluate, load_devset

TABLE = load_specialty_table()
DEV = load_devset()


# --- the development set ----------------------------------------------------------------------

def test_devset_has_300_labels_and_40_non_health_strings_with_valid_codes():
    assert len(DEV) >= 300
    assert (DEV["kind"] == "non_health").sum() >= 40
    assert (DEV.loc[DEV["kind"] == "non_health", "code"] == "unknown").all()
    assert set(DEV["code"]) <= set(TABLE.rows.index)
    assert set(DEV["kind"]) == {"messy", "english", "combined", "ambiguous", "non_health"}


def test_no_devset_label_is_a_table_form_or_repeated():
    folded = DEV["label"].map(fold_text)
    assert not folded.isin(TABLE.forms).any(), DEV.loc[folded.isin(TABLE.forms), "label"].tolist()
    assert folded.is_unique


def test_devset_is_kept_apart_from_the_training_labels():
    card = load_card()
    params = card["training_data"]
    rows = training_labels(per_code=params["per_code"], combined=params["combined"],
                           negatives=params["negatives"], exclude=DEV["label"],
                           random_state=card["random_state"])
    assert (len(rows), _frame_sha256(rows)) == (params["rows"], params["sha256"])
    assert not set(DEV["label"].map(fold_text)) & set(rows["label"].map(fold_text))


# --- the shipped model ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def metrics():
    return evaluate(load_normalizer(), DEV)


def test_shipped_model_reads_95_percent_of_the_devset(metrics):
    assert metrics["accuracy"] >= 0.95
    assert metrics["accuracy"] > metrics["table_only_accuracy"]


def test_shipped_model_answers_unknown_to_90_percent_of_non_health_strings(metrics):
    assert metrics["non_health_abstained"] >= 0.90
    assert metrics["health_abstained"] <= 0.02


def test_card_tells_the_truth_about_the_model(metrics):
    card = load_card()
    assert card["metrics"] == metrics
    assert card["threshold"] == load_normalizer().threshold
    assert card["sklearn_version"].split(".")[:2] == __import__("sklearn").__version__.split(".")[:2]


@pytest.mark.parametrize("label, code", [
    ("Gynécologue - sexologue", "sexology"),
    ("Gastro-entérologue - proctologue", "proctology"),
    ("Chirurgien digestif et bariatrique", "obesity_care"),
    ("Cardiologue - médecin du sport", "cardiology"),
    ("Psychologue / psychiatre", "psychiatry"),
    ("Médecin généraliste et addictologue", "addiction"),
], ids=["rule4-sexology", "rule4-proctology", "rule4-bariatric", "rule4-tie-first",
        "higher-tier-second", "addiction"])
def test_combined_labels_take_the_more_sensitive_code(label, code):
    assert lookup_specialties(pd.Series([label]))["specialty_code"].item() == code


@pytest.mark.parametrize("label", ["psy", "PSY", "Dr Martin - psy", "Consultation psy",
                                   "psy libéral"])
def test_psy_reads_as_psychiatry_the_conservative_reading(label):
    assert lookup_specialties(pd.Series([label]))["specialty_code"].item() == "psychiatry"


@pytest.mark.parametrize("label", ["Secrétariat", "N/A", "#REF!", "Toilettage canin",
                                   "Consultation", "Téléconsultation", "Ostéopathe animalier"])
def test_non_health_strings_are_unknown(label):
    reading = lookup_specialties(pd.Series([label]))
    assert reading["specialty_code"].item() == "unknown"
    assert reading["specialty_confidence"].item() == 0.0


def test_misspelt_label_is_read_by_the_model_with_its_probability():
    reading = lookup_specialties(pd.Series(["Psyhiatre", "Psyhiatre", "PSYCHIATRE"]))
    assert reading["specialty_code"].tolist() == ["psychiatry"] * 3
    assert reading["specialty_match"].tolist() == ["model", "model", "exact"]
    probability = load_normalizer().predict_proba(["Psyhiatre"]).max()
    assert reading["specialty_confidence"].iloc[0] == pytest.approx(probability)


# --- loading: only the file the card describes ---------------------------------------------

@pytest.fixture
def model_copy(tmp_path, monkeypatch):
    """The shipped model and card copied to a temporary folder the loader is pointed at."""
    for suffix in (".joblib", ".json"):
        source = model_store._model_dir() / f"{MODEL_NAME}{suffix}"
        shutil.copy(source, tmp_path / source.name)
    monkeypatch.setattr(model_store, "_model_dir", lambda: tmp_path)
    load_normalizer.cache_clear()
    yield tmp_path
    load_normalizer.cache_clear()


def test_copied_model_loads(model_copy):
    assert load_normalizer().predict(["Psychiatr"]).tolist() == ["psychiatry"]


def test_tampered_model_file_is_refused(model_copy):
    path = model_copy / f"{MODEL_NAME}.joblib"
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match=r"was modified: its sha256 differs.*exposure train"):
        load_normalizer()


def test_other_scikit_learn_series_is_refused_with_the_fix(model_copy):
    card_path = model_copy / f"{MODEL_NAME}.json"
    card = json.loads(card_path.read_text())
    card["sklearn_version"] = "0.24.2"
    card_path.write_text(json.dumps(card))
    with pytest.raises(ModelError, match=r"trained with scikit-learn 0\.24\.2 .*"
                                         r"scikit-learn~=0\.24\.0.*exposure train"):
        load_normalizer()


def test_model_that_no_longer_gives_the_card_answers_is_refused(model_copy):
    card_path = model_copy / f"{MODEL_NAME}.json"
    card = json.loads(card_path.read_text())
    card["checks"][0]["code"] = "dentist"
    card_path.write_text(json.dumps(card))
    with pytest.raises(ModelError, match="no longer gives the answers"):
        load_normalizer()


def test_missing_model_file_is_reported(model_copy):
    (model_copy / f"{MODEL_NAME}.joblib").unlink()
    with pytest.raises(ModelError, match="is missing"):
        load_normalizer()


# --- the estimator contract ----------------------------------------------------------------

X_SMALL = ["psychiatre", "psychiatrie", "dr x psychiatre", "cardiologue", "cardiologie",
           "dr y cardiologue", "garage", "notaire", "boulangerie"]
Y_SMALL = ["psychiatry"] * 3 + ["cardiology"] * 3 + ["unknown"] * 3


def test_init_only_stores_parameters_and_clone_keeps_them():
    model = SpecialtyNormalizer(threshold=0.7, C=3.0)
    assert clone(model).get_params() == model.get_params()
    assert not hasattr(model, "pipeline_")


def test_unfitted_model_says_so():
    with pytest.raises(NotFittedError):
        SpecialtyNormalizer().predict(["psychiatre"])


@pytest.mark.parametrize("params, message", [
    ({"threshold": 1.5}, ("The 'threshold' parameter of SpecialtyNormalizer must be a float "
                          "in the range [0, 1]. Got 1.5 instead.")),
    ({"C": 0}, ("The 'C' parameter of SpecialtyNormalizer must be a float in the range "
                "(0, inf). Got 0 instead.")),
    ({"min_df": 0}, ("The 'min_df' parameter of SpecialtyNormalizer must be an int in the "
                     "range [1, inf). Got 0 instead.")),
    ({"ngram_range": (4, 1)}, ("The 'ngram_range' parameter of SpecialtyNormalizer must be a "
                               "pair of ints 1 <= low <= high. Got (4, 1) instead.")),
], ids=["threshold", "C", "min_df", "ngram_range"])
def test_parameters_are_validated_in_fit(params, message):
    model = SpecialtyNormalizer(**params)
    with pytest.raises(ParameterError) as error:
        model.fit(X_SMALL, Y_SMALL)
    assert str(error.value) == message


def test_same_data_and_seed_give_the_same_predictions():
    rows = training_labels(per_code=20, combined=0, negatives=100, random_state=3)
    rows = rows[rows["code"].isin(["psychiatry", "psychologist", "dentist", "unknown"])]
    probe = DEV["label"].tolist()
    first = SpecialtyNormalizer(random_state=3, min_df=2).fit(rows["label"], rows["code"])
    second = SpecialtyNormalizer(random_state=3, min_df=2).fit(rows["label"], rows["code"])
    np.testing.assert_array_equal(first.predict_proba(probe), second.predict_proba(probe))


def test_threshold_turns_unsure_answers_into_unknown():
    model = SpecialtyNormalizer(min_df=1, prune=0.0, threshold=0.0).fit(X_SMALL, Y_SMALL)
    codes, probability = model.read(["psychiatr", "zzzz"])
    assert codes.tolist()[0] == "psychiatry" and (probability < 1).all()
    model.set_params(threshold=1.0)
    assert model.predict(["psychiatr", "zzzz"]).tolist() == ["unknown", "unknown"]


def test_training_labels_are_deterministic_and_cover_every_code():
    first = training_labels(per_code=5, combined=20, negatives=50, random_state=7)
    again = training_labels(per_code=5, combined=20, negatives=50, random_state=7)
    other = training_labels(per_code=5, combined=20, negatives=50, random_state=8)
    assert first.equals(again) and not first.equals(other)
    assert set(first["code"]) == set(TABLE.rows.index)
    assert first["label"].is_unique


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(DEV["label"].tolist() + ["", "Psyhiatre", "psy - x"]),
                min_size=1, max_size=12))
def test_a_label_is_read_the_same_alone_or_among_others(labels):
    together = lookup_specialties(pd.Series(labels))
    alone = pd.concat([lookup_specialties(pd.Series([label])) for label in labels],
                      ignore_index=True)
    pd.testing.assert_frame_equal(together, alone)
    assert together["specialty_confidence"].between(0, 1).all()
    assert together["specialty_code"].isin(TABLE.rows.index).all()
