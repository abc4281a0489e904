"""The words of the report, in French and English, and how numbers are written.

French is the default: the report is attached to a notification to the CNIL.
Articles are quoted from the official French and English texts of the GDPR.
"""

from __future__ import annotations

import math

from .stats import Proportion

__all__ = ["TEXT", "LEVEL", "CHANNEL", "integer", "decimal", "percent", "rate"]

LEVEL = {
    "fr": {"low": "faible", "medium": "moyen", "high": "élevé", "very_high": "très élevé"},
    "en": {"low": "low", "medium": "medium", "high": "high", "very_high": "very high"},
}
CHANNEL = {
    "fr": {"email": "e-mail", "sms": "SMS", "phone": "appel téléphonique", "post": "courrier",
           "public": "communication publique (art. 34(3)(c))"},
    "en": {"email": "e-mail", "sms": "SMS", "phone": "phone call", "post": "letter",
           "public": "public communication (Art. 34(3)(c))"},
}
TEXT = {
    "fr": {
        "title": "Violation de données personnelles : évaluation et notification",
        "subtitle": "Rapport établi pour l'autorité de contrôle (RGPD, art. 33) et pour "
                    "l'information des personnes (art. 34)",
        "review": "Document de travail à relire avant envoi",
        "review_complete": "Éléments à compléter par le responsable du traitement :",
        "review_none": "Aucun élément à compléter n'a été détecté ; relisez le document avant "
                       "de l'envoyer.",
        "controller": "Responsable du traitement", "incident": "Incident",
        "input": "Fichier analysé", "produced": "Produit par",
        "toc": "Sommaire",
        "s_decisions": "1. Décisions", "s_art33": "2. Notification à l'autorité : "
        "contenu de l'article 33(3)", "s_figures": "3. Figures", "s_quality": "4. Qualité "
        "des données", "s_audit": "5. Audit", "s_notes": "6. Notes de méthode",
        "authority": "Autorité de contrôle (art. 33)",
        "notify_yes": "Notifier l'autorité de contrôle",
        "notify_no": "Pas de notification à l'autorité",
        "why_yes": "{n} patients sur {total} atteignent le niveau « {level} » ou au-delà, seuil "
                   "retenu par la politique de notification. La violation est donc "
                   "susceptible d'engendrer un risque pour les droits et libertés des personnes "
                   "physiques : le responsable du traitement la notifie à l'autorité de "
                   "contrôle compétente (en France, la CNIL) dans les meilleurs délais et, si "
                   "possible, 72 heures au plus tard après en avoir pris connaissance "
                   "(art. 33(1)). Les informations peuvent être fournies de manière échelonnée "
                   "(art. 33(4)).",
        "why_no": "Aucun patient n'atteint le niveau « {level} » (niveau le plus haut "
                  "observé : « {top} »). La violation n'est pas susceptible d'engendrer un "
                  "risque (art. 33(1)) ; elle est documentée dans le registre des violations "
                  "(art. 33(5)).",
        "patients_box": "Personnes concernées (art. 34)",
        "tell": "{n} patients à informer",
        "tell_why": "Patients dont la violation est susceptible d'engendrer un risque élevé "
                    "(niveau « {level} » ou au-delà), soit {rate} des patients. Chacun reçoit "
                    "un message prêt à relire dans notifications.csv (colonnes subject et "
                    "message).",
        "tell_none": "Aucun patient n'atteint le niveau « {level} » : pas de communication "
                     "individuelle requise (art. 34(1)).",
        "guarded": "{shared} messages vont à un contact partagé par plusieurs patients et "
                   "{guardian} au représentant légal d'un mineur : ils ne citent ni spécialité "
                   "ni rendez-vous et invitent le destinataire à contacter le DPO.",
        "exempt": "{n} patients auraient été informés si les données avaient été lisibles : "
                  "exemptés par l'art. 34(3)(a) (données inintelligibles).",
        "channel": "Canal", "patients": "Patients", "records": "Enregistrements",
        "appointments": "Rendez-vous",
        "share": "Part (IC 95 %)", "level": "Niveau", "count": "Nombre",
        "key_figures": "Chiffres clés",
        "records_line": "{n} rendez-vous exposés ({rejected} rejetés à la lecture), {p} "
                        "patients distincts.",
        "a_nature": "a) Nature de la violation",
        "a_subjects": "a) Catégories et nombre approximatif de personnes concernées",
        "a_records": "a) Catégories et nombre approximatif d'enregistrements concernés",
        "b_dpo": "b) Délégué à la protection des données (point de contact)",
        "c_consequences": "c) Conséquences probables",
        "d_measures": "d) Mesures prises ou envisagées",
        "circumstances": "Circonstances retenues (ENISA, « circumstances of breach ») :",
        "cb_total": "Total des circonstances : CB = {cb}",
        "cb_none": "aucune circonstance aggravante",
        "subjects_text": "Environ {approx} patients ({n} exactement), dont {minors} mineurs au "
                         "moment du rendez-vous. Catégorie : patients ayant pris rendez-vous "
                         "auprès de professionnels de santé.",
        "records_text": "Environ {approx} enregistrements de rendez-vous ({n} exactement).",
        "data_kinds": "Catégories de données exposées",
        "kind": "Donnée", "with_value": "Enregistrements où elle figure",
        "health_note": "La spécialité du praticien consulté révèle une information sur la santé "
                       "de la personne : ce sont des données de santé par déduction "
                       "(art. 9 RGPD ; CJUE, 1er août 2022, C-184/20). Pour de telles données, "
                       "le dommage doit être considéré comme probable (CEPD, lignes directrices "
                       "9/2022, § 102).",
        "general": "Pour toutes les personnes :",
        "by_category": "Selon ce que révèle la spécialité consultée :",
        "category": "Catégorie révélée", "consequences": "Conséquences probables",
        "to_complete": "à compléter",
        "figures_intro": "Chaque figure est suivie des nombres qu'elle représente.",
        "f_levels": "Patients par niveau de gravité",
        "f_levels_alt": "Barres horizontales : nombre de patients par niveau de gravité.",
        "f_categories": "Catégories révélées par la spécialité, selon le niveau du patient",
        "f_categories_alt": "Carte de chaleur : patients par catégorie révélée et par niveau.",
        "f_timeline": "Rendez-vous exposés au cours du temps, selon le niveau du patient",
        "f_timeline_alt": "Barres empilées : rendez-vous exposés par {unit}.",
        "f_reasons": "Ce qui a conduit à informer les patients",
        "f_reasons_alt": "Barres horizontales : nombre de patients informés concernés par "
                         "chaque facteur.",
        "f_reasons_note": "En bleu, ce que révèle la spécialité (DPC) ; en vert, la facilité "
                          "d'identification (EI) ; en gris, les circonstances (CB), communes à "
                          "tous. Un patient compte pour chaque facteur qui le concerne.",
        "unit": {"day": "jour", "week": "semaine (à partir du lundi)", "month": "mois"},
        "no_dates": "Aucune date de rendez-vous dans le fichier : pas de chronologie.",
        "no_notified": "Aucun patient à informer.",
        "no_patients": "Aucun enregistrement n'a pu être évalué : il n'y a rien à représenter.",
        "show_numbers": "Afficher les nombres",
        "period": "Période", "factor": "Facteur", "undated": "{n} rendez-vous sans date.",
        "q_item": "Point contrôlé", "q_value": "Constat",
        "q_rejected": "Enregistrements rejetés à la lecture (listés dans rejected.csv)",
        "q_unknown": "Rendez-vous dont la spécialité n'est pas reconnue (traités comme "
                     "sensibles, à vérifier)",
        "q_missing": "Rendez-vous sans spécialité", "q_filled": "Spécialité déduite des "
        "autres rendez-vous du praticien",
        "q_shared": "Patients dont le contact est partagé avec d'autres patients",
        "q_minors": "Patients mineurs au moment d'un rendez-vous",
        "q_linkage": "Rapprochement : rendez-vous regroupés en patients",
        "q_linkage_value": "{records} rendez-vous → {patients} patients ; {multi} patients ont "
                           "plusieurs rendez-vous (au plus {max}).",
        "q_reid": "Ré-identification sans le nom (clés : {keys})",
        "q_reid_value": "{unique} des rendez-vous sont uniques sur ces clés ; ré-identifications "
                        "attendues : {expected} ; k minimal : {k}.",
        "q_public": "Patients à informer sans aucun contact utilisable : communication publique "
                    "(art. 34(3)(c))",
        "q_public_list": "patient_id : {ids}",
        "q_public_many": "{n} patients : voir notifications.csv, canal « public ».",
        "q_no_contact_all": "Patients sans contact utilisable (tous niveaux)",
        "q_sms": "SMS de plus de deux parties (160 caractères GSM chacune)",
        "reasons_rejected": "Motifs de rejet", "none": "aucun",
        "a_item": "Élément", "a_value": "Valeur",
        "a_input": "Fichier d'entrée", "a_sha": "Empreinte SHA-256 du fichier d'entrée",
        "a_versions": "Versions", "a_model": "Modèle de lecture des spécialités",
        "a_model_none": "aucun modèle : correspondance par la table des spécialités",
        "a_table": "Table des spécialités (SHA-256)",
        "a_templates": "Modèles de messages", "a_templates_value": "{source}, langue {lang}, "
        "SHA-256 {sha}", "shipped": "fournis avec exposure", "custom": "personnalisés",
        "a_incident": "Incident tel qu'appliqué", "a_policy": "Politique de notification",
        "a_policy_value": "autorité à partir du niveau « {authority} », patients à partir du "
                          "niveau « {patient} »",
        "a_columns": "Colonnes reconnues", "a_flags": "Indicateurs ENISA (hors score)",
        "flag_100": "plus de 100 personnes", "flag_unintelligible": "données inintelligibles",
        "yes": "oui", "no": "non", "unknown_value": "non renseigné",
        "notes": [
            "Gravité : méthode ENISA (Recommendations for a methodology of the assessment of "
            "severity of personal data breaches, 2013), SE = DPC × EI + CB ; niveaux : faible "
            "< 2 ≤ moyen < 3 ≤ élevé < 4 ≤ très élevé. DPC : ce que révèle la spécialité "
            "(1 à 4), relevé d'un point pour un mineur, des consultations répétées ou un motif "
            "en clair ; EI : facilité d'identification (0,25 à 1) ; CB : circonstances de la "
            "violation (0 à 2).",
            "Seuils : l'ENISA n'en fixe aucun (§ 4.1.2). Ceux appliqués ici viennent de la "
            "politique de notification du fichier d'incident (section Audit) : ils traduisent "
            "« susceptible d'engendrer un risque » (art. 33(1)) et « un risque élevé » "
            "(art. 34(1)).",
            "Intervalles : chaque part est donnée avec un intervalle de confiance à 95 % de "
            "Wilson (E. B. Wilson, JASA 22, 1927, p. 209-212 ; L. D. Brown, T. T. Cai, "
            "A. DasGupta, Statistical Science 16, 2001, p. 101-133). Les nombres du fichier "
            "sont exacts ; l'intervalle dit ce que la part vaudrait pour l'ensemble des "
            "rendez-vous dont le fichier serait un échantillon.",
            "Nombres approximatifs (art. 33(3)(a)) : arrondis à deux chiffres significatifs.",
            "Ce rapport ne nomme aucun patient : les patients sont désignés par leur patient_id, "
            "qui renvoie aux fichiers patients.csv et notifications.csv du même dossier. Il ne "
            "charge aucune ressource externe et peut être ouvert sur un poste isolé.",
        ],
    },
    "en": {
        "title": "Personal data breach: assessment and notification",
        "subtitle": "Report prepared for the supervisory authority (GDPR Art. 33) and for "
                    "informing the people concerned (Art. 34)",
        "review": "Working document, to review before sending",
        "review_complete": "Items the controller must complete:",
        "review_none": "No item to complete was detected; review the document before sending "
                       "it.",
        "controller": "Controller", "incident": "Incident", "input": "File assessed",
        "produced": "Produced by", "toc": "Contents",
        "s_decisions": "1. Decisions", "s_art33": "2. Notification to the authority: the "
        "content of Article 33(3)", "s_figures": "3. Figures", "s_quality": "4. Data quality",
        "s_audit": "5. Audit", "s_notes": "6. Notes on method",
        "authority": "Supervisory authority (Art. 33)",
        "notify_yes": "Notify the supervisory authority",
        "notify_no": "No notification to the authority",
        "why_yes": "{n} of {total} patients reach the “{level}” level or above, the threshold "
                   "of the notification policy. The breach is therefore likely to result in a "
                   "risk to the rights and freedoms of natural persons: the controller "
                   "notifies the competent supervisory authority without undue delay and, "
                   "where feasible, not later than 72 hours after having become aware of it "
                   "(Art. 33(1)). The information may be provided in phases (Art. 33(4)).",
        "why_no": "No patient reaches the “{level}” level (highest level seen: “{top}”). The "
                  "breach is unlikely to result in a risk (Art. 33(1)); it is documented in "
                  "the breach register (Art. 33(5)).",
        "patients_box": "People concerned (Art. 34)",
        "tell": "{n} patients to inform",
        "tell_why": "Patients for whom the breach is likely to result in a high risk (“{level}” "
                    "level or above), {rate} of the patients. Each has a message ready to "
                    "review in notifications.csv (columns subject and message).",
        "tell_none": "No patient reaches the “{level}” level: no individual communication is "
                     "required (Art. 34(1)).",
        "guarded": "{shared} messages go to a contact several patients share and {guardian} to "
                   "a minor's legal guardian: they name no specialty and no appointment, and "
                   "ask the recipient to contact the DPO.",
        "exempt": "{n} patients would have been informed had the data been readable: exempt "
                  "under Art. 34(3)(a) (unintelligible data).",
        "channel": "Channel", "patients": "Patients", "records": "Records",
        "appointments": "Appointments",
        "share": "Share (95% CI)", "level": "Level", "count": "Count",
        "key_figures": "Key figures",
        "records_line": "{n} exposed appointments ({rejected} rejected when read), {p} distinct "
                        "patients.",
        "a_nature": "a) Nature of the breach",
        "a_subjects": "a) Categories and approximate number of data subjects concerned",
        "a_records": "a) Categories and approximate number of personal data records concerned",
        "b_dpo": "b) Data protection officer (contact point)",
        "c_consequences": "c) Likely consequences",
        "d_measures": "d) Measures taken or proposed",
        "circumstances": "Circumstances retained (ENISA “circumstances of breach”):",
        "cb_total": "Total circumstances: CB = {cb}", "cb_none": "no aggravating circumstance",
        "subjects_text": "About {approx} patients ({n} exactly), {minors} of them minors at the "
                         "time of the appointment. Category: patients who booked appointments "
                         "with health professionals.",
        "records_text": "About {approx} appointment records ({n} exactly).",
        "data_kinds": "Categories of personal data exposed",
        "kind": "Data", "with_value": "Records holding it",
        "health_note": "The specialty of the practitioner consulted reveals information about "
                       "the person's health: it is health data by inference (GDPR Art. 9; CJEU, "
                       "1 August 2022, C-184/20). For such data, damage should be considered "
                       "likely to occur (EDPB Guidelines 9/2022, para. 102).",
        "general": "For everyone:", "by_category": "Depending on what the specialty reveals:",
        "category": "Category revealed", "consequences": "Likely consequences",
        "to_complete": "to complete",
        "figures_intro": "Each figure is followed by the numbers it shows.",
        "f_levels": "Patients per severity level",
        "f_levels_alt": "Horizontal bars: number of patients per severity level.",
        "f_categories": "Categories revealed by the specialty, by the patient's level",
        "f_categories_alt": "Heat map: patients per category revealed and level.",
        "f_timeline": "Exposed appointments over time, by the patient's level",
        "f_timeline_alt": "Stacked bars: exposed appointments per {unit}.",
        "f_reasons": "What led to informing the patients",
        "f_reasons_alt": "Horizontal bars: number of informed patients each factor applies to.",
        "f_reasons_note": "Blue: what the specialty reveals (DPC); green: ease of "
                          "identification (EI); grey: the circumstances (CB), common to all. A "
                          "patient counts for each factor that applies to them.",
        "unit": {"day": "day", "week": "week (from Monday)", "month": "month"},
        "no_dates": "No appointment date in the file: no timeline.",
        "no_notified": "No patient to inform.",
        "no_patients": "No record could be scored: there is nothing to draw.", "show_numbers": "Show the numbers",
        "period": "Period", "factor": "Factor", "undated": "{n} appointments without a date.",
        "q_item": "Check", "q_value": "Finding",
        "q_rejected": "Records rejected when read (listed in rejected.csv)",
        "q_unknown": "Appointments whose specialty is not recognised (scored as sensitive, "
                     "to check)",
        "q_missing": "Appointments without a specialty",
        "q_filled": "Specialty taken from the practitioner's other appointments",
        "q_shared": "Patients whose contact is shared with other patients",
        "q_minors": "Patients who were minors at an appointment",
        "q_linkage": "Linkage: appointments grouped into patients",
        "q_linkage_value": "{records} appointments → {patients} patients; {multi} patients have "
                           "several appointments (at most {max}).",
        "q_reid": "Re-identification without the name (keys: {keys})",
        "q_reid_value": "{unique} of appointments are unique on these keys; expected "
                        "re-identifications: {expected}; minimum k: {k}.",
        "q_public": "Patients to inform with no usable contact: public communication "
                    "(Art. 34(3)(c))",
        "q_public_list": "patient_id: {ids}",
        "q_public_many": "{n} patients: see notifications.csv, channel “public”.",
        "q_no_contact_all": "Patients with no usable contact (all levels)",
        "q_sms": "SMS longer than two parts (160 GSM characters each)",
        "reasons_rejected": "Reasons for rejection", "none": "none",
        "a_item": "Item", "a_value": "Value",
        "a_input": "Input file", "a_sha": "SHA-256 of the input file", "a_versions": "Versions",
        "a_model": "Specialty reading model",
        "a_model_none": "no model: matched with the specialty table",
        "a_table": "Specialty table (SHA-256)",
        "a_templates": "Message templates",
        "a_templates_value": "{source}, language {lang}, SHA-256 {sha}",
        "shipped": "shipped with exposure", "custom": "custom",
        "a_incident": "Incident as applied", "a_policy": "Notification policy",
        "a_policy_value": "authority from the “{authority}” level, patients from the "
                          "“{patient}” level",
        "a_columns": "Columns recognised", "a_flags": "ENISA flags (outside the score)",
        "flag_100": "more than 100 individuals", "flag_unintelligible": "data unintelligible",
        "yes": "yes", "no": "no", "unknown_value": "not given",
        "notes": [
            "Severity: ENISA method (Recommendations for a methodology of the assessment of "
            "severity of personal data breaches, 2013), SE = DPC × EI + CB; levels: low < 2 ≤ "
            "medium < 3 ≤ high < 4 ≤ very high. DPC: what the specialty reveals (1 to 4), "
            "raised by one for a minor, repeated visits or a leaked reason; EI: ease of "
            "identification (0.25 to 1); CB: circumstances of the breach (0 to 2).",
            "Thresholds: ENISA sets none (section 4.1.2). Those applied here come from the "
            "notification policy of the incident file (Audit section): they translate “likely "
            "to result in a risk” (Art. 33(1)) and “a high risk” (Art. 34(1)).",
            "Intervals: every share comes with a 95% Wilson interval (E. B. Wilson, JASA 22, "
            "1927, pp. 209-212; L. D. Brown, T. T. Cai, A. DasGupta, Statistical Science 16, "
            "2001, pp. 101-133). The counts of the file are exact; the interval says what the "
            "share would be for all appointments of which the file were a sample.",
            "Approximate numbers (Art. 33(3)(a)): rounded to two significant figures.",
            "This report names no patient: patients are designated by their patient_id, which "
            "points to patients.csv and notifications.csv in the same folder. It loads no "
            "external resource and can be opened on an isolated machine.",
        ],
    },
}


