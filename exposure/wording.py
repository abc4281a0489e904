"""Plain words, in French and English, shared by the report and the patient messages.

Art. 34(2) asks for "clear and plain language"; Art. 33(3) asks the
controller to describe the nature of the breach, the data concerned and the
likely consequences. This module holds those words once, so that the
authority's report, ``summary.json`` and each patient's message say the same
thing. Nothing here comes from the leak: the texts are keyed by the codes the
pipeline computes (specialty categories, incident circumstances, data kinds).
"""

from __future__ import annotations

from .errors import ParameterError
from .incident import Incident

__all__ = ["LANGUAGES", "check_language", "nature_text", "nature_short", "to_complete",
           "CATEGORY", "CONSEQUENCE", "DATA_KIND", "EXPOSED",
           "EXPOSED_SHORT", "GENERAL_CONSEQUENCES", "SHORT_CONSEQUENCES", "MONTHS"]

LANGUAGES = ("fr", "en")


def check_language(language: str, where: str) -> str:
    """Return ``language`` if it is supported, else raise :class:`ParameterError`.

    Examples
    --------
    >>> check_language("fr", "score")
    'fr'
    """
    if language not in LANGUAGES:
        raise ParameterError(f"The 'language' parameter of {where} must be one of "
                             f"{', '.join(LANGUAGES)}. Got {language!r} instead.")
    return language


def to_complete(value: str, what: dict[str, str], language: str) -> tuple[str, bool]:
    """The incident's text, or a visible "to complete" marker when it is empty.

    Examples
    --------
    >>> to_complete("", {"fr": "contact du DPO", "en": "DPO contact"}, "fr")
    ('[à compléter : contact du DPO]', True)
    >>> to_complete("dpo@example.org", {"fr": "contact du DPO", "en": "DPO contact"}, "en")
    ('dpo@example.org', False)
    >>> to_complete("", {}, "en")
    ('[to complete]', True)
    """
    text = " ".join(value.split())
    if text:
        return text, False
    marker = "à compléter" if language == "fr" else "to complete"
    if what.get(language):
        marker += (" : " if language == "fr" else ": ") + what[language]
    return f"[{marker}]", True


_NATURE = {
    "fr": {
        "confidentiality": {
            "unknown_recipients": "Des personnes non autorisées ont eu accès à des informations "
                                  "sur des rendez-vous médicaux, et nous ne pouvons pas savoir à qui "
                                  "elles ont pu être transmises.",
            "known_recipients": "Des informations sur des rendez-vous médicaux ont été communiquées "
                                "à des destinataires identifiés qui n'auraient pas dû les recevoir.",
        },
        "integrity": {
            "recoverable": "Des informations ont été modifiées sans autorisation ; les informations "
                           "d'origine ont pu être rétablies.",
            "unrecoverable": "Des informations ont été modifiées sans autorisation, et les "
                             "informations d'origine n'ont pas pu être rétablies.",
        },
        "availability": {
            "temporary": "Des informations ont été temporairement indisponibles.",
            "permanent": "Des informations ont été définitivement perdues.",
        },
        "malicious": {True: "Il s'agit d'un acte malveillant.",
                      False: "Il s'agit d'une erreur ou d'un incident, sans intention de nuire."},
        "unintelligible": "Les données étaient chiffrées et la clé n'a pas été compromise : elles "
                          "restent illisibles pour qui les détient.",
        "nothing": "Le fichier d'incident ne déclare aucune perte de confidentialité, d'intégrité "
                   "ni de disponibilité.",
    },
    "en": {
        "confidentiality": {
            "unknown_recipients": "Unauthorised people gained access to information about medical "
                                  "appointments, and we cannot know to whom it may have been "
                                  "passed on.",
            "known_recipients": "Information about medical appointments was disclosed to "
                                "identified recipients who should not have received it.",
        },
        "integrity": {
            "recoverable": "Information was altered without authorisation; the original "
                           "information has been restored.",
            "unrecoverable": "Information was altered without authorisation, and the original "
                             "information could not be restored.",
        },
        "availability": {
            "temporary": "Information was temporarily unavailable.",
            "permanent": "Information was permanently lost.",
        },
        "malicious": {True: "This was a malicious act.",
                      False: "This was an error or an accident, with no intent to harm."},
        "unintelligible": "The data was encrypted and the key was not compromised: it remains "
                          "unreadable to whoever holds it.",
        "nothing": "The incident file declares no loss of confidentiality, integrity or "
                   "availability.",
    },
}

