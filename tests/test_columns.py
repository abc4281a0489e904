"""Column roles from French and English headers, content, or a mapping file."""

import pandas as pd
import pytest

from exposure.columns import load_column_overrides, map_columns
from exposure.errors import ColumnMappingError, ConfigError

FRENCH = ["Nom", "Prénom", "Sexe", "Téléphone", "Email", "Date de naissance",
          "Date du rendez-vous", "Praticien", "Spécialité"]
ENGLISH = ["Last name", "First Name", "Gender", "Phone", "E-mail", "Date of birth",
           "Appointment date", "Doctor", "Specialty"]
ROLES = ["last_name", "first_name", "sex", "phone", "email", "birth_date", "appointment_at",
         "practitioner", "specialty"]


@pytest.mark.parametrize("headers", [FRENCH, ENGLISH, [h.upper() for h in FRENCH]],
                         ids=["french", "english", "upper-case"])
def test_headers_give_roles(headers):
    mapping = map_columns(pd.DataFrame(columns=headers))
    assert mapping.roles == dict(zip(ROLES, headers))
    assert set(mapping.found_by.values()) == {"header"}


def test_content_gives_roles_where_the_header_says_nothing():
    frame = pd.DataFrame({"col1": ["a@b.fr", "c@d.com", "e@f.org"],
                          "col2": ["06 12 34 56 78", "0612345679", "+33612345670"],
                          "col3": ["x", "y", "z"]})
    mapping = map_columns(frame)
    assert mapping.roles == {"email": "col1", "phone": "col2"}
    assert mapping.found_by == {"email": "content", "phone": "content"}
    assert mapping.passthrough == ["col3"]


def test_override_wins_over_header():
    frame = pd.DataFrame(columns=["Email", "Courriel pro"])
    mapping = map_columns(frame, {"email": "Courriel pro"})
    assert mapping.roles["email"] == "Courriel pro" and mapping.found_by["email"] == "override"


def test_override_naming_an_absent_column_is_an_error():
    with pytest.raises(ColumnMappingError, match="does not have"):
        map_columns(pd.DataFrame(columns=["Email"]), {"email": "Mail"})


def test_no_recognisable_column_is_an_error():
    with pytest.raises(ColumnMappingError, match="--columns"):
        map_columns(pd.DataFrame({"x": ["1", "2", "3"], "y": ["a", "b", "c"]}))


def test_mapping_file(tmp_path):
    path = tmp_path / "columns.toml"
    path.write_text('[columns]\nemail = "Courriel"\nspecialty = "Métier"\n', encoding="utf-8")
    assert load_column_overrides(path) == {"email": "Courriel", "specialty": "Métier"}


@pytest.mark.parametrize("text, message", [
    ('[columns]\nmail = "x"\n', "unknown role 'mail'"),
    ('[columns]\nemail = 3\n', "must name a column as a string"),
    ('[columns\n', "not valid TOML"),
])
def test_bad_mapping_file(tmp_path, text, message):
    path = tmp_path / "columns.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_column_overrides(path)


def test_specialty_column_is_found_by_content_when_no_header_names_it():
    frame = pd.DataFrame({"a": ["Dupont", "Martin", "Nguyen", "Roux"],
                          "b": ["Psyhiatre", "Dr Roy - gynéco", "Cardiologe", "Kiné"],
                          "c": ["a@b.fr", "c@d.com", "e@f.org", "g@h.fr"]})
    mapping = map_columns(frame)
    assert mapping.roles == {"specialty": "b", "email": "c"}
    assert mapping.found_by["specialty"] == "content"
    assert mapping.passthrough == ["a"]


def test_a_specialty_header_wins_over_content():
    frame = pd.DataFrame({"x": ["Psychiatre", "Cardiologue", "Dentiste"],
                          "Spécialité": ["Pédiatre", "Pédiatre", "Pédiatre"]})
    mapping = map_columns(frame)
    assert mapping.roles == {"specialty": "Spécialité"} and mapping.passthrough == ["x"]
