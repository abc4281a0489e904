"""Patient messages: Art. 34(2) content, nothing about another person, SMS length, templates."""

import re
import shutil
import warnings

import pandas as pd
import pytest

from exposure import Incident, Policy, score
from exposure.errors import ConfigError, ExposureWarning
from exposure.normalize import fold_text
from exposure.sms import GSM7_BASIC, GSM7_EXTENSION, MAX_SEPTETS, septets, sms_parts, to_gsm7
from exposure.specialty import load_specialty_table
from exposure.templating import TEMPLATE_NAMES, load_templates, shipped_templates
from exposure.wording import nature_short, nature_text

COLUMNS = ["Nom", "Prénom", "Téléphone", "Email", "Adresse", "Date de naissance",
           "Date du rendez-vous", "Praticien", "Spécialité"]
INCIDENT = Incident(controller="Clinique du Parc", dpo_contact="dpo@cliniqueduparc.fr",
                    measures="Accès coupé le 21/07, plainte déposée.")


def leak(*rows):
    return pd.DataFrame([dict(zip(COLUMNS, r)) for r in rows], columns=COLUMNS).fillna("")


# One of each addressee and channel: an adult alone (e-mail), an adult by SMS, a
# landline, a postal address, a family sharing one e-mail (mother and child), a
# teenager with her own phone, and a patient with no contact at all.
ROWS = [
    ("Dupont", "Marie", "", "marie.dupont@gmail.com", "", "1980-02-03", "2020-07-06 10:00",
     "Dr Nox", "Psychiatre"),
    ("Leroy", "Anne", "06 11 22 33 44", "", "", "1975-05-05", "2020-06-01 09:00",
     "Dr Sel", "Centre IVG"),
    ("Roux", "Paul", "01 44 55 66 77", "", "", "1960-01-01", "2020-06-02 09:00",
     "Dr Oka", "Addictologue"),
    ("Blanc", "Jean", "", "", "3 rue des Lilas, 75011 Paris", "1950-03-03",
     "2020-06-03 09:00", "Dr Ivo", "Oncologue médical"),
    ("Petit", "Claire", "", "famille.petit@orange.fr", "", "1982-04-04", "2020-07-01 10:00",
     "Dr Uma", "Centre de dépistage VIH"),
    ("Petit", "Lucas", "", "famille.petit@orange.fr", "", "2012-09-09", "2020-07-02 10:00",
     "Dr Zed", "Pédopsychiatre"),
    ("Moreau", "Inès", "06 99 88 77 66", "", "", "2005-01-01", "2020-07-03 11:00",
     "Dr Ray", "Gynécologue"),
    ("Zorglub", "Xavière", "", "", "", "1970-01-01", "2020-07-04 12:00", "Dr Nox", "Psychiatre"),
]


@pytest.fixture(scope="module", params=["fr", "en"])
def told(request):
    result = score(leak(*ROWS), INCIDENT, language=request.param)
    return request.param, result.notifications.set_index("last_name", drop=False)


def test_every_patient_at_risk_gets_a_message_in_the_language(told):
    language, notes = told
    assert len(notes) == len(ROWS) and (notes["language"] == language).all()
    assert notes["subject"].str.len().gt(0).all() and notes["message"].str.len().gt(50).all()
    assert set(notes["template"]) == {"email_patient", "sms_patient", "phone_patient",
                                      "letter_patient", "email_shared", "sms_guardian", "public"}


def test_the_template_column_lists_only_the_templates_used(told):
    _, notes = told
    counts = notes["template"].value_counts()
    assert isinstance(notes["template"].dtype, pd.CategoricalDtype)
    assert (counts > 0).all() and counts.sum() == len(notes)
    nobody = score(leak(("Martin", "Paul", "", "", "", "", "", "Dr Roux",
                         "Médecin généraliste")), INCIDENT).notifications
    assert nobody.empty and isinstance(nobody["template"].dtype, pd.CategoricalDtype)


def test_each_art_34_2_element_is_in_every_message(told):
    language, notes = told
    nature, short = nature_text(INCIDENT, language), nature_short(INCIDENT, language)
    for _, row in notes.iterrows():
        text = row["message"]
        plain = to_gsm7(pd.Series([text]))[0] if row["channel"] == "sms" else text
        expected_nature = to_gsm7(pd.Series([short]))[0] if row["channel"] == "sms" else nature
        assert expected_nature in plain, row["template"]
        assert "dpo@cliniqueduparc.fr" in text, row["template"]
        assert to_gsm7(pd.Series([INCIDENT.measures]))[0] in to_gsm7(pd.Series([text]))[0]
        consequence = {"fr": ("faux messages",), "en": ("fake messages",)}[language]
        assert any(c in text for c in consequence), row["template"]
        advice = {"fr": "jamais", "en": "never"}[language]
        assert advice in text and ("mot de passe" in text or "password" in text)


