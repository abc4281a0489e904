"""Vocabulary for :mod:`exposure.synth`: specialties, their mix and their labels.

How often each specialty is booked, who books it, how patients come back, and
how exports write its label. Plain constants; :func:`exposure._synth_names.tables`
flattens them for the generator. Sources: ``reference/specialties.md``
sections 2, 5 and 6, and the booking patterns described there.
"""

from __future__ import annotations

# --- specialties ------------------------------------------------------------------------------
#
# code: (share of appointments in %, practitioner is a doctor ("Dr"), share of the pool that
#        are centres, share of female practitioners, share of female adult patients,
#        adult age profile, share of episodes that are a child booked by a parent,
#        child age profile, P(k visits) for k = 1, 2, ..., days between visits)
#
# Follow-up patterns (psychiatry monthly, psychologist weekly or every other week,
# chemotherapy cycles every 2-3 weeks, physiotherapy series) make the volume rule of
# DESIGN.md section 7 (>= 3 high-tier records over >= 30 days) reachable.

_ONE = ((0.92, 0.08), (14, 21, 28))
SPECIALTIES: dict[str, tuple] = {
    "general_practice": (37.0, True, 0.0, 0.5, 0.57, "adult", 0.085, "child_any", _ONE),
    "dentist": (8.5, True, 0.0, 0.45, 0.55, "adult", 0.09, "child_dental",
                ((0.6, 0.25, 0.15), (7, 14, 21))),
    "physiotherapist": (7.0, False, 0.0, 0.5, 0.58, "working", 0.0, "",
                        ((0.25, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05), (3, 4, 7))),
    "ophthalmology": (5.0, True, 0.0, 0.45, 0.58, "older", 0.0, "", _ONE),
    "dermatology": (4.0, True, 0.0, 0.65, 0.62, "adult", 0.0, "", _ONE),
    "pediatrics": (3.8, True, 0.0, 0.7, 0.5, "adult", 1.0, "child_baby", _ONE),
    "medical_gynecology": (3.0, True, 0.0, 0.8, 1.0, "repro", 0.0, "", _ONE),
    "obstetrics_gynecology": (1.5, True, 0.0, 0.6, 1.0, "pregnancy", 0.0, "",
                              ((0.6, 0.3, 0.1), (28, 30))),
    "midwife": (1.5, False, 0.0, 0.97, 1.0, "pregnancy", 0.0, "", ((0.5, 0.3, 0.2), (28, 30))),
    "radiology": (2.5, True, 0.0, 0.4, 0.6, "older", 0.0, "", _ONE),
    "cardiology": (2.0, True, 0.0, 0.3, 0.45, "older", 0.0, "", _ONE),
    "ent": (1.8, True, 0.0, 0.35, 0.52, "adult", 0.0, "", _ONE),
    "psychologist": (3.0, False, 0.0, 0.85, 0.7, "working", 0.0, "",
                     ((0.35, 0.15, 0.15, 0.1, 0.1, 0.05, 0.05, 0.05), (7, 14))),
    "osteopath": (2.5, False, 0.0, 0.45, 0.6, "working", 0.0, "", ((0.85, 0.15), (14, 21, 28))),
    "psychiatry": (3.5, True, 0.0, 0.5, 0.55, "working", 0.0, "", ((0.3, 0.4, 0.3), (28, 30, 35))),
    "medical_oncology": (1.4, True, 0.0, 0.45, 0.52, "oncology", 0.0, "",
                         ((0.2, 0.2, 0.25, 0.2, 0.15), (14, 21))),
    "radiation_oncology": (0.6, True, 0.0, 0.4, 0.55, "oncology", 0.0, "",
                           ((0.5, 0.3, 0.2), (7, 14))),
    "addiction": (0.7, True, 0.5, 0.5, 0.3, "working", 0.0, "",
                  ((0.4, 0.25, 0.2, 0.15), (14, 21))),
    "sti_hiv_screening": (0.4, True, 1.0, 0.5, 0.4, "young", 0.0, "", ((0.85, 0.15), (21, 28))),
    "infectious_diseases": (0.3, True, 0.0, 0.45, 0.35, "working", 0.0, "",
                            ((0.7, 0.3), (28, 42))),
    "sexual_health_centre": (0.3, True, 1.0, 0.8, 0.85, "sexual_health", 0.0, "",
                             ((0.8, 0.2), (14, 21))),
    "mental_health_facility": (0.2, True, 1.0, 0.5, 0.5, "working", 0.0, "",
                               ((0.4, 0.35, 0.25), (28, 30))),
    "child_psychiatry": (0.4, True, 0.0, 0.6, 0.5, "working", 1.0, "child_psy",
                         ((0.4, 0.35, 0.25), (28, 35))),
    "speech_therapist": (1.2, False, 0.0, 0.96, 0.5, "older", 0.7, "child_speech",
                         ((0.3, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1), (7,))),
    "orthodontics": (1.0, True, 0.0, 0.55, 0.6, "working", 0.8, "child_ortho",
                     ((0.6, 0.4), (28, 35, 42))),
    "rheumatology": (0.8, True, 0.0, 0.45, 0.65, "older", 0.0, "", _ONE),
    "gastroenterology_hepatology": (0.8, True, 0.0, 0.35, 0.52, "older", 0.0, "", _ONE),
    "endocrinology_diabetology": (0.7, True, 0.0, 0.6, 0.62, "adult", 0.0, "", _ONE),
    "pulmonology": (0.5, True, 0.0, 0.4, 0.48, "older", 0.0, "", _ONE),
    "neurology": (0.6, True, 0.0, 0.45, 0.55, "adult", 0.0, "", _ONE),
    "urology": (0.6, True, 0.0, 0.15, 0.12, "older", 0.0, "", _ONE),
    "allergology": (0.4, True, 0.0, 0.6, 0.55, "adult", 0.0, "", _ONE),
    "orthopedic_surgery": (0.8, True, 0.0, 0.15, 0.5, "adult", 0.0, "", _ONE),
    "vascular_medicine": (0.3, True, 0.0, 0.45, 0.65, "older", 0.0, "", _ONE),
    "podiatrist": (0.5, False, 0.0, 0.7, 0.62, "older", 0.0, "", _ONE),
    "dietitian": (0.4, False, 0.0, 0.9, 0.75, "adult", 0.0, "", ((0.6, 0.4), (21, 28))),
}

