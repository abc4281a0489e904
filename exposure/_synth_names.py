"""Vocabulary for :mod:`exposure.synth`: names, contacts, practitioners, specialty labels.

Kept apart from the generator so that the logic stays short and the data can be
reviewed on its own. Everything here is a plain constant (tuples and dicts),
plus :func:`tables`, which flattens them once into the arrays the generator
samples from. No I/O, no randomness.

Sources, all approximate and only meant to look plausible:

* last names: the most frequent French surnames (INSEE births 1891-1990, as
  ranked by Géopatronyme), including regional (Breton ``Le Gall``), overseas
  (``Payet``, ``Hoarau``) and immigrant (Portuguese, Maghrebi, Vietnamese,
  West-African, Turkish) names in roughly their rank; weights follow a Zipf law
  by rank. Rarer names are generated from roots, middles and endings;
* first names: INSEE "fichier des prénoms"-like peak year and relative weight,
  so that a person born in 1935 is likely a Jeanne or a Jean and one born in
  2012 an Emma or a Lucas;
* specialty labels: the ways RPPS-derived exports and practice software write
  them (see ``reference/specialties.md`` sections 2, 5 and 6).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ._synth_specialties import AGE_PROFILES, CENTRE_LABELS, LABELS, SPECIALTIES

# --- last names, most frequent first -------------------------------------------------------

LAST_NAMES: tuple[str, ...] = (
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
    "Laurent", "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
    "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
    "Muller", "Lefèvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier",
    "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément",
    "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand", "Duval",
    "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier", "Brun",
    "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud",
    "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal",
    "Caron", "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix",
    "Olivier", "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland",
    "Leclercq", "Guillaume", "Lecomte", "Lopez", "Jean", "Dupuy", "Guillot", "Hubert", "Berger",
    "Carpentier", "Sanchez", "Dupuis", "Moulin", "Louis", "Deschamps", "Huet", "Vasseur", "Perez",
    "Boucher", "Fleury", "Royer", "Klein", "Jacquet", "Adam", "Paris", "Poirier", "Marty",
    "Aubry", "Guyot", "Carré", "Charles", "Renault", "Charpentier", "Ménard", "Maillard", "Baron",
    "Bertin", "Bailly", "Hervé", "Schneider", "Fernandez", "Le Gall", "Collet", "Léger",
    "Bouvier", "Julien", "Prévost", "Millet", "Perrot", "Daniel", "Le Roux", "Cousin", "Germain",
    "Breton", "Besson", "Langlois", "Rémy", "Le Goff", "Pelletier", "Lévêque", "Perrier",
    "Leblanc", "Barré", "Lebrun", "Marchal", "Weber", "Mallet", "Hamon", "Boulanger", "Jacob",
    "Monnier", "Michaud", "Rodriguez", "Guichard", "Gillet", "Étienne", "Grondin", "Poulain",
    "Tessier", "Chevallier", "Collin", "Chauvin", "Da Silva", "Bouchet", "Gay", "Lemaître",
    "Bénard", "Maréchal", "Humbert", "Reynaud", "Antoine", "Hoarau", "Perret", "Barthélemy",
    "Cordier", "Pichon", "Lejeune", "Gilbert", "Lamy", "Delaunay", "Pasquier", "Carlier",
    "Laporte", "Dos Santos", "Ferreira", "Rodrigues", "Pereira", "Nguyen", "Gomes", "Martins",
    "Fernandes", "Da Costa", "De Oliveira", "Lopes", "Gonzalez", "Marion", "Tanguy", "Riou",
    "Hoareau", "Le Bihan", "Le Corre", "Le Floch", "Le Guen", "Le Meur", "Le Bris", "Kerbrat",
    "Guillou", "Bouchard", "Lebon", "Ollivier", "Gros", "Bigot", "Jourdan", "Hamel", "Leconte",
    "Besnard", "Rossi", "Bianchi", "Benali", "Haddad", "Belkacem", "Mansouri", "Benoit",
    "Diallo", "Traoré", "Cohen", "Lévy", "Kaya", "Yilmaz", "Tran", "Pham", "Fabre-Martin",
    "Marchetti", "Fleurot", "Texier", "Bazin", "Courtois", "Vallée", "Auger", "Poulet", "Laine",
    "Drouet", "Devaux", "Buisson", "Hoffmann", "Lemaitre", "Labbé", "Delmas", "Baudry", "Navarro",
    "Hebert", "Parent", "Jacques", "Vallet", "Delattre", "Verdier", "Briand", "Pons", "Lacombe",
    "Bousquet", "Camus", "Chauvet", "Guillon", "Rigaud", "Rault", "Hardy", "Ferrand", "Blondel",
    "Charrier", "Descamps", "Sauvage", "Maillot", "Gérault", "Caron-Delmas", "Hamelin", "Benard",
    "Rousset", "Valentin", "Lamotte", "Forestier", "Brunel", "Lemonnier", "Cartier", "Delorme",
    "de Villiers", "de La Roche", "de Saint-Martin", "de Sousa", "d'Almeida", "Di Martino",
    "Ben Ahmed", "Ould Ali", "N'Diaye", "Le Borgne", "Le Moigne", "Saint-Jean", "Dubois-Lefèvre",
)

# Generated rarer names: root + middle + ending, e.g. "Bourillaud", "Chamerot".
LAST_NAME_ROOTS: tuple[str, ...] = (
    "Aub", "Bar", "Bel", "Ber", "Bess", "Blond", "Bon", "Bouch", "Bour", "Bouss", "Bram", "Brill",
    "Bruy", "Cal", "Cham", "Chap", "Charl", "Chass", "Chav", "Cler", "Coud", "Court", "Cuv",
    "Dell", "Desj", "Dur", "Esc", "Fav", "Ferr", "Fourn", "Gal", "Garn", "Gasp", "Gib", "Gir",
    "Goss", "Gren", "Guill", "Jacqu", "Lab", "Lam", "Lang", "Lav", "Lec", "Lem", "Ler", "Mall",
    "Marc", "Mass", "Maur", "Mich", "Mont", "Mor", "Noir", "Pag", "Pell", "Perr", "Pic", "Plan",
    "Pons", "Poul", "Rab", "Rav", "Ren", "Rich", "Rob", "Roch", "Roug", "Sab", "Sauv", "Tess",
    "Thib", "Tourn", "Vach", "Vall", "Vern", "Vial", "Vill", "Chab", "Dav", "Fouc", "Gauv",
)
LAST_NAME_MIDS: tuple[str, ...] = ("", "er", "on", "ar", "el", "ill", "and", "ich", "ot", "em")
LAST_NAME_ENDINGS: tuple[str, ...] = (
    "ard", "aud", "eau", "el", "et", "ier", "in", "on", "ot", "oux", "y", "é", "ès", "ant", "and",
    "ault", "ais", "at", "ey", "ieux", "iot", "elet", "lin", "sson", "ville", "court", "mont",
    "ac", "eix", "ol",
)

# --- first names: (name, peak birth year, relative weight at peak) -------------------------

FIRST_NAMES_F: tuple[tuple[str, int, float], ...] = (
    ("Marie", 1922, 100), ("Jeanne", 1922, 40), ("Marguerite", 1920, 22), ("Germaine", 1922, 24),
    ("Louise", 1920, 18), ("Yvonne", 1925, 24), ("Madeleine", 1925, 22), ("Suzanne", 1926, 24),
    ("Simone", 1928, 22), ("Denise", 1930, 24), ("Paulette", 1930, 14), ("Odette", 1928, 13),
    ("Renée", 1930, 15), ("Lucienne", 1930, 13), ("Andrée", 1930, 14), ("Raymonde", 1927, 8),
    ("Ginette", 1935, 10), ("Gisèle", 1935, 10), ("Huguette", 1935, 8), ("Jeannine", 1936, 12),
    ("Yvette", 1935, 12), ("Marie-Thérèse", 1935, 12), ("Colette", 1940, 15),
    ("Jacqueline", 1938, 34), ("Josette", 1940, 12), ("Monique", 1947, 36), ("Geneviève", 1945, 14),
    ("Bernadette", 1945, 12), ("Micheline", 1945, 13), ("Christiane", 1948, 21),
    ("Nicole", 1950, 36), ("Françoise", 1950, 34), ("Danielle", 1950, 21), ("Michèle", 1950, 25),
    ("Mireille", 1950, 10), ("Josiane", 1950, 10), ("Marie-Claire", 1950, 8),
    ("Anne-Marie", 1950, 12), ("Marie-France", 1952, 8), ("Annie", 1955, 17), ("Chantal", 1955, 23),
    ("Évelyne", 1955, 11), ("Dominique", 1957, 10), ("Marie-Christine", 1955, 12),
    ("Martine", 1957, 34), ("Brigitte", 1958, 23), ("Catherine", 1960, 37), ("Anne", 1960, 21),
    ("Béatrice", 1960, 10), ("Agnès", 1960, 10), ("Christine", 1962, 29), ("Patricia", 1962, 21),
    ("Pascale", 1962, 12), ("Sylvie", 1963, 35), ("Florence", 1965, 12), ("Véronique", 1965, 23),
    ("Corinne", 1965, 17), ("Isabelle", 1966, 39), ("Valérie", 1967, 27), ("Nathalie", 1968, 41),
    ("Hélène", 1970, 15), ("Marie-Laure", 1970, 6), ("Sandrine", 1972, 31), ("Karine", 1973, 17),
    ("Claire", 1975, 12), ("Laure", 1975, 8), ("Sophie", 1975, 29), ("Alexandra", 1975, 8),
    ("Fatima", 1975, 8), ("Nadia", 1975, 6), ("Stéphanie", 1976, 29), ("Virginie", 1977, 17),
    ("Laetitia", 1978, 14), ("Céline", 1979, 29), ("Caroline", 1980, 17), ("Sabrina", 1980, 10),
    ("Gaëlle", 1980, 8), ("Anne-Sophie", 1980, 8), ("Aurélie", 1982, 27), ("Vanessa", 1983, 10),
    ("Mélanie", 1984, 21), ("Julie", 1985, 27), ("Audrey", 1985, 17), ("Jennifer", 1985, 10),
    ("Coralie", 1985, 6), ("Aïcha", 1985, 5), ("Émilie", 1986, 25), ("Élodie", 1986, 17),
    ("Jessica", 1988, 10), ("Cindy", 1988, 8), ("Amandine", 1988, 10), ("Marion", 1990, 17),
    ("Pauline", 1990, 17), ("Marine", 1990, 15), ("Morgane", 1992, 8), ("Justine", 1993, 12),
    ("Laura", 1995, 21), ("Sarah", 1995, 21), ("Mathilde", 1995, 12), ("Anaïs", 1995, 12),
    ("Noémie", 1995, 10), ("Charlotte", 1995, 12), ("Camille", 1997, 21), ("Océane", 1997, 12),
    ("Manon", 1998, 23), ("Lucie", 1998, 14), ("Chloé", 2000, 21), ("Léa", 2000, 25),
    ("Margaux", 2000, 10), ("Yasmine", 2000, 6), ("Clara", 2002, 15), ("Élise", 2005, 8),
    ("Elsa", 2005, 8), ("Inès", 2008, 14), ("Emma", 2008, 23), ("Lola", 2008, 12),
    ("Maëlle", 2008, 8), ("Eva", 2008, 10), ("Zoé", 2010, 12), ("Léna", 2010, 10),
    ("Romane", 2010, 10), ("Capucine", 2010, 5), ("Héloïse", 2010, 6), ("Jade", 2012, 19),
    ("Juliette", 2012, 12), ("Nina", 2012, 8), ("Lina", 2015, 12), ("Alice", 2015, 14),
    ("Louise", 2015, 15), ("Agathe", 2015, 6), ("Victoire", 2015, 5), ("Apolline", 2015, 5),
    ("Anna", 2016, 10), ("Ambre", 2016, 10), ("Mia", 2018, 12), ("Rose", 2018, 12),
)

FIRST_NAMES_M: tuple[tuple[str, int, float], ...] = (
    ("Gaston", 1915, 8), ("Eugène", 1915, 6), ("Louis", 1920, 28), ("Marcel", 1920, 24),
    ("Henri", 1920, 19), ("Joseph", 1920, 17), ("Maurice", 1920, 15), ("Lucien", 1920, 12),
    ("Fernand", 1920, 10), ("Albert", 1920, 13), ("Émile", 1920, 9), ("André", 1925, 34),
    ("René", 1925, 29), ("Roger", 1925, 24), ("Robert", 1925, 24), ("Georges", 1925, 17),
    ("Raymond", 1925, 15), ("Charles", 1925, 12), ("Jean", 1932, 100), ("Paul", 1930, 19),
    ("Pierre", 1940, 48), ("Guy", 1940, 14), ("Jacques", 1945, 39), ("Claude", 1945, 24),
    ("Yves", 1945, 14), ("Jean-Claude", 1948, 20), ("Michel", 1950, 49), ("Bernard", 1950, 29),
    ("Daniel", 1950, 29), ("Gérard", 1950, 27), ("Serge", 1950, 14), ("Francis", 1950, 8),
    ("Jean-Pierre", 1950, 22), ("Jean-Paul", 1950, 12), ("Jean-Louis", 1950, 12),
    ("Alain", 1955, 34), ("Christian", 1955, 27), ("François", 1955, 24),
    ("Jean-François", 1955, 12), ("Jean-Michel", 1955, 12), ("Dominique", 1957, 15),
    ("Jean-Luc", 1958, 14), ("Denis", 1958, 10), ("Philippe", 1960, 44), ("Patrick", 1960, 31),
    ("Marc", 1960, 16), ("Gilles", 1960, 12), ("Pascal", 1962, 21), ("Didier", 1962, 17),
    ("Jean-Marc", 1962, 10), ("Thierry", 1963, 21), ("Hervé", 1963, 12), ("Éric", 1965, 27),
    ("Bruno", 1965, 14), ("Laurent", 1967, 29), ("Olivier", 1970, 24), ("Christophe", 1970, 31),
    ("Franck", 1970, 10), ("Fabrice", 1970, 12), ("Lionel", 1970, 8), ("Frédéric", 1972, 24),
    ("Stéphane", 1972, 27), ("David", 1975, 24), ("Jérôme", 1975, 18), ("Vincent", 1975, 18),
    ("Yannick", 1975, 8), ("Emmanuel", 1975, 12), ("Sébastien", 1977, 27), ("Cédric", 1978, 14),
    ("Arnaud", 1978, 12), ("Karim", 1978, 6), ("Nicolas", 1980, 34), ("Damien", 1980, 10),
    ("Mickaël", 1982, 14), ("Loïc", 1982, 8), ("Julien", 1985, 27), ("Guillaume", 1985, 18),
    ("Mohamed", 1985, 14), ("Jean-Baptiste", 1985, 8), ("Anthony", 1988, 16),
    ("Jonathan", 1988, 10), ("Thomas", 1990, 29), ("Alexandre", 1990, 25), ("Romain", 1990, 18),
    ("Benjamin", 1990, 14), ("Mehdi", 1990, 7), ("Kevin", 1992, 18), ("Maxime", 1992, 20),
    ("Florian", 1992, 14), ("Quentin", 1993, 14), ("Adrien", 1993, 10), ("Antoine", 1995, 20),
    ("Clément", 1995, 14), ("Valentin", 1995, 12), ("Alexis", 1995, 12), ("Samuel", 1995, 8),
    ("Baptiste", 1998, 10), ("Théo", 2002, 18), ("Hugo", 2005, 20), ("Lucas", 2005, 24),
    ("Nathan", 2005, 18), ("Enzo", 2005, 16), ("Tom", 2005, 12), ("Rayan", 2005, 8),
    ("Yanis", 2005, 8), ("Mathis", 2008, 12), ("Axel", 2008, 8), ("Timothée", 2010, 5),
    ("Mathéo", 2010, 8), ("Evan", 2010, 6), ("Léo", 2012, 18), ("Ethan", 2012, 10),
    ("Gabriel", 2015, 18), ("Raphaël", 2015, 16), ("Jules", 2015, 16), ("Louis", 2015, 14),
    ("Paul", 2015, 10), ("Victor", 2015, 8), ("Martin", 2015, 6), ("Émile", 2016, 7),
    ("Adam", 2016, 14), ("Noé", 2016, 8), ("Arthur", 2017, 16), ("Noah", 2018, 12),
    ("Sacha", 2018, 10), ("Liam", 2019, 8),
)

# --- contacts --------------------------------------------------------------------------------

# Nicknames and words people put in e-mail addresses that do not contain their name.
EMAIL_WORDS: tuple[str, ...] = (
    "loulou", "lolo", "titi", "nounou", "doudou", "chouchou", "bibou", "zaza", "mimi", "kiki",
    "jojo", "nono", "cricri", "fifi", "zouzou", "choupette", "tigrou", "soleil", "papillon",
    "bisounours", "ptitange", "petitlou", "boubou", "lili", "nana", "contact", "famille",
    "maison", "perso", "moi", "bzh", "supermamie", "papy", "mamie", "lapin", "chaton", "minou",
    "pitchoun", "cocotte", "titou", "marsupilami", "kikou", "bichette", "choupinette", "nanou",
)

# (domain, weight for people born before 1965, weight for the others)
EMAIL_DOMAINS: tuple[tuple[str, float, float], ...] = (
    ("gmail.com", 18, 42), ("orange.fr", 22, 9), ("hotmail.fr", 8, 14), ("yahoo.fr", 7, 6),
    ("free.fr", 10, 6), ("wanadoo.fr", 14, 2), ("sfr.fr", 5, 3), ("laposte.net", 7, 3),
    ("outlook.fr", 2, 5), ("hotmail.com", 2, 3), ("live.fr", 1, 3), ("icloud.com", 1, 3),
    ("aol.com", 1, 0.2), ("neuf.fr", 1, 0.5), ("gmx.fr", 0.5, 0.5), ("club-internet.fr", 1, 0.1),
)

# Phones: (first part, with {} the digit after the 0; separator between pairs; weight), i.e.
# "06 12 34 56 78", "0612345678", "06.12.34.56.78", "+33 6 12 34 56 78", "+33612345678",
# "0033612345678", "06-12-34-56-78".
PHONE_STYLES: tuple[tuple[str, str, float], ...] = (
    ("0{}", " ", 40), ("0{}", "", 30), ("0{}", ".", 8), ("+33 {}", " ", 8), ("+33{}", "", 8),
    ("0033{}", "", 2), ("0{}", "-", 4),
)
# (digit after the 0, weight): mobiles 06 and 07, landlines 01-05, VoIP boxes 09.
PHONE_LEADS: tuple[tuple[int, float], ...] = (
    (6, 58), (7, 20), (1, 6), (2, 4), (3, 3), (4, 4), (5, 3), (9, 2),
)

# E-mail local parts: pieces among f (first name), l (last name), i (initial), nn (two digits),
# yyyy / yy (birth year), w (a word of EMAIL_WORDS), x (three letters) and literal ".", "_", "-".
# The first eleven contain the name ("marie.dupont", "mdupont75", "dupont.marie"), the others
# do not ("loulou1987", "contact.xyz").
EMAIL_PATTERNS: tuple[tuple[tuple[str, ...], float], ...] = (
    (("f", ".", "l"), 24), (("f", ".", "l", "nn"), 6), (("i", "l"), 9), (("i", "l", "nn"), 8),
    (("l", ".", "f"), 7), (("f", "l"), 5), (("f", "_", "l"), 3), (("f", ".", "l", "yyyy"), 3),
    (("l", "i"), 2), (("f", "-", "l"), 1), (("f", "yy"), 3), (("w", "yyyy"), 10),
    (("w", "nn"), 6), (("w", ".", "x"), 5), (("w", "x", "nn"), 3),
)

# --- practitioners ---------------------------------------------------------------------------

CITIES: tuple[str, ...] = (
    "Paris 15", "Paris 18", "Paris 20", "Bobigny", "Saint-Denis", "Montreuil", "Créteil",
    "Nanterre", "Versailles", "Argenteuil", "Lyon 7", "Villeurbanne", "Marseille 3",
    "Marseille 13", "Toulouse", "Nice", "Nantes", "Strasbourg", "Montpellier", "Bordeaux",
    "Lille", "Rennes", "Reims", "Le Havre", "Saint-Étienne", "Toulon", "Grenoble", "Dijon",
    "Angers", "Nîmes", "Clermont-Ferrand", "Le Mans", "Aix-en-Provence", "Brest", "Tours",
    "Amiens", "Limoges", "Perpignan", "Metz", "Besançon", "Orléans", "Rouen", "Mulhouse", "Caen",
    "Nancy", "Roubaix", "Tourcoing", "Avignon", "Poitiers", "La Rochelle", "Pau", "Calais",
)

# How the Praticien cell is written: (title, first part, second part, weight); "civ" is
# "Mme" or "M.", "Last" the name as spelt, "LAST" in capitals.
DOCTOR_FORMATS: tuple[tuple[str, str, str, float], ...] = (
    ("Dr", "First", "LAST", 35), ("Dr.", "Last", "", 15), ("", "LAST", "First", 20),
    ("Dr", "LAST", "First", 15), ("Docteur", "First", "Last", 5), ("Dr", "First", "Last", 10),
)
OTHER_FORMATS: tuple[tuple[str, str, str, float], ...] = (
    ("", "First", "LAST", 35), ("", "LAST", "First", 25), ("civ", "First", "Last", 25),
    ("", "First", "Last", 15),
)

# Centres: curated names first, then "<kind> <city>" for larger pools.
CENTRES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "sti_hiv_screening": (
        ("CeGIDD Hôpital Saint-Louis", "CeGIDD Hôpital Bichat", "CeGIDD Fernand-Widal",
         "CeGIDD de l'Hôtel-Dieu", "CeGIDD Croix-Rousse", "CeGIDD Hôpital de la Conception",
         "CeGIDD Hôpital Avicenne", "Centre de dépistage Figuier"),
        ("CeGIDD", "CeGIDD de", "Centre de dépistage IST"),
    ),
    "sexual_health_centre": (
        ("Centre de santé sexuelle de Bobigny", "Planning familial 75", "CPEF Hôpital Robert-Debré",
         "Centre de planification Pierre Rouquès", "Centre de santé sexuelle Les Lilas"),
        ("Centre de santé sexuelle de", "CPEF", "Planning familial"),
    ),
    "addiction": (
        ("CSAPA Le Trait d'Union", "CSAPA Moreau de Tours", "CSAPA La Corde Raide",
         "CSAPA Horizons", "Centre d'addictologie Marmottan", "CSAPA Émergence", "CJC Pass'Age"),
        ("CSAPA", "CSAPA de", "Centre d'addictologie de"),
    ),
    "mental_health_facility": (
        ("CMP Paris 15", "CMP Secteur 75G11", "CMP Esquirol", "CMP Boulevard Ney",
         "Centre médico-psychologique Henri Ey"),
        ("CMP", "CMP adultes", "Centre médico-psychologique de"),
    ),
}

# --- flat tables for the generator -----------------------------------------------------------

def _ascii(arr: pa.Array) -> pa.Array:
    """Strip accents ("Zoé" -> "Zoe")."""
    return pc.replace_substring_regex(pc.utf8_normalize(arr, "NFKD"), r"[^\x00-\x7f]", "")


def _grouped(groups: list[tuple[int, list, list]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(group, value, weight) entries sorted by group, as ``synth._draw_in`` wants them."""
    rows = sorted(((g, v, w) for g, vals, ws in groups for v, w in zip(vals, ws, strict=True)),
                  key=lambda r: r[0])
    return tuple(np.array(x) for x in zip(*rows, strict=True))