_NATURE_SHORT = {
    "fr": {"unknown_recipients": "exposées sans autorisation",
           "malicious_unknown_recipients": "volées",
           "known_recipients": "envoyées par erreur à des tiers",
           "recoverable": "modifiées", "unrecoverable": "modifiées sans retour possible",
           "temporary": "temporairement indisponibles", "permanent": "perdues",
           "nothing": "exposées", "joiner": " et "},
    "en": {"unknown_recipients": "exposed without authorisation",
           "malicious_unknown_recipients": "stolen",
           "known_recipients": "sent in error to third parties",
           "recoverable": "altered", "unrecoverable": "altered beyond recovery",
           "temporary": "temporarily unavailable", "permanent": "lost",
           "nothing": "exposed", "joiner": " and "},
}


def nature_text(incident: Incident, language: str) -> str:
    """The nature of the breach in plain words (Art. 33(3)(a), Art. 34(2)).

    Examples
    --------
    >>> nature_text(Incident(), "en")  # doctest: +NORMALIZE_WHITESPACE
    'Unauthorised people gained access to information about medical appointments, and we
    cannot know to whom it may have been passed on. This was a malicious act.'
    """
    words = _NATURE[language]
    parts = [words[key][value] for key, value in (
        ("confidentiality", incident.confidentiality), ("integrity", incident.integrity),
        ("availability", incident.availability)) if value != "none"]
    if not parts:
        return words["nothing"]
    parts.append(words["malicious"][incident.malicious])
    if incident.unintelligible:
        parts.append(words["unintelligible"])
    return " ".join(parts)


def nature_short(incident: Incident, language: str) -> str:
    """A few words saying what happened to the data, for an SMS.

    Examples
    --------
    >>> nature_short(Incident(), "fr")
    'volées'
    >>> nature_short(Incident(confidentiality="none", availability="permanent"), "en")
    'lost'
    """
    words = _NATURE_SHORT[language]
    parts = []
    if incident.confidentiality != "none":
        malicious = incident.malicious and incident.confidentiality == "unknown_recipients"
        parts.append(words[("malicious_" if malicious else "") + incident.confidentiality])
    for value in (incident.integrity, incident.availability):
        if value != "none":
            parts.append(words[value])
    return words["joiner"].join(parts) or words["nothing"]


#: Specialty categories (``data/specialty_sensitivity.csv``) in plain words.
CATEGORY = {
    "fr": {
        "mental_health": "santé mentale", "sexual_health": "santé sexuelle",
        "hiv_sti": "VIH et infections sexuellement transmissibles",
        "substance_use": "addictions", "reproductive": "contraception, fertilité, IVG",
        "pregnancy": "grossesse", "oncology": "cancer", "genetic": "maladies génétiques",
        "violence": "violences subies", "incarceration": "détention, justice",
        "chronic_disease": "maladie chronique", "surgery": "chirurgie", "child": "enfant",
        "developmental": "troubles du développement", "weight": "poids, nutrition",
        "disability": "handicap", "cosmetic": "esthétique", "elderly": "grand âge",
        "infectious_disease": "maladie infectieuse", "cognitive": "troubles de la mémoire",
        "end_of_life": "fin de vie", "gender_identity": "transidentité",
        "social_vulnerability": "précarité", "none": "aucune catégorie sensible",
        "unknown": "spécialité non reconnue",
    },
    "en": {
        "mental_health": "mental health", "sexual_health": "sexual health",
        "hiv_sti": "HIV and sexually transmitted infections",
        "substance_use": "addiction", "reproductive": "contraception, fertility, abortion",
        "pregnancy": "pregnancy", "oncology": "cancer", "genetic": "genetic conditions",
        "violence": "violence suffered", "incarceration": "prison, justice",
        "chronic_disease": "chronic disease", "surgery": "surgery", "child": "child",
        "developmental": "developmental disorders", "weight": "weight, nutrition",
        "disability": "disability", "cosmetic": "cosmetic care", "elderly": "old age",
        "infectious_disease": "infectious disease", "cognitive": "memory disorders",
        "end_of_life": "end of life", "gender_identity": "gender identity",
        "social_vulnerability": "social hardship", "none": "no sensitive category",
        "unknown": "unrecognised specialty",
    },
}