# Age profiles: (first age, last age, relative weight per year of age) bands.
AGE_PROFILES: dict[str, tuple[tuple[int, int, float], ...]] = {
    "adult": ((18, 29, 0.8), (30, 44, 1.0), (45, 59, 1.0), (60, 74, 1.0), (75, 89, 0.6),
              (90, 99, 0.08)),
    "older": ((18, 39, 0.25), (40, 54, 0.6), (55, 69, 1.0), (70, 84, 1.0), (85, 99, 0.2)),
    "oncology": ((25, 44, 0.15), (45, 59, 0.6), (60, 74, 1.0), (75, 89, 0.55)),
    "working": ((18, 29, 1.0), (30, 44, 1.0), (45, 59, 0.8), (60, 74, 0.3), (75, 89, 0.05)),
    "young": ((18, 24, 1.0), (25, 34, 1.0), (35, 44, 0.5), (45, 59, 0.2), (60, 74, 0.05)),
    "sexual_health": ((15, 17, 0.4), (18, 24, 1.0), (25, 34, 0.6), (35, 49, 0.2)),
    "repro": ((18, 24, 0.5), (25, 34, 1.0), (35, 44, 0.7), (45, 59, 0.4), (60, 79, 0.15)),
    "pregnancy": ((18, 24, 0.4), (25, 34, 1.0), (35, 44, 0.4)),
    "parent": ((22, 29, 0.6), (30, 44, 1.0), (45, 55, 0.4)),
    "practitioner": ((27, 39, 1.0), (40, 59, 1.0), (60, 70, 0.5)),
    "child_any": ((0, 1, 1.6), (2, 5, 1.0), (6, 11, 0.9), (12, 17, 0.8)),
    "child_baby": ((0, 0, 3.0), (1, 2, 2.0), (3, 5, 1.0), (6, 11, 0.5), (12, 17, 0.3)),
    "child_ortho": ((8, 9, 0.4), (10, 15, 1.0), (16, 17, 0.4)),
    "child_speech": ((3, 5, 0.8), (6, 11, 1.0), (12, 15, 0.3)),
    "child_psy": ((4, 7, 0.6), (8, 14, 1.0), (15, 17, 0.9)),
    "child_dental": ((3, 5, 0.4), (6, 17, 1.0)),
}

# --- specialty labels as exports write them -----------------------------------------------
#
# code: (clean labels, messy labels), each a tuple of (label, weight). "Clean" means a
# case- and accent-insensitive lookup of standard French names finds it; "messy" are
# clipped forms, RPPS display strings, "Dr {nom} - ..." (filled with the practitioner's
# name), combined labels and typos. Centres have their own labels in CENTRE_LABELS.

