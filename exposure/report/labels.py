"""Names of the reason codes in the report: identifiability, circumstances, factors.

The pipeline's machine-readable codes (``EI_NAME_EMAIL``, ``CB_MALICIOUS``...)
as a reader of the report would say them, in French and English.
"""

from __future__ import annotations

__all__ = ["EI", "CB", "FACTOR"]

EI = {
    "fr": {"EI_NIR": "numéro de sécurité sociale", "EI_NAME_EMAIL": "nom et e-mail",
           "EI_NAME_PHONE": "nom et téléphone", "EI_NAME_BIRTHDATE": "nom et date de naissance",
           "EI_EMAIL_NAMED": "e-mail contenant le nom", "EI_NAME_ADDRESS": "nom et adresse",
           "EI_COMBINED": "deux contacts ensemble", "EI_ADDRESS": "adresse postale",
           "EI_UNINTELLIGIBLE": "données inintelligibles", "EI_NAME": "nom seul",
           "EI_EMAIL": "e-mail seul", "EI_PHONE": "téléphone seul",
           "EI_QI_HIGH": "quasi-identifiants (unique ou presque)",
           "EI_QI_MEDIUM": "quasi-identifiants (avec effort)",
           "EI_QI_LOW": "difficile à ré-identifier"},
    "en": {"EI_NIR": "social security number", "EI_NAME_EMAIL": "name and e-mail",
           "EI_NAME_PHONE": "name and phone", "EI_NAME_BIRTHDATE": "name and date of birth",
           "EI_EMAIL_NAMED": "e-mail containing the name", "EI_NAME_ADDRESS": "name and address",
           "EI_COMBINED": "two contacts together", "EI_ADDRESS": "postal address",
           "EI_UNINTELLIGIBLE": "unintelligible data", "EI_NAME": "name alone",
           "EI_EMAIL": "e-mail alone", "EI_PHONE": "phone alone",
           "EI_QI_HIGH": "quasi-identifiers (unique or nearly)",
           "EI_QI_MEDIUM": "quasi-identifiers (with effort)",
           "EI_QI_LOW": "hard to re-identify"},
}
CB = {
    "fr": {"CB_CONFIDENTIALITY_UNKNOWN_RECIPIENTS": "perte de confidentialité, destinataires "
           "inconnus", "CB_CONFIDENTIALITY_KNOWN_RECIPIENTS": "perte de confidentialité, "
           "destinataires connus", "CB_INTEGRITY_RECOVERABLE": "perte d'intégrité, réparable",
           "CB_INTEGRITY_UNRECOVERABLE": "perte d'intégrité, irréparable",
           "CB_AVAILABILITY_TEMPORARY": "perte de disponibilité, temporaire",
           "CB_AVAILABILITY_PERMANENT": "perte de disponibilité, définitive",
           "CB_MALICIOUS": "intention malveillante"},
    "en": {"CB_CONFIDENTIALITY_UNKNOWN_RECIPIENTS": "loss of confidentiality, unknown "
           "recipients", "CB_CONFIDENTIALITY_KNOWN_RECIPIENTS": "loss of confidentiality, known "
           "recipients", "CB_INTEGRITY_RECOVERABLE": "loss of integrity, recoverable",
           "CB_INTEGRITY_UNRECOVERABLE": "loss of integrity, unrecoverable",
           "CB_AVAILABILITY_TEMPORARY": "loss of availability, temporary",
           "CB_AVAILABILITY_PERMANENT": "loss of availability, permanent",
           "CB_MALICIOUS": "malicious intent"},
}

FACTOR = {
    "fr": {"dpc_4": "Spécialité très sensible (DPC 4)", "dpc_3": "Spécialité sensible (DPC 3)",
           "dpc_unknown": "Spécialité non reconnue (DPC 3 par prudence)",
           "dpc_2": "Spécialité modérément sensible (DPC 2)",
           "dpc_1": "Spécialité courante (DPC 1)", "minor": "Mineur : DPC relevé d'un point",
           "recurrent": "Consultations répétées : DPC relevé d'un point",
           "reason_text": "Motif en clair : DPC relevé d'un point",
           "ei": "Identifiable par {what} (EI {ei})", "cb": "Circonstance : {what} (+{score})"},
    "en": {"dpc_4": "Very sensitive specialty (DPC 4)", "dpc_3": "Sensitive specialty (DPC 3)",
           "dpc_unknown": "Unrecognised specialty (DPC 3 by caution)",
           "dpc_2": "Moderately sensitive specialty (DPC 2)",
           "dpc_1": "Routine specialty (DPC 1)", "minor": "Minor: DPC raised by one",
           "recurrent": "Repeated visits: DPC raised by one",
           "reason_text": "Leaked reason: DPC raised by one",
           "ei": "Identifiable by {what} (EI {ei})", "cb": "Circumstance: {what} (+{score})"},
}