def test_a_patient_message_says_what_leaked_about_them(told):
    language, notes = told
    email = notes.loc["Dupont", "message"]
    assert "Marie Dupont" in email
    assert ("Psychiatrie" if language == "fr" else "Psychiatry") in email
    assert ("6 juillet 2020" if language == "fr" else "6 July 2020") in email
    assert ("santé mentale" if language == "fr" else "mental-health") in email
    letter = notes.loc["Blanc", "message"]
    assert "3 rue des Lilas" in letter and "Blanc" in letter
    call = notes.loc["Roux", "message"]
    assert ("Addictologie" if language == "fr" else "Addiction") in call


# Generic words that happen to occur only in sensitive names ("psychiatre pour enfants",
# "centre de référence", "personne âgée"): they name no specialty.
GENERIC = {"pour", "personne", "personnes", "reference", "option", "des", "les", "aux", "par",
           "sur", "une", "the", "and", "for", "with", "from", "avec", "dans", "identity", "use",
           "loss"}


def _specialty_words() -> set[str]:
    """Distinctive words of high and very-high specialties: in no low or moderate name."""
    table = load_specialty_table().rows

    def words(rows):
        texts = pd.concat([rows["label_fr"], rows["label_en"],
                           rows["synonyms"].str.split("|").explode()])
        return {w for t in texts for w in re.findall(r"[a-z0-9]+", fold_text(str(t)))
                if len(w) >= 3}

    sensitive = table[table["tier"].isin(["high", "very_high"]) & (table.index != "unknown")]
    routine = table[table["tier"].isin(["low", "moderate"])]
    return words(sensitive) - words(routine) - GENERIC


SPECIALTY_WORDS = _specialty_words()


def test_the_specialty_word_list_is_not_empty():
    assert {"psychiatrie", "ivg", "vih", "oncologue"} <= SPECIALTY_WORDS


@pytest.mark.parametrize("who", ["Petit", "Moreau"], ids=["shared-contact", "minor"])
def test_shared_contact_and_minor_messages_name_no_specialty_and_no_person(told, who):
    _, notes = told
    for _, row in notes.loc[[who]].iterrows():
        assert row["template"].endswith(("_shared", "_guardian"))
        words = set(re.findall(r"[a-z0-9]+", fold_text(row["subject"] + " " + row["message"])))
        assert not words & SPECIALTY_WORDS, words & SPECIALTY_WORDS
        for leaked in ("Claire", "Lucas", "Inès", "Petit", "Moreau", "2020", "07/", "Dr "):
            assert leaked not in row["message"], leaked


def test_messages_to_one_shared_contact_differ_only_by_reference(told):
    _, notes = told
    family = notes.loc[["Petit"]]
    masked = {m.replace(str(r), "#") for m, r in zip(family["message"], family["patient_id"])}
    assert len(family) == 2 and len(masked) == 1


def test_public_communication_names_no_one(told):
    _, notes = told
    public = notes.loc["Zorglub"]
    assert public["template"] == "public" and public["channel"] == "public"
    assert "Zorglub" not in public["message"] and "Xavière" not in public["message"]


def test_sms_are_gsm_7_and_fit_in_two_parts(told):
    _, notes = told
    sms = notes[notes["channel"] == "sms"]["message"]
    assert len(sms) == 2
    for text in sms:
        assert set(text) <= GSM7_BASIC | GSM7_EXTENSION, set(text) - GSM7_BASIC
    assert septets(sms).max() <= MAX_SEPTETS