#: Likely consequences of revealing each category, for the authority (Art. 33(3)(c)).
CONSEQUENCE = {
    "fr": {
        "mental_health": "Révèle un suivi en santé mentale : stigmatisation, discrimination "
                         "(emploi, assurance, entourage), chantage.",
        "sexual_health": "Révèle des éléments de santé ou de vie sexuelle : atteinte à "
                         "l'intimité, humiliation, chantage.",
        "hiv_sti": "Laisse supposer un dépistage ou un traitement du VIH ou d'une IST : "
                   "stigmatisation, discrimination, chantage.",
        "substance_use": "Révèle un suivi pour une addiction : stigmatisation, conséquences "
                         "professionnelles et familiales, chantage.",
        "reproductive": "Révèle un parcours de contraception, de fertilité ou d'IVG : atteinte à "
                        "l'intimité, pressions de l'entourage.",
        "pregnancy": "Révèle une grossesse, parfois avant qu'elle soit annoncée : discrimination "
                     "au travail, atteinte à l'intimité.",
        "oncology": "Révèle un cancer ou sa recherche : discrimination (emploi, assurance, "
                    "crédit), détresse psychologique.",
        "genetic": "Révèle une maladie génétique, qui concerne aussi les apparentés : "
                   "discrimination, détresse.",
        "violence": "Révèle que la personne a subi des violences : risque pour sa sécurité si "
                    "l'auteur l'apprend.",
        "incarceration": "Révèle une détention ou une procédure judiciaire : stigmatisation, "
                         "risque pour la sécurité.",
        "chronic_disease": "Révèle une maladie chronique : discrimination (emploi, assurance, "
                           "crédit).",
        "surgery": "Révèle une intervention chirurgicale : atteinte à la vie privée.",
        "child": "Concerne un enfant : vulnérabilité particulière, informations durables.",
        "developmental": "Révèle un trouble du développement (autisme, apprentissages) : "
                         "stigmatisation, notamment scolaire.",
        "weight": "Révèle un suivi du poids ou de la nutrition : stigmatisation.",
        "disability": "Révèle un handicap : discrimination.",
        "cosmetic": "Révèle un acte esthétique : atteinte à l'intimité.",
        "elderly": "Concerne une personne âgée : exposition accrue aux escroqueries ciblées.",
        "infectious_disease": "Révèle une maladie infectieuse (tuberculose, maladie tropicale) : "
                              "stigmatisation, mise à l'écart.",
        "cognitive": "Révèle des troubles de la mémoire : vulnérabilité aux escroqueries.",
        "end_of_life": "Révèle une maladie grave ou une fin de vie : détresse de la personne et "
                       "de ses proches.",
        "gender_identity": "Révèle une transidentité : discrimination, harcèlement, risque pour "
                           "la sécurité.",
        "social_vulnerability": "Révèle une précarité (absence de couverture maladie) : "
                                "stigmatisation.",
        "none": "Consultation courante : peu révélatrice, mais exploitable pour des messages "
                "frauduleux crédibles.",
        "unknown": "Spécialité non reconnue, traitée par prudence comme sensible : à vérifier.",
    },
    "en": {
        "mental_health": "Reveals mental-health care: stigma, discrimination (work, insurance, "
                         "family), blackmail.",
        "sexual_health": "Reveals sexual health or sex life: loss of intimacy, humiliation, "
                         "blackmail.",
        "hiv_sti": "Suggests HIV or STI testing or treatment: stigma, discrimination, blackmail.",
        "substance_use": "Reveals addiction care: stigma, consequences at work and at home, "
                         "blackmail.",
        "reproductive": "Reveals contraception, fertility or abortion care: loss of intimacy, "
                        "pressure from others.",
        "pregnancy": "Reveals a pregnancy, sometimes before it is announced: discrimination at "
                     "work, loss of intimacy.",
        "oncology": "Reveals cancer or its investigation: discrimination (work, insurance, "
                    "credit), psychological distress.",
        "genetic": "Reveals a genetic condition, which also concerns relatives: discrimination, "
                   "distress.",
        "violence": "Reveals that the person suffered violence: a danger if the perpetrator "
                    "learns of it.",
        "incarceration": "Reveals detention or legal proceedings: stigma, danger to safety.",
        "chronic_disease": "Reveals a chronic disease: discrimination (work, insurance, credit).",
        "surgery": "Reveals surgery: intrusion into private life.",
        "child": "Concerns a child: particular vulnerability, long-lasting information.",
        "developmental": "Reveals a developmental disorder (autism, learning): stigma, notably "
                         "at school.",
        "weight": "Reveals weight or nutrition care: stigma.",
        "disability": "Reveals a disability: discrimination.",
        "cosmetic": "Reveals cosmetic care: loss of intimacy.",
        "elderly": "Concerns an older person: more exposed to targeted scams.",
        "infectious_disease": "Reveals an infectious disease (tuberculosis, tropical disease): "
                              "stigma, exclusion.",
        "cognitive": "Reveals memory disorders: vulnerability to scams.",
        "end_of_life": "Reveals serious illness or end of life: distress for the person and "
                       "their family.",
        "gender_identity": "Reveals a gender transition: discrimination, harassment, danger to "
                           "safety.",
        "social_vulnerability": "Reveals social hardship (no health cover): stigma.",
        "none": "Routine visit: reveals little, but can make fraudulent messages credible.",
        "unknown": "Unrecognised specialty, scored as sensitive by caution: to be checked.",
    },
}