def integer(n: int | float, language: str) -> str:
    r"""A count with the language's thousands separator.

    Examples
    --------
    >>> integer(6128, "fr"), integer(6128, "en")
    ('6\u202f128', '6,128')
    """
    text = f"{int(n):,}"
    return text.replace(",", "\u202f") if language == "fr" else text


def decimal(x: float, language: str, digits: int = 2) -> str:
    """A number with ``digits`` decimals at most, trailing zeros dropped.

    Examples
    --------
    >>> decimal(1.0, "fr"), decimal(0.25, "fr"), decimal(5623.9166, "en", 1)
    ('1', '0,25', '5,623.9')
    """
    text = f"{x:,.{digits}f}".rstrip("0").rstrip(".")
    if language == "fr":
        return text.replace(",", "\u202f").replace(".", ",")
    return text


def percent(x: float, language: str) -> str:
    r"""A share as a percentage with one decimal.

    Examples
    --------
    >>> percent(0.3944, "fr"), percent(0.3944, "en")
    ('39,4\xa0%', '39.4%')
    """
    if math.isnan(x):
        return "–"
    text = f"{100 * x:.1f}"
    return text.replace(".", ",") + "\u00a0%" if language == "fr" else text + "%"


def rate(p: Proportion, language: str, *, short: bool = False) -> str:
    """A share with its Wilson interval: "39,4 % (IC 95 % : 37,9–40,9 %)".

    ``short`` leaves out the "95% CI" words, for a table column that says it.

    Examples
    --------
    >>> from exposure.report.stats import proportion
    >>> rate(proportion(3, 10), "en"), rate(proportion(3, 10), "en", short=True)
    ('30.0% (95% CI 10.8–60.3%)', '30.0% (10.8–60.3)')
    """
    if p.n == 0:
        return "–"
    low, high = (f"{100 * v:.1f}" for v in (p.low, p.high))
    if short:
        text = f"{percent(p.rate, language)} ({low}–{high})"
        return text.replace(".", ",") if language == "fr" else text
    if language == "fr":
        return (f"{percent(p.rate, 'fr')} (IC 95\u00a0% : {low.replace('.', ',')}–"
                f"{high.replace('.', ',')}\u00a0%)")
    return f"{percent(p.rate, 'en')} (95% CI {low}–{high}%)"