LABELS: dict[str, tuple[tuple[tuple[str, float], ...], tuple[tuple[str, float], ...]]] = {
    "general_practice": (
        (("Médecin généraliste", 45), ("Médecine générale", 30), ("Généraliste", 8),
         ("Médecin traitant", 3), ("Qualifié en médecine générale", 2)),
        (("Médecin - Médecine générale (SM)", 3), ("Dr {nom} - médecin généraliste", 2),
         ("MG", 1), ("Med. generale", 1), ("Médecin generalste", 1), ("Cabinet médical", 1)),
    ),
    "dentist": (
        (("Chirurgien-dentiste", 45), ("Dentiste", 35), ("Chirurgien dentiste", 10),
         ("Médecine bucco-dentaire", 2)),
        (("Chir. dentiste", 2), ("Cabinet dentaire Dr {nom}", 2), ("Dentsite", 1),
         ("Chirurgien-dentiste - omnipratique", 1)),
    ),
    "physiotherapist": (
        (("Masseur-kinésithérapeute", 45), ("Kinésithérapeute", 40),
         ("Masseur kinésithérapeute", 6)),
        (("Kiné", 3), ("MK", 1), ("Masseur-Kinésithérapeute D.E.", 2), ("Kinésitérapeute", 1)),
    ),
    "ophthalmology": (
        (("Ophtalmologue", 60), ("Ophtalmologiste", 20), ("Ophtalmologie", 15)),
        (("Ophtalmo", 3), ("Ophtamologue", 2), ("Ophtalmologue - chirurgie réfractive", 1)),
    ),
    "dermatology": (
        (("Dermatologue", 70), ("Dermatologie et vénéréologie", 15),
         ("Dermatologue-vénérologue", 5)),
        (("Dermato", 3), ("Dermatolgue", 1), ("Dr {nom} - dermatologue", 1),
         ("Médecin - Dermatologie et vénéréologie (SM)", 2)),
    ),
    "pediatrics": (
        (("Pédiatre", 75), ("Pédiatrie", 20)),
        (("Dr {nom} - pédiatre", 2), ("Pédiatrie option néonatologie", 1), ("Pediatr", 1),
         ("Médecin - Pédiatrie (SM)", 2)),
    ),
    "medical_gynecology": (
        (("Gynécologue médical", 40), ("Gynécologue", 40), ("Gynécologie médicale", 15)),
        (("Gynéco", 4), ("Médecin - Gynécologie médicale (SM)", 2), ("Gynecolgue", 1)),
    ),
    "obstetrics_gynecology": (
        (("Gynécologue obstétricien", 45), ("Gynécologue-obstétricien", 25),
         ("Gynécologie-obstétrique", 20), ("Obstétricien", 5)),
        (("Gynéco-obstétricien", 3), ("GO", 1), ("Médecin - Gynécologie-obstétrique (SM)", 2)),
    ),
    "midwife": (
        (("Sage-femme", 80), ("Sage femme", 15)),
        (("SF", 1), ("Sage-femme échographiste", 2), ("Sage-femme - rééducation périnéale", 2)),
    ),
    "radiology": (
        (("Radiologue", 60), ("Radiologie et imagerie médicale", 20), ("Imagerie médicale", 10)),
        (("Centre d'imagerie", 3), ("Radiologie - IRM - Scanner", 3), ("Radio", 1)),
    ),
    "cardiology": (
        (("Cardiologue", 75), ("Cardiologie", 10), ("Cardiologie et maladies vasculaires", 8)),
        (("Cardio", 3), ("Médecin - Cardiologie et maladies vasculaires (SM)", 2),
         ("Cardilogue", 1)),
    ),
    "ent": (
        (("ORL", 60), ("Oto-rhino-laryngologiste", 20), ("ORL et chirurgie cervico-faciale", 12)),
        (("ORL - chirurgien cervico-facial", 3), ("Oto-rhino", 2),
         ("Médecin - ORL et chirurgie cervico-faciale (SM)", 2)),
    ),
    "psychologist": (
        (("Psychologue", 70), ("Psychologue clinicien", 12), ("Psychologue clinicienne", 12)),
        (("Psy", 2), ("Psychologue - psychothérapeute", 3), ("Psychologue TCC", 2),
         ("Psycologue", 1)),
    ),
    "osteopath": (
        (("Ostéopathe", 85), ("Ostéopathe D.O.", 10)),
        (("Ostéo", 3), ("Ostéopathie - crânien et viscéral", 2)),
    ),
    "psychiatry": (
        (("Psychiatre", 70), ("Psychiatrie", 12), ("Médecin psychiatre", 10)),
        (("Dr {nom} - psychiatre", 3), ("Médecin - Psychiatrie (SM)", 3),
         ("Psychiatre - psychothérapeute", 2), ("Psychiatr", 1), ("Psy", 1)),
    ),
    "child_psychiatry": (
        (("Pédopsychiatre", 75), ("Psychiatre de l'enfant et de l'adolescent", 15)),
        (("Pédopsy", 3), ("Médecin - Psychiatrie option enfant et adolescent (SM)", 3),
         ("Pedopsychiatr", 1)),
    ),
    "medical_oncology": (
        (("Oncologue médical", 40), ("Oncologue", 30), ("Oncologie médicale", 15),
         ("Cancérologue", 5)),
        (("Onco", 2), ("Médecin - Oncologie, option médicale (SM)", 3),
         ("Oncologie - chimiothérapie", 2), ("Oncologe", 1)),
    ),
    "radiation_oncology": (
        (("Radiothérapeute", 45), ("Oncologue radiothérapeute", 30), ("Radiothérapie", 15)),
        (("Médecin - Oncologie, option radiothérapie (SM)", 3), ("Centre de radiothérapie", 2),
         ("Onco-radiothérapie", 2)),
    ),
    "addiction": (
        (("Addictologue", 70), ("Addictologie", 20), ("Alcoologue", 5)),
        (("Addicto", 3), ("Médecin - Addictologie (DNQ)", 2), ("Dr {nom} - addictologue", 1)),
    ),
    "infectious_diseases": (
        (("Infectiologue", 60), ("Maladies infectieuses et tropicales", 30)),
        (("Infectio", 3), ("Médecin - Maladies infectieuses et tropicales (SM)", 3),
         ("Infectiologue - suivi VIH", 2)),
    ),
    "speech_therapist": (
        (("Orthophoniste", 90), ("Orthophonie", 8)),
        (("Ortho", 2), ("Orthophoniste - bilans et rééducation", 2), ("Ortophoniste", 1)),
    ),
    "orthodontics": (
        (("Orthodontiste", 70), ("Orthopédie dento-faciale", 15), ("Orthodontie", 8)),
        (("ODF", 3), ("Orthodontiste exclusif", 2), ("Chirurgien-dentiste - orthodontie", 2)),
    ),
    "rheumatology": ((("Rhumatologue", 85), ("Rhumatologie", 12)), (("Rhumato", 3),)),
    "gastroenterology_hepatology": (
        (("Gastro-entérologue", 60), ("Hépato-gastro-entérologue", 25),
         ("Gastro-entérologie et hépatologie", 8)),
        (("Gastro", 3), ("HGE", 2), ("Gastroenterologue - endoscopie", 2)),
    ),
    "endocrinology_diabetology": (
        (("Endocrinologue", 60), ("Diabétologue", 15),
         ("Endocrinologie, diabétologie, nutrition", 12)),
        (("Endocrino", 3), ("Endocrinologue - diabétologue", 3)),
    ),
    "pulmonology": ((("Pneumologue", 85), ("Pneumologie", 10)), (("Pneumo", 3),)),
    "neurology": ((("Neurologue", 85), ("Neurologie", 10)), (("Neuro", 3), ("Neurolgue", 1))),
    "urology": ((("Urologue", 75), ("Chirurgien urologue", 20)), (("Uro", 3),)),
    "allergology": ((("Allergologue", 85), ("Allergologie", 10)), (("Allergo", 3),)),
    "orthopedic_surgery": (
        (("Chirurgien orthopédiste", 60), ("Chirurgie orthopédique et traumatologie", 25)),
        (("Orthopédiste - chirurgie du genou", 3), ("Chir. ortho", 3)),
    ),
    "vascular_medicine": (
        (("Angiologue", 50), ("Médecin vasculaire", 35), ("Phlébologue", 8)),
        (("Angio - écho-doppler", 3),),
    ),
    "podiatrist": ((("Pédicure-podologue", 60), ("Podologue", 35)), (("Podo", 3),)),
    "dietitian": (
        (("Diététicien", 30), ("Diététicienne", 45), ("Diététicien-nutritionniste", 15)),
        (("Diététicienne nutritionniste DE", 3), ("Diét.", 1)),
    ),
}

CENTRE_LABELS: dict[str, tuple[tuple[tuple[str, float], ...], tuple[tuple[str, float], ...]]] = {
    "sti_hiv_screening": (
        (("CeGIDD", 60), ("Dépistage VIH/IST", 15), ("CDAG", 5),
         ("Centre gratuit d'information, de dépistage et de diagnostic", 8)),
        (("Cegidd - dépistage anonyme et gratuit", 3), ("Dépistage", 2), ("Consultation PrEP", 2)),
    ),
    "sexual_health_centre": (
        (("Centre de santé sexuelle", 50), ("Planning familial", 20), ("CPEF", 15),
         ("Centre de planification et d'éducation familiale", 8)),
        (("Centre de santé sexuelle (ex-CPEF)", 3), ("Planif. familiale", 2)),
    ),
    "addiction": (
        (("CSAPA", 50), ("Centre d'addictologie", 25), ("Addictologie", 15)),
        (("Consultation jeunes consommateurs", 3), ("CSAPA - accueil", 2)),
    ),
    "mental_health_facility": (
        (("CMP", 50), ("Centre médico-psychologique", 35)),
        (("CMP adultes - secteur 15", 3), ("Psychiatrie adulte - CMP", 3)),
    ),
}
