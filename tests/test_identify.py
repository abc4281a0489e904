"""Identifiability (ENISA EI) of a record from the identifiers it holds."""

import pandas as pd
import pytest

from exposure.identify import email_contains_name, identifiability

CASES = [
    # name, email, named, phone, birth, nir, qi_risk -> ei, reason
    (dict(nir=True), 1.0, "EI_NIR"),
    (dict(name=True, email=True), 1.0, "EI_NAME_EMAIL"),
    (dict(name=True, phone=True), 1.0, "EI_NAME_PHONE"),
    (dict(name=True, birth=True), 1.0, "EI_NAME_BIRTHDATE"),
    (dict(email=True, named=True), 1.0, "EI_EMAIL_NAMED"),
    (dict(name=True, address=True), 1.0, "EI_NAME_ADDRESS"),
    (dict(email=True, phone=True), 1.0, "EI_COMBINED"),
    (dict(phone=True, address=True), 1.0, "EI_COMBINED"),
    (dict(address=True), 0.75, "EI_ADDRESS"),
    (dict(name=True), 0.75, "EI_NAME"),
    (dict(email=True), 0.75, "EI_EMAIL"),
    (dict(phone=True), 0.75, "EI_PHONE"),
    (dict(risk=1.0), 0.75, "EI_QI_HIGH"),
    (dict(risk=0.5), 0.75, "EI_QI_HIGH"),
    (dict(risk=0.2), 0.5, "EI_QI_MEDIUM"),
    (dict(risk=0.1), 0.5, "EI_QI_MEDIUM"),
    (dict(risk=0.05), 0.25, "EI_QI_LOW"),
    (dict(birth=True, risk=0.01), 0.25, "EI_QI_LOW"),
]


@pytest.mark.parametrize("present, ei, reason", CASES,
                         ids=[reason + "-" + "+".join(p) for p, _, reason in CASES])
def test_identifiability_follows_enisa_annex_2(present, ei, reason):
    flag = lambda key: pd.Series([bool(present.get(key, False))])  # noqa: E731
    result = identifiability(has_name=flag("name"), email=flag("email"),
                             email_named=flag("named"), phone=flag("phone"),
                             birth_date=flag("birth"), nir=flag("nir"), address=flag("address"),
                             risk=pd.Series([present.get("risk", 0.0)]))
    assert result.loc[0, "ei"] == ei
    assert result.loc[0, "ei_reason"] == reason


@pytest.mark.parametrize("email, last_name, expected", [
    ("marie.dupont@gmail.com", "dupont", True),
    ("mdupont75@orange.fr", "dupont", True),
    ("dupont.marie@free.fr", "dupont", True),
    ("le-gall.anne@free.fr", "le gall", True),
    ("loulou1987@hotmail.fr", "dupont", False),
    ("ng.paul@free.fr", "ng", False),  # two letters: found by chance too often
    ("dupont@free.fr", None, False),
    ("marie.dupont@free.fr", None, True),      # no name column: "first.last" reveals one
    ("jean-pierre_martin@free.fr", None, True),
    ("loulou1987@free.fr", None, False),
])
def test_email_reveals_name_when_local_part_contains_it(email, last_name, expected):
    result = email_contains_name(pd.Series([email], dtype=object),
                                 pd.Series([last_name], dtype=object))
    assert result.tolist() == [expected]