@cache
def tables() -> dict:
    """Arrays built once from the constants above (loops run over a few hundred entries).

    Weighted choices "within a group" (a name for a sex and birth decade, a number
    of visits for a specialty, a label for a practitioner) are stored as entries
    sorted by group, so that one ``searchsorted`` draws them all.
    """
    codes, spec = list(SPECIALTIES), list(SPECIALTIES.values())
    prof = list(AGE_PROFILES)
    t = {"codes": pa.array(codes), "n": len(codes), "parent_profile": prof.index("parent")}
    for i, key in enumerate(("share", "doctor", "centre", "prac_f", "pat_f")):
        t[key] = np.array([r[i] for r in spec], float)
    t["adult"] = np.array([prof.index(r[5]) for r in spec])
    t["child"] = np.array([r[6] for r in spec])
    t["child_profile"] = np.array([prof.index(r[7] or "child_any") for r in spec])
    t["k"] = _grouped([(i, list(range(1, len(r[8][0]) + 1)), r[8][0]) for i, r in enumerate(spec)])
    t["interval"] = _grouped([(i, r[8][1], [1] * len(r[8][1])) for i, r in enumerate(spec)])
    t["mean_k"] = np.array([np.mean([np.dot(r[8][0], np.minimum(np.arange(1, len(r[8][0]) + 1),
                                                                 1 + 69 // iv)) for iv in r[8][1]])
                            for r in spec])
    t["age"] = _grouped([(p, [a for lo, hi, _ in b for a in range(lo, hi + 1)],
                          [w for lo, hi, w in b for _ in range(lo, hi + 1)])
                         for p, b in enumerate(AGE_PROFILES.values())])
    # appointment slots: group = slot grid (15, 20, 30 min) * 2 + Saturday; value = minute of day
    slots = []
    for gi, step in enumerate((15, 20, 30)):
        for sat in (0, 1):
            m = np.arange(480, 765 if sat else 1200, step)
            w = np.select([m < 720, m < 750, m < 840, m < 1080, m < 1140], [1, .6, .2, 1, .8], .35)
            slots.append((gi * 2 + sat, list(m), list(w)))
    t["slot"] = _grouped(slots)
    # names
    listed = np.array(LAST_NAMES)
    tails = [m + e for m in LAST_NAME_MIDS for e in LAST_NAME_ENDINGS
             if not (m and m[-1] not in "aeiouy" and e[0] not in "aeiouyé")]
    gen = np.unique(np.char.add(np.array(LAST_NAME_ROOTS)[:, None], np.array(tails)[None]))
    gen = gen[~np.isin(gen, listed)]
    zipf = np.arange(1, len(listed) + 1) ** -0.6  # listed names: 20% of people, Martin ~0.8%
    t["last"] = pa.array(np.concatenate([listed, gen]).tolist())
    t["last_w"] = np.r_[0.2 * zipf / zipf.sum(), np.full(len(gen), 0.8 / len(gen))]
    t["last_mail"] = pc.utf8_lower(pc.replace_substring_regex(_ascii(t["last"]), "[ ']", ""))
    firsts = FIRST_NAMES_F + FIRST_NAMES_M
    t["first"] = pa.array([f[0] for f in firsts])
    t["first_mail"] = pc.utf8_lower(_ascii(t["first"]))
    male = np.array([0] * len(FIRST_NAMES_F) + [1] * len(FIRST_NAMES_M))
    peak, w = np.array([f[1] for f in firsts]), np.array([f[2] for f in firsts], float)
    t["first_by"] = _grouped([  # group = sex * 11 + birth decade (1920s .. 2020s)
        (s * 11 + d, list(np.flatnonzero(male == s)),
         list(w[male == s] * np.exp(-0.5 * ((1925 + 10 * d - peak[male == s]) / 11.0) ** 2)))
        for s in (0, 1) for d in range(11)])
    # practitioners: centre names, formats of the Praticien cell, labels
    names, start, size = [], np.zeros(len(codes), int), np.ones(len(codes), int)
    for c, (curated, kinds) in CENTRES.items():
        lst = list(curated) + [f"{k} {city}" for k in kinds for city in CITIES]
        start[codes.index(c)], size[codes.index(c)] = len(names), len(lst)
        names += lst
    t["centre_names"] = (pa.array(names), start, size)
    parts = ["", "First", "Last", "LAST", "civ", "Dr", "Dr.", "Docteur"]
    fmts = DOCTOR_FORMATS + OTHER_FORMATS
    t["formats"] = (np.array([[parts.index(x) for x in f[:3]] for f in fmts]),
                    [f[3] for f in DOCTOR_FORMATS], [f[3] for f in OTHER_FORMATS], parts)
    entries = []  # group = (code * 2 + centre) * 2 + clean
    for i, c in enumerate(codes):
        for kind, table in ((0, LABELS), (1, CENTRE_LABELS)):
            for clean, labels in zip((1, 0), table.get(c, ((), ())), strict=True):
                entries += [((i * 2 + kind) * 2 + clean, *lab.partition("{nom}")[::2],
                             "{nom}" in lab, w) for lab, w in labels]
    entries.sort(key=lambda e: e[0])
    grp, pre, post, tmpl, lw = (np.array(x) for x in zip(*entries, strict=True))
    t["labels"] = (grp, pa.array(pre), pa.array(post), tmpl, lw.astype(float))
    # contacts
    pieces = ["", "f", "l", "i", "nn", "yyyy", "yy", ".", "_", "-", "w", "x"]
    t["email_slots"] = (np.array([[pieces.index(x) for x in p + ("",) * (4 - len(p))]
                                  for p, _ in EMAIL_PATTERNS]), [w for _, w in EMAIL_PATTERNS])
    t["phone"] = (pa.array([f.format(d) for f, _, _ in PHONE_STYLES for d in range(10)]),
                  pa.array([s for _, s, _ in PHONE_STYLES]), [w for _, _, w in PHONE_STYLES],
                  np.array([d for d, _ in PHONE_LEADS]), [w for _, w in PHONE_LEADS])
    nd = range(len(EMAIL_DOMAINS))  # group = born 1965 or later
    t["domains"] = (pa.array([d[0] for d in EMAIL_DOMAINS]),
                    *_grouped([(0, list(nd), [d[1] for d in EMAIL_DOMAINS]),
                               (1, list(nd), [d[2] for d in EMAIL_DOMAINS])]))
    return t
