"""Training labels for the specialty normaliser, generated from the table.

Exports do not write specialties the way a nomenclature does. This module
turns every label and synonym of ``data/specialty_sensitivity.csv`` into the
forms seen in leaks (DESIGN.md section 4): other cases, accents dropped,
typos (a letter dropped, swapped, doubled or replaced), clipped words
("Chir.", "Psychiatr"), feminine and plural forms, the prefixes and suffixes
of booking exports ("Dr NAME - ", "Cabinet de", "Service de", "(SM)", a city)
and English wrappers ("Consultant ...", "... clinic"). Combined labels ("A - B")
take the more sensitive code, ties to the first (specialties.md section 4,
rule 4). Strings that name no health specialty (administration, trades,
veterinary care, placeholders, names, dates) form the ``unknown`` class
(rule 7), together with the short forms the table leaves out on purpose
(data/README.md, "Left out").

Everything is drawn from one ``numpy.random.Generator`` seeded by
``random_state``: the same table and seed give the same rows in the same order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ._synth_names import CITIES, FIRST_NAMES_F, FIRST_NAMES_M, LAST_NAMES
from .normalize import fold_text
from .specialty import TIERS, UNKNOWN, SpecialtyTable, load_specialty_table

__all__ = ["training_labels"]

# --- wrappers seen in exports ---------------------------------------------------------------
# "{x}" is the specialty form, "{name}" a last name, "{first}" a first name, "{city}" a city.
_FRENCH_WRAPPERS = (
    "Dr {name} - {x}", "Dr {first} {NAME} - {x}", "Dr. {name}, {x}", "Docteur {name} {x}",
    "{NAME} {first} - {x}", "Pr {name} - {x}", "{x} - Dr {name}", "{x} Dr {name}",
    "Mme {name} - {x}", "{x} - Mme {name}", "M. {name} {x}",
    "Cabinet de {x}", "Centre de {x}", "Service de {x}", "Consultation de {x}", "Unité de {x}",
    "Pôle {x}", "Département de {x}", "Cabinet {x}", "Clinique de {x}",
    "Médecin - {x} (SM)", "{x} (SM)", "{x} (C)", "{x} - {city}", "{x} {city}", "{x}, {city}",
    "{x} ({city})", "{x} libéral", "{x} conventionné", "{x} secteur 1", "{x} secteur 2",
    "{x} D.E.", "{x} - CHU de {city}", "{x} - Hôpital {name}", "{x} - Clinique {name}",
    "{x} - consultations", "{x} adultes", "{x} enfants", "{x} - {first} {NAME}",
)
_ENGLISH_WRAPPERS = (
    "Consultant {x}", "{x} clinic", "Dr {name}, {x}", "{x} - {city}", "{x} department",
    "Department of {x}", "{x} outpatients", "{x} services",
)
_ABBREVIATIONS = {
    "chirurgien": ("chir.", "chir", "chirurg."), "chirurgienne": ("chir.",),
    "chirurgie": ("chir.", "chir"), "medecin": ("méd.", "med", "méd"), "médecin": ("méd.", "med"),
    "médecine": ("méd.", "med."), "centre": ("ctre", "ctr"), "service": ("serv.", "svc"),
    "consultation": ("consult.", "cs", "consultations"), "hôpital": ("hôp.", "hop"),
    "docteur": ("dr",), "cabinet": ("cab.",), "et": ("&", "/", "-"), "de": ("",),
    "maladies": ("mal.",), "option": ("opt.",),
}
# Feminine and plural endings, tried in order on one word (the first that applies wins).
_FEMININE = (("teur", "trice"), ("ien", "ienne"), ("eur", "euse"), ("ier", "ière"),
             ("al", "ale"), ("if", "ive"), ("é", "ée"), ("ist", "iste"))
_PLURAL = (("al", "aux"), ("s", "s"), ("x", "x"), ("", "s"))

# --- the unknown class ------------------------------------------------------------------------
_NON_HEALTH = (
    # administration and booking placeholders
    "Accueil", "Standard téléphonique", "Réception", "Guichet", "Caisse", "Direction",
    "Ressources humaines", "Service client", "Hotline", "Prise de rendez-vous",
    "Rendez-vous en ligne", "Visite", "Entretien", "Urgent", "A rappeler", "Rappel",
    "Ne pas venir", "Reporté", "Non renseigné", "Non précisé", "Indéterminé", "Sans",
    "Aucun", "Aucune", "Vide", "Néant", "NR", "NC", "N.C.", "nd", "na", "none", "nil",
    "undefined", "#N/A", "#VALUE!", "#DIV/0!", "#NOM?", "#NAME?", "Erreur", "error", "TBD",
    "TODO", "à compléter", "xx", "XXXX", "aaa", "zzz", "-", ".", "?", "*", "ok", "oui",
    "non", "1", "42", "000", "99999", "Unknown", "Inconnu", "other", "misc", "Varia",
    "Planning", "Agenda", "Créneau libre", "Créneau bloqué", "Pause déjeuner", "Vacances",
    "Fermé", "Ouvert", "Matin", "Après-midi", "Lundi", "Samedi", "Formation continue",
    "Séminaire", "Assemblée générale", "Archives", "Courrier", "Administration",
    "Location de salle", "Parking", "Informatique", "Maintenance", "Nettoyage", "Ménage",
    # trades, shops and services
    "Coiffeur", "Coiffeuse à domicile", "Barbier", "Manucure", "Spa et bien-être",
    "Massage bien-être", "Onglerie", "Maquilleuse", "Épilation", "Bronzage", "Soins esthétiques",
    "Centre de beauté", "Esthétique et bien-être", "Pose d'ongles", "Extension de cils",
    "Salle de fitness", "Club de sport", "Musculation", "Entraîneur personnel", "Yoga",
    "Pilates", "Centre équestre", "Club de football", "Institut de formation",
    "Institut universitaire", "Institut de sondage", "Institut culturel",
    "Vétérinaire équin", "Cabinet vétérinaire", "Docteur vétérinaire", "Clinique des animaux",
    "Pension pour chats", "Éducateur canin", "Dresseur de chiens", "Pet sitter",
    "Ostéopathe équin", "Ostéopathe pour chevaux", "Kinésithérapeute animalier",
    "Avocate", "Cabinet d'avocats", "Notaires associés", "Huissier", "Commissaire de justice",
    "Comptable", "Cabinet comptable", "Banquier", "Conseiller bancaire", "Agent immobilier",
    "Assureur", "Courtier en assurances", "Garagiste", "Carrosserie", "Contrôle technique",
    "Électricien", "Plombier", "Menuisier", "Serrurier", "Peintre en bâtiment", "Jardinier",
    "Architecte", "Géomètre", "Boucherie", "Fleuriste", "Pressing", "Cordonnerie",
    "Photographe", "Traiteur", "Restaurant", "Hôtel", "Agence de voyage", "Taxi",
    "Déménagement", "Professeur de mathématiques", "Cours particuliers", "Soutien scolaire",
    "École de musique", "Cours de danse", "Club de tennis", "Piscine municipale",
    "Moniteur d'auto-école", "Permis de conduire", "Préfecture", "Sous-préfecture",
    "Hôtel de ville", "Caisse d'allocations familiales", "CAF", "URSSAF", "Impôts",
    "Centre des finances publiques", "Tribunal", "Commissariat", "Gendarmerie",
    "La Poste", "Banque Postale", "Crédit Agricole", "Orange", "EDF",
    "hairdresser", "beauty salon", "nail bar", "vet", "veterinary clinic", "lawyer",
    "accountant", "plumber", "estate agent", "driving school", "reception", "front desk",
    "admin", "billing", "cancelled", "no show", "meeting", "holiday", "test appointment",
)
_NAME_LIKE = ("Dr {name}", "Docteur {name}", "Dr {first} {NAME}", "{first} {NAME}",
              "{NAME} {first}", "Mme {name}", "M. {name}", "{city}", "{name}", "{first}",
              "Cabinet du Dr {name}", "Cabinet {name}", "Hôpital {name}", "Clinique {name}",
              "Centre {name}", "{NAME}")
# Bare words that say "health" but no specialty, and the short forms the table leaves
# out on purpose because they have several readings (data/README.md, "Left out"): all
# read as unknown, which is scored high and flagged for review.
_GENERIC = (
    "Médecin", "Docteur", "Chirurgien", "Chirurgienne", "Praticien", "Praticienne",
    "Spécialiste", "Soignant", "Thérapeute libéral", "Hôpital", "Clinique", "CHU", "CHR",
    "Centre hospitalier", "Hôpital privé", "Cabinet", "Consultation externe", "Consultations",
    "Visite à domicile", "Rendez-vous médical", "Bilan", "Contrôle", "Suivi", "Examen",
    "Certificat médical", "Ordonnance", "Renouvellement", "Acte", "Soins", "doctor",
    "physician", "surgeon", "specialist", "hospital", "clinic", "appointment", "consultant",
)
_LEFT_OUT = (
    "ortho", "endo", "neuro", "radio", "therapist", "ID", "IM", "ART", "CSS", "MDA", "GIC",
    "AURA", "CSST", "ISP", "ELSA", "hospice", "réanimation", "réanimateur", "échographie",
    "centre de dépistage",
)


def training_labels(table: SpecialtyTable | None = None, *, per_code: int = 200,
                    combined: int = 3000, negatives: int = 4000,
                    exclude: Iterable[str] = (), random_state: int = 0) -> pd.DataFrame:
    """Generate messy labels with their codes from the specialty table.

    Parameters
    ----------
    table : SpecialtyTable, default=None
        The shipped table when None.
    per_code : int, default=200
        Generated labels for each code, spread over its forms (each label and
        synonym also appears once as written).
    combined : int, default=3000
        Labels joining two designations ("A - B"), coded by the higher tier.
    negatives : int, default=4000
        Labels of the ``unknown`` class.
    exclude : iterable of str, default=()
        Labels kept out of the training data, compared after folding: the
        development set, so that it measures labels the model never saw.
    random_state : int, default=0
        Seed of the only random generator used.

    Returns
    -------
    DataFrame of shape (n_labels, 2)
        ``label`` and ``code``, duplicates and excluded labels removed, in
        generation order.

    Examples
    --------
    >>> rows = training_labels(per_code=3, combined=2, negatives=2, random_state=0)
    >>> sorted(rows.columns), rows["code"].nunique()
    (['code', 'label'], 109)
    >>> rows.equals(training_labels(per_code=3, combined=2, negatives=2, random_state=0))
    True
    """
    table = table or load_specialty_table()
    rng = np.random.default_rng(random_state)
    forms = _forms_by_code(table)
    rows: list[tuple[str, str]] = []
    for code, texts in forms.items():
        rows.extend((text, code) for text in texts)
        english = set(_english_forms(table, code))
        for _ in range(per_code):
            text = texts[rng.integers(len(texts))]
            rows.append((_messy(rng, text, english=text in english), code))
    rank = {code: TIERS.index(table.rows.at[code, "tier"]) for code in forms}
    codes = list(forms)
    for _ in range(combined):
        first, second = (codes[i] for i in rng.choice(len(codes), size=2, replace=False))
        a = forms[first][rng.integers(len(forms[first]))]
        b = forms[second][rng.integers(len(forms[second]))]
        joiner = _pick(rng, (" - ", " / ", " et ", ", ", " + ", " & ", "-", " "))
        code = second if rank[second] > rank[first] else first
        rows.append((_noise(rng, f"{a}{joiner}{b}"), code))
    rows.extend((text, UNKNOWN) for text in _NON_HEALTH + _GENERIC + _LEFT_OUT)
    for _ in range(negatives):
        rows.append((_negative(rng), UNKNOWN))
    frame = pd.DataFrame(rows, columns=["label", "code"])
    frame["label"] = frame["label"].str.strip()
    kept_out = {fold_text(label) for label in exclude}
    frame = frame[(frame["label"] != "") & ~frame["label"].map(fold_text).isin(kept_out)]
    return frame.drop_duplicates(subset="label", keep="first").reset_index(drop=True)


def _forms_by_code(table: SpecialtyTable) -> dict[str, list[str]]:
    forms: dict[str, list[str]] = {}
    for code, row in table.rows.iterrows():
        if code == UNKNOWN:
            continue
        texts = [row["label_fr"], row["label_en"], *row["synonyms"].split("|")]
        forms[str(code)] = [t for t in dict.fromkeys(texts) if t]
    return forms


def _english_forms(table: SpecialtyTable, code: str) -> list[str]:
    """Forms written in ASCII lower case after the label: a cheap test for English."""
    row = table.rows.loc[code]
    return [row["label_en"], *(s for s in row["synonyms"].split("|")
                               if s.isascii() and s.lower() == s and " " in s)]


def _pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[rng.integers(len(options))]


def _person(rng: np.random.Generator) -> dict[str, str]:
    name = LAST_NAMES[rng.integers(len(LAST_NAMES))]
    pool = FIRST_NAMES_F if rng.random() < 0.5 else FIRST_NAMES_M
    return {"name": name, "NAME": name.upper(), "first": pool[rng.integers(len(pool))][0],
            "city": CITIES[rng.integers(len(CITIES))]}


def _messy(rng: np.random.Generator, text: str, *, english: bool) -> str:
    """One form as an export might write it: inflected, abbreviated, wrapped, noisy."""
    if not english and rng.random() < 0.3:
        text = _inflect(rng, text)
    if rng.random() < 0.25:
        text = _abbreviate(rng, text)
    if rng.random() < 0.55:
        wrappers = _ENGLISH_WRAPPERS if english else _FRENCH_WRAPPERS
        wrapper = _pick(rng, wrappers)
        text = wrapper.format(x=text, **_person(rng))
        text = re.sub(r"\bde ([aeiouyhéèêAEIOUYHÉ])", r"d'\1", text)
    return _noise(rng, text)


def _inflect(rng: np.random.Generator, text: str) -> str:
    """Feminine or plural form of every word that takes one (adjectives follow nouns)."""
    endings = _FEMININE if rng.random() < 0.6 else _PLURAL
    words = text.split(" ")
    for i, word in enumerate(words):
        if len(word) < 4 or not word.isalpha():
            continue
        for old, new in endings:
            if word.lower().endswith(old) and not word.lower().endswith(new):
                words[i] = word[: len(word) - len(old)] + new
                break
    return " ".join(words)


def _abbreviate(rng: np.random.Generator, text: str) -> str:
    """Shorten the words exports shorten ("Chir.", "Méd.") or clip the last word."""
    words = text.split(" ")
    known = [i for i, w in enumerate(words) if w.lower() in _ABBREVIATIONS]
    if known and rng.random() < 0.7:
        i = known[rng.integers(len(known))]
        words[i] = _pick(rng, _ABBREVIATIONS[words[i].lower()])
    elif len(words[-1]) > 7:
        words[-1] = words[-1][: len(words[-1]) - rng.integers(1, 4)]
    return " ".join(w for w in words if w)


def _noise(rng: np.random.Generator, text: str) -> str:
    """Typos, lost accents, hyphens, dotted acronyms and case, each with its own probability."""
    if text.isalpha() and text.isupper() and len(text) <= 6 and rng.random() < 0.4:
        return ".".join(text) + _pick(rng, (".", ""))  # "ORL" -> "O.R.L."
    if rng.random() < 0.35:
        text = _typo(rng, text)
    if rng.random() < 0.1:
        text = _typo(rng, text)
    if rng.random() < 0.35:
        text = _strip_accents(text)
    if rng.random() < 0.2:
        text = text.replace("-", " ") if "-" in text else text.replace(" ", "-", 1)
    case = rng.random()
    if case < 0.2:
        text = text.upper()
    elif case < 0.4:
        text = text.lower()
    elif case < 0.5:
        text = text.title()
    return text


def _typo(rng: np.random.Generator, text: str) -> str:
    """Drop, swap, double or replace one letter (never the first)."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha() and i > 0]
    if not letters:
        return text
    i = letters[rng.integers(len(letters))]
    kind = rng.integers(4)
    if kind == 0:
        return text[:i] + text[i + 1:]
    if kind == 1 and i + 1 < len(text):
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if kind == 2:
        return text[:i] + text[i] + text[i:]
    return text[:i] + "aeiouesnrtl"[rng.integers(11)] + text[i + 1:]


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _negative(rng: np.random.Generator) -> str:
    """A string of the unknown class: a non-health word, a name, a date or a number."""
    kind = rng.random()
    if kind < 0.45:
        text = _NON_HEALTH[rng.integers(len(_NON_HEALTH))]
        if rng.random() < 0.3:
            text = f"{text} - {_person(rng)['city']}"
    elif kind < 0.6:
        words = _GENERIC if kind < 0.53 else _LEFT_OUT
        text = words[rng.integers(len(words))]
        if rng.random() < 0.5:
            text = _pick(rng, ("{x} - Dr {name}", "{x} {city}", "Dr {name} - {x}",
                               "{x} - {first} {NAME}")).format(x=text, **_person(rng))
    elif kind < 0.85:
        text = _pick(rng, _NAME_LIKE).format(**_person(rng))
    elif kind < 0.93:
        day, month, year = rng.integers(1, 29), rng.integers(1, 13), rng.integers(1930, 2024)
        text = _pick(rng, (f"{day:02d}/{month:02d}/{year}", f"{year}-{month:02d}-{day:02d}",
                           f"{day:02d}/{month:02d}/{year} {rng.integers(8, 19)}h30"))
    else:
        letters = "abcdefghijklmnopqrstuvwxyz0123456789"
        size = rng.integers(2, 12)
        text = "".join(letters[j] for j in rng.integers(len(letters), size=size))
    return _noise(rng, text)
