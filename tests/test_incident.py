"""Incident files: ENISA circumstances of the breach and the policy."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exposure.errors import ConfigError
from exposure.incident import LEVELS, Incident, level_rank, level_ranks, load_incident


def test_default_incident_is_the_2020_leak():
    incident = Incident()
    assert incident.cb == 1.0
    assert set(incident.cb_terms()) == {"CB_CONFIDENTIALITY_UNKNOWN_RECIPIENTS", "CB_MALICIOUS"}


@pytest.mark.parametrize("fields, cb", [
    (dict(confidentiality="none", malicious=False), 0.0),
    (dict(confidentiality="known_recipients", malicious=False), 0.25),
    (dict(confidentiality="unknown_recipients", integrity="unrecoverable",
          availability="permanent", malicious=True), 2.0),
    (dict(confidentiality="none", availability="temporary", malicious=False), 0.25),
    # Unintelligible: confidentiality and malice fall away, availability stays.
    (dict(unintelligible=True, availability="permanent"), 0.5),
])
def test_cb_adds_enisa_annex_3_terms(fields, cb):
    assert Incident(**fields).cb == cb


def write(tmp_path, text):
    path = tmp_path / "incident.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_incident_file_is_read(tmp_path):
    incident = load_incident(write(tmp_path, """
[incident]
title = "Lost backup"
confidentiality = "none"
availability = "permanent"
malicious = false
dpo_contact = "dpo@example.org"

[policy]
notify_patient_at = "medium"
"""))
    assert incident.cb == 0.5 and incident.policy.notify_patient_at == "medium"
    assert incident.dpo_contact == "dpo@example.org"


@pytest.mark.parametrize("text, message", [
    ('[incident]\nconfidentality = "none"\n', r"line 2: unknown key 'confidentality'"),
    ('[incident]\nmalicious = "yes"\n', r"line 2: 'malicious' must be a boolean"),
    ('[incident]\nconfidentiality = "everyone"\n', r"line 2: 'confidentiality' must be one of"),
    ('[policy]\nnotify_patient_at = "severe"\n', r"line 2: 'notify_patient_at' must be one of"),
    ('[incidents]\n', r"unknown table or key 'incidents'"),
    ('[incident\n', r"not valid TOML"),
], ids=["typo-key", "wrong-type", "bad-choice", "bad-level", "bad-table", "bad-toml"])
def test_invalid_incident_file_names_the_key_and_line(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load_incident(write(tmp_path, text))


def test_missing_incident_file(tmp_path):
    with pytest.raises(ConfigError, match="no such incident file"):
        load_incident(tmp_path / "nope.toml")


@given(st.lists(st.sampled_from(LEVELS)))
def test_level_ranks_is_level_rank_of_each_value(levels):
    assert level_ranks(pd.Series(levels, dtype="str")).tolist() == [level_rank(v) for v in levels]


@pytest.mark.parametrize("bad", ["Very high", None], ids=["unknown-level", "missing"])
def test_level_ranks_refuses_what_level_rank_refuses(bad):
    with pytest.raises(ValueError):
        level_rank(bad)
    with pytest.raises(ValueError):
        level_ranks(pd.Series(["low", bad]))
