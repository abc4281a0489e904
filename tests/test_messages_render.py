"""Vectorised message rendering equals a plain per-row ``str.format`` rendering.

The templates below are written to trip every rule: a placeholder first and
last, double spaces, a space before a comma, lines starting with spaces, an
incident text ending in "." before a ".", characters outside the GSM alphabet
in the text and in the names (SMS), and empty names or dates (tidied).
"""

import re
import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from exposure import Incident, Policy, score
from exposure.errors import ExposureWarning
from exposure.sms import to_gsm7
from exposure.templating import TEMPLATE_NAMES, fill, in_row_order, render_groups
from exposure.wording import SHORT_CONSEQUENCES, nature_short, nature_text

COLUMNS = ["Nom", "Prénom", "Téléphone", "Email", "Adresse", "Date de naissance",
           "Date du rendez-vous", "Praticien", "Spécialité"]
INCIDENT = Incident(controller="Clinique  du Parc", dpo_contact="dpo@parc.fr",
                    measures="Accès coupé, plainte déposée.",
                    policy=Policy(notify_patient_at="low"))

BODIES = {
    "patient": ("{first_name} {last_name} : vos données", """\
Bonjour {first_name}  {last_name} ,
  Pour {appointments} ({dates}) : « {nature_short} » — c’est {nature}
Risque : {consequences_short}.
Mesures : {measures}.
Contrôle..ok ; rien de plus...
Écrivez à {dpo_contact} , {contact} , réf. {reference}
"""),
    "shared": ("Réf. {reference}", """\
{contact}  , bonjour.
{controller} : « {nature_short} » — {nature} Risque : {consequences_short}.
Mesures : {measures}. DPO’ : {dpo_contact} réf. {reference}
"""),
    "guardian": ("À l’attention de {contact}", """\
Madame, Monsieur ,
{nature}  Risque : {consequences_short}…   Mesures : {measures}.
DPO : {dpo_contact}. Réf. : {reference}
"""),
}
PUBLIC = ("Communication  publique", """\
{controller} , {nature} {consequences_short}. Mesures : {measures}.  DPO : {dpo_contact}
""")

# Last name -> (first name, phone, e-mail, address, birth date, appointment). Two
# families share an e-mail and a phone; minors write to a guardian; "Vide" has no
# first name, "Sansdate" no appointment date, "Zorglub" no contact (public).
PEOPLE = {
    "Dupont": ("Marie", "", "marie@x.fr", "", "1980-02-03", "2020-07-06 10:00"),
    "Vide": ("", "", "vide@x.fr", "", "1980-02-03", "2020-07-06 10:00"),
    "Sansdate": ("Jean", "", "jean@x.fr", "", "1980-02-03", ""),
    "Łukasz": ("Zoë", "06 11 22 33 44", "", "", "1975-05-05", "2020-06-01 09:00"),
    "Vide-sms": ("", "06 11 22 33 55", "", "", "1975-05-05", ""),
    "Roux": ("Gaëlle", "01 44 55 66 77", "", "", "1960-01-01", "2020-06-02 09:00"),
    "Blanc": ("Øyvind", "", "", "3 rue des Lilas", "1950-03-03", "2020-06-03 09:00"),
    "Petit": ("Claire", "", "famille@x.fr", "", "1982-04-04", "2020-07-01 10:00"),
    "Petit-fils": ("Lucas", "", "famille@x.fr", "", "2012-09-09", "2020-07-02 10:00"),
    "Duo": ("Anne", "06 99 99 99 99", "", "", "1980-01-01", "2020-05-04 10:00"),
    "Duo-bis": ("Paul", "06 99 99 99 99", "", "", "1980-01-01", "2020-05-04 10:00"),
    "Moreau": ("Inès", "06 88 77 66 55", "", "", "2008-01-01", "2020-07-03 11:00"),
    "Zorglub": ("Xavière", "", "", "", "1970-01-01", "2020-07-04 12:00"),
}
APPOINTMENTS = {"": ("votre rendez-vous", ""),
                "2020-07-06 10:00": ("votre rendez-vous du 6 juillet 2020", "du 06/07/2020"),
                "2020-06-01 09:00": ("votre rendez-vous du 1er juin 2020", "du 01/06/2020"),
                "2020-06-02 09:00": ("votre rendez-vous du 2 juin 2020", "du 02/06/2020"),
                "2020-06-03 09:00": ("votre rendez-vous du 3 juin 2020", "du 03/06/2020"),
                "2020-07-01 10:00": ("votre rendez-vous du 1er juillet 2020", "du 01/07/2020"),
                "2020-07-02 10:00": ("votre rendez-vous du 2 juillet 2020", "du 02/07/2020"),
                "2020-07-03 11:00": ("votre rendez-vous du 3 juillet 2020", "du 03/07/2020"),
                "2020-07-04 12:00": ("votre rendez-vous du 4 juillet 2020", "du 04/07/2020"),
                "2020-05-04 10:00": ("votre rendez-vous du 4 mai 2020", "du 04/05/2020")}