GENERAL_CONSEQUENCES = {
    "fr": "Ces informations peuvent servir à envoyer de faux messages crédibles (hameçonnage) au "
          "nom d'un praticien, d'un centre de santé ou d'un organisme, pour obtenir de l'argent, "
          "des mots de passe ou des données bancaires, et elles portent atteinte à la vie privée "
          "des personnes concernées.",
    "en": "This information can be used to send credible fake messages (phishing) in the name of "
          "a practitioner, a health centre or an organisation, to obtain money, passwords or bank "
          "details, and it intrudes on the privacy of the people concerned.",
}

SHORT_CONSEQUENCES = {
    "fr": "faux messages, atteinte à la vie privée",
    "en": "fake messages, loss of privacy",
}

#: Kinds of personal data, for Art. 33(3)(a) ("categories of personal data").
DATA_KIND = {
    "fr": {"name": "identité (nom, prénom)", "sex": "sexe", "birth_date": "date de naissance",
           "age": "âge", "email": "adresse e-mail", "phone": "numéro de téléphone",
           "address": "adresse postale", "nir": "numéro de sécurité sociale (NIR)",
           "patient_ref": "identifiant patient", "appointment": "date et heure du rendez-vous",
           "practitioner": "nom du praticien", "specialty": "spécialité du praticien (donnée "
           "de santé par déduction)", "practice": "lieu de consultation",
           "reason": "motif du rendez-vous (donnée de santé)"},
    "en": {"name": "identity (last and first name)", "sex": "sex", "birth_date": "date of birth",
           "age": "age", "email": "e-mail address", "phone": "phone number",
           "address": "postal address", "nir": "social security number (NIR)",
           "patient_ref": "patient identifier", "appointment": "date and time of the appointment",
           "practitioner": "practitioner's name", "specialty": "practitioner's specialty (health "
           "data by inference)", "practice": "place of consultation",
           "reason": "reason for the appointment (health data)"},
}

#: The same kinds addressed to the patient, in the order they are listed.
EXPOSED = {
    "fr": {"name": "vos nom et prénom", "sex": "votre sexe", "birth_date": "votre date de "
           "naissance", "age": "votre âge", "email": "votre adresse e-mail",
           "phone": "votre numéro de téléphone", "address": "votre adresse postale",
           "nir": "votre numéro de sécurité sociale", "patient_ref": "votre identifiant patient",
           "appointment": "la date et l'heure du rendez-vous", "practitioner": "le nom du "
           "praticien", "specialty": "sa spécialité", "practice": "le lieu de consultation",
           "reason": "le motif du rendez-vous", "and": " et "},
    "en": {"name": "your name", "sex": "your sex", "birth_date": "your date of birth",
           "age": "your age", "email": "your e-mail address", "phone": "your phone number",
           "address": "your postal address", "nir": "your social security number",
           "patient_ref": "your patient identifier", "appointment": "the date and time of the "
           "appointment", "practitioner": "the practitioner's name", "specialty": "their "
           "specialty", "practice": "the place of consultation",
           "reason": "the reason for the appointment", "and": " and "},
}

#: What leaked, in a few words for an SMS: contacts merge, the obvious goes.
EXPOSED_SHORT = {
    "fr": {"name": "nom", "birth_date": "date de naissance", "age": "âge", "email": "contact",
           "phone": "contact", "address": "contact", "nir": "n° de sécu",
           "practitioner": "praticien", "specialty": "spécialité", "reason": "motif"},
    "en": {"name": "name", "birth_date": "date of birth", "age": "age", "email": "contact",
           "phone": "contact", "address": "contact", "nir": "social security no.",
           "practitioner": "practitioner", "specialty": "specialty", "reason": "reason"},
}

MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}