@pytest.mark.parametrize("language", ["fr", "en"])
def test_sms_fit_for_every_specialty_with_realistic_incident_texts(language):
    table = load_specialty_table().rows
    rows = [(f"Nom{i}", "Prénom", f"06 12 34 {i // 100:02d} {i % 100:02d}", "", "",
             "1980-01-01", "2020-05-04 10:00" if i % 2 else "2020-12-30 10:00",
             "Dr X", label) for i, label in enumerate(table["label_fr"])]
    rows += [("Fam", first, "06 99 99 99 99", "", "", "1980-01-01", "2020-05-04 10:00",
              "Dr Y", "Psychiatre") for first in ("Paul", "Anne")]
    rows += [("Kid", "K", "06 88 88 88 88", "", "", "2015-01-01", "2020-05-04 10:00", "Dr Z",
              "Pédiatre")]
    policy = Incident(controller=INCIDENT.controller, dpo_contact=INCIDENT.dpo_contact,
                      measures=INCIDENT.measures,
                      policy=Policy(notify_patient_at="low"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", ExposureWarning)
        result = score(leak(*rows), policy, language=language)
    sms = result.notifications[result.notifications["channel"] == "sms"]
    assert set(sms["template"]) == {"sms_patient", "sms_shared", "sms_guardian"}
    assert septets(sms["message"]).max() <= MAX_SEPTETS


def test_a_long_sms_warns_and_is_counted():
    wordy = Incident(measures="Nous avons " + "vraiment " * 30 + "tout fait.")
    with pytest.warns(ExposureWarning, match=r"SMS message\(s\) need more than two parts"):
        result = score(leak(ROWS[1]), wordy)
    assert result.summary["messages"]["sms_over_two_parts"] == 1


def test_missing_incident_texts_are_marked_to_complete():
    notes = score(leak(ROWS[0])).notifications
    assert "[à compléter : contact du DPO]" in notes.loc[0, "message"]
    assert "[à compléter : mesures prises]" in notes.loc[0, "message"]


@pytest.mark.parametrize("text, parts", [("a" * 160, 1), ("a" * 161, 2), ("€" * 80, 1),
                                         ("€" * 81, 2), ("a" * 306, 2), ("a" * 307, 3)])
def test_sms_parts_count_extension_characters_twice(text, parts):
    assert sms_parts(int(septets(pd.Series([text]))[0])) == parts


def test_gsm_transliteration_keeps_french_letters_of_the_alphabet():
    assert to_gsm7(pd.Series(["éèàùÉ ça être Œuvre — « oui »"]))[0] == 'éèàùÉ ca etre OEuvre - "oui"'


# Templates: shipped set, custom folders, and the checks with file and line.

def copy_templates(tmp_path, language="fr"):
    folder = tmp_path / "templates"
    shutil.copytree(shipped_templates(language), folder)
    return folder


def test_every_shipped_template_loads_in_both_languages():
    for language in ("fr", "en"):
        assert set(load_templates(language=language).templates) == set(TEMPLATE_NAMES)


def test_custom_templates_are_used(tmp_path):
    folder = copy_templates(tmp_path)
    path = folder / "email_patient.txt"
    path.write_text(path.read_text().replace("Bonjour", "Chère patiente, cher patient"))
    notes = score(leak(ROWS[0]), templates=str(folder)).notifications
    assert notes.loc[0, "message"].startswith("Chère patiente, cher patient")
    assert score(leak(ROWS[0]), templates=str(folder)).summary["messages"]["templates"] == \
        "custom"


@pytest.mark.parametrize("name, old, new, message", [
    ("email_patient", "{first_name}", "{prenom}",
     r"email_patient.txt, line 3: unknown placeholder \{prenom\}"),
    ("email_shared", "Bonjour,", "Bonjour {first_name},",
     r"email_shared.txt, line 3: \{first_name\} is not allowed in a message to a contact"),
    ("sms_guardian", "{measures}", "bientôt",
     r"sms_guardian.txt: lacks \{measures\}, which Art. 34\(2\) requires"),
    ("letter_patient", "Madame, Monsieur,", "Madame, Monsieur, {",
     r"letter_patient.txt, line 6: .*brace"),
    ("public", "{controller}", "{reference}", r"public.txt, line 3: \{reference\} is not"),
], ids=["unknown", "personal-in-shared", "art34-element-missing", "brace", "public-reference"])
def test_a_bad_template_is_refused_with_file_and_line(tmp_path, name, old, new, message):
    folder = copy_templates(tmp_path)
    path = folder / f"{name}.txt"
    path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(ConfigError, match=message):
        load_templates(folder, "fr")


def test_a_missing_template_is_named(tmp_path):
    folder = copy_templates(tmp_path)
    (folder / "sms_shared.txt").unlink()
    with pytest.raises(ConfigError, match=r"missing template file\(s\) sms_shared.txt.*"
                                          r"exposure templates -o DIR"):
        load_templates(folder, "fr")


def test_a_folder_with_language_subfolders_is_accepted(tmp_path):
    shutil.copytree(shipped_templates("en"), tmp_path / "mine" / "en")
    assert load_templates(tmp_path / "mine", "en").source == "custom"


def test_no_notification_gives_an_empty_frame_with_the_message_columns():
    adult_gp = ("Martin", "Paul", "", "paul.martin@gmail.com", "", "1980-01-01",
                "2020-07-06 09:00", "Dr Durand", "Médecin généraliste")
    notes = score(leak(adult_gp)).notifications
    assert len(notes) == 0 and {"subject", "message", "template"} <= set(notes.columns)