def tidy(text: str) -> str:
    """The tidying rules, one string at a time with Python's ``re``."""
    text = re.sub("[ \t]{2,}", " ", text).replace(" ,", ",")
    text = re.sub("\n +", "\n", re.sub(" +\n", "\n", text))
    text = re.sub(r"([^.])\.\.([^.])", r"\1.\2", text)
    return text[:-1] if text.endswith("..") and not text.endswith("...") else text


def expected(text: str, values: dict[str, str], row: dict[str, str], sms: bool) -> str:
    """One row: tidy the template's own text, put the row in, tidy again if a value is empty."""
    marked = text.format_map({**values, **{name: f"\0{name}\0" for name in row}})
    parts = marked.split("\0")
    filled = "".join(row[part] if odd else tidy(part) for odd, part in
                     ((i % 2 == 1, p) for i, p in enumerate(parts)))
    if any(row[name] == "" for name in parts[1::2]):
        filled = tidy(filled)
    filled = filled.strip(" ")
    return to_gsm7(pd.Series([filled]))[0] if sms else filled


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("templates")
    for name in TEMPLATE_NAMES:
        subject, body = PUBLIC if name == "public" else BODIES[name.rsplit("_", 1)[1]]
        (folder / f"{name}.txt").write_text(f"{subject}\n\n{body}", encoding="utf-8")
    leak = pd.DataFrame([(last, *person[:5], person[5], "Dr Nox", "Psychiatre")
                         for last, person in PEOPLE.items()], columns=COLUMNS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExposureWarning)  # the SMS are long on purpose
        return score(leak, INCIDENT, templates=str(folder)).notifications, folder


def test_the_fixture_covers_every_addressee_channel_and_empty_field(rendered):
    notes, _ = rendered
    assert {"email_patient", "email_shared", "sms_patient", "sms_shared", "sms_guardian",
            "phone_patient", "letter_patient", "public"} <= set(notes["template"])
    assert {"Vide", "Sansdate", "Vide-sms"} <= set(notes["last_name"])


def test_each_message_equals_the_per_row_rendering(rendered):
    notes, folder = rendered
    values = {"controller": "Clinique du Parc", "measures": INCIDENT.measures,
              "dpo_contact": INCIDENT.dpo_contact, "nature": nature_text(INCIDENT, "fr"),
              "nature_short": nature_short(INCIDENT, "fr"),
              "consequences_short": SHORT_CONSEQUENCES["fr"]}
    for _, note in notes.fillna("").iterrows():
        appointments, dates = APPOINTMENTS[PEOPLE[note["last_name"]][5]]
        row = {"first_name": note["first_name"], "last_name": note["last_name"],
               "contact": note["contact"], "reference": str(note["patient_id"]),
               "appointments": appointments, "dates": dates}
        subject, _, body = (folder / f"{note['template']}.txt").read_text().partition("\n\n")
        sms = note["channel"] == "sms"
        assert note["subject"] == expected(subject, values, row, sms), note["template"]
        assert note["message"] == expected(body, values, row, sms).rstrip("\n"), \
            note["template"]


# Any text, any values: what the Arrow rendering does on the group's text (strip
# its ends, tidy it once) must not differ from doing it on each row's text.
BITS = st.text(alphabet=" .,\nab\t", max_size=5)


@example(template=["  ", "{first_name}", " a\t"], controller="", values=[("  ", "")],
         strip_newlines=False)
@example(template=["{reference}", "\n"], controller="", values=[("", "b \n\n")],
         strip_newlines=True)
@example(template=["{controller}", "{reference}", "a..  "], controller=" \n",
         values=[("", ".")], strip_newlines=True)
@given(template=st.lists(st.one_of(BITS, st.sampled_from(
           ["{first_name}", "{reference}", "{controller}"])), min_size=1, max_size=6),
       controller=BITS, values=st.lists(st.tuples(BITS, BITS), min_size=1, max_size=5),
       strip_newlines=st.booleans())
def test_rendering_equals_the_per_row_rule_for_any_text(template, controller, values,
                                                        strip_newlines):
    text = "".join(template)
    fields = pa.table({"first_name": pa.array([v[0] for v in values], pa.large_string()),
                       "reference": pa.array([v[1] for v in values], pa.large_string())})
    groups = [np.arange(0, len(values), 2), np.arange(1, len(values), 2)]
    groups = [g for g in groups if len(g)]
    filled = fill([(text, {"controller": controller})] * len(groups))
    out = in_row_order([render_groups(filled, groups, fields, strip_newlines=strip_newlines)],
                       len(values)).to_pylist()
    for got, (first_name, reference) in zip(out, values):
        want = expected(text, {"controller": controller},
                        {"first_name": first_name, "reference": reference}, sms=False)
        assert got == (want.rstrip("\n") if strip_newlines else want)
