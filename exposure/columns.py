"""Give each input column a role: which one holds the e-mail, the specialty...

Leaks arrive with French or English headers written any way ("Prénom",
"first_name", "E-mail du patient"), sometimes with none that says anything.
A role is found, in order, from an override file (``--columns FILE.toml``),
from the header (a table of synonyms compared after folding case, accents and
punctuation), and, for columns whose header says nothing, from their content
(e-mail and phone patterns, dates; and, when no header names the specialty,
the column whose values the specialty reader reads with high confidence).
Columns given no role are kept and passed through untouched.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import ColumnMappingError, ConfigError
from .normalize import fold_text
from .specialty import lookup_specialties

__all__ = ["ROLES", "ColumnMapping", "map_columns", "load_column_overrides"]

ROLES = (
    "last_name", "first_name", "full_name", "sex", "birth_date", "age", "email", "phone",
    "nir", "address", "postal_code", "city", "patient_ref", "appointment_at", "practitioner",
    "specialty", "practice", "reason",
)

# Header synonyms, written folded (see normalize.fold_text). Order matters only
# in that the first role claiming a header wins.
_HEADERS: dict[str, tuple[str, ...]] = {
    "last_name": ("nom", "nom patient", "nom du patient", "nom de famille", "nom naissance",
                  "nom de naissance", "nom usage", "nom d usage", "patient nom", "last name",
                  "lastname", "surname", "family name", "patient last name", "name last"),
    "first_name": ("prenom", "prenom patient", "prenom du patient", "patient prenom",
                   "first name", "firstname", "given name", "forename", "patient first name"),
    "full_name": ("nom complet", "nom et prenom", "nom prenom", "patient", "identite",
                  "full name", "fullname", "name", "patient name", "nom du patient complet"),
    "sex": ("sexe", "genre", "civilite", "sex", "gender", "title"),
    "birth_date": ("date de naissance", "date naissance", "naissance", "ddn", "ne le", "ne e le",
                   "birth date", "birthdate", "date of birth", "dob", "birthday"),
    "age": ("age", "age patient", "age du patient", "patient age"),
    "email": ("email", "e mail", "mail", "courriel", "adresse email", "adresse mail",
              "adresse e mail", "email patient", "email du patient", "e mail du patient",
              "email address", "e mail address"),
    "phone": ("telephone", "tel", "tel portable", "portable", "mobile", "telephone portable",
              "numero de telephone", "num tel", "telephone patient", "phone", "phone number",
              "mobile phone", "cell", "telephone mobile", "gsm"),
    "nir": ("nir", "numero de securite sociale", "num secu", "secu", "securite sociale",
            "nss", "insee", "numero insee", "social security number", "ssn"),
    "address": ("adresse", "adresse postale", "rue", "address", "street", "street address"),
    "postal_code": ("code postal", "cp", "postal code", "postcode", "zip", "zip code"),
    "city": ("ville", "commune", "localite", "city", "town"),
    "patient_ref": ("id patient", "patient id", "identifiant patient", "ref patient",
                    "numero patient", "num patient", "ipp", "patient ref", "patient number",
                    "dossier", "numero de dossier"),
    "appointment_at": ("date du rendez vous", "date rendez vous", "date rdv", "rdv", "date",
                       "rendez vous", "date de consultation", "date consultation",
                       "date et heure", "appointment", "appointment date", "appointment at",
                       "appointment datetime", "date of appointment", "visit date", "start",
                       "debut", "horaire"),
    "practitioner": ("praticien", "medecin", "nom du praticien", "nom praticien", "docteur",
                     "professionnel", "professionnel de sante", "soignant", "practitioner",
                     "doctor", "physician", "provider", "clinician", "practitioner name"),
    "specialty": ("specialite", "specialite du praticien", "specialite praticien",
                  "specialite medicale", "profession", "discipline", "specialty",
                  "speciality", "practitioner specialty", "department", "service"),
    "practice": ("cabinet", "centre", "etablissement", "structure", "lieu", "clinique",
                 "practice", "clinic", "centre name", "location", "site"),
    "reason": ("motif", "motif de consultation", "motif du rendez vous", "raison", "reason",
               "visit reason", "reason for visit", "commentaire", "notes", "note"),
}
_HEADER_TO_ROLE = {synonym: role for role, synonyms in _HEADERS.items() for synonym in synonyms}

_CONTENT_SAMPLE = 2000
_SPECIALTY_SAMPLE = 200  # distinct values given to the specialty reader
_SPECIALTY_SHARE = 0.5
_SPECIALTY_CONFIDENCE = 0.8
_CONTENT_PATTERNS = {
    "email": r"^\s*[^@\s]+@[^@\s]+\.[A-Za-z]{2,}\s*$",
    "nir": r"^\s*[12]\s?\d{2}\s?(?:0[1-9]|1[0-2]|[2-9]\d)\s?(?:\d{2}|2[AB])\s?\d{3}\s?\d{3}\s?(?:\d{2})?\s*$",
    "phone": r"^\s*(?:\+|00)?[\d\s.\-()]{9,17}\s*$",
}


@dataclass(frozen=True)
class ColumnMapping:
    """Which input column plays which role, and how each role was found.

    Attributes
    ----------
    roles : dict of str to str
        Role -> input column name.
    found_by : dict of str to str
        Role -> ``"override"``, ``"header"`` or ``"content"``.
    passthrough : list of str
        Input columns given no role, kept as they are.
    """

    roles: dict[str, str]
    found_by: dict[str, str] = field(default_factory=dict)
    passthrough: list[str] = field(default_factory=list)

    def has(self, role: str) -> bool:
        """True when some input column plays ``role``."""
        return role in self.roles


def load_column_overrides(path: str | Path) -> dict[str, str]:
    """Read a ``--columns`` TOML file: ``[columns]`` with ``role = "Header"`` lines.

    Raises
    ------
    ConfigError
        Unreadable TOML, a key that is not a role, or a value that is not a string.
    """
    path = Path(path)
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path.name}: no such column mapping file.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path.name}: not valid TOML ({exc}).") from None
    table = document.get("columns", document)
    if not isinstance(table, dict):
        raise ConfigError(f"{path.name}: [columns] must be a table of role = \"Header\" lines.")
    for key, value in table.items():
        if key not in ROLES:
            raise ConfigError(f"{path.name}: unknown role '{key}'. Roles: {', '.join(ROLES)}.")
        if not isinstance(value, str):
            raise ConfigError(f"{path.name}: the role '{key}' must name a column as a string.")
    return dict(table)


def map_columns(frame: pd.DataFrame, overrides: dict[str, str] | None = None, *,
                source: str = "input") -> ColumnMapping:
    """Find the role of each column of ``frame``.

    Parameters
    ----------
    frame : DataFrame of shape (n_records, n_columns)
        Text columns as read; a ``row`` column is ignored.
    overrides : dict of str to str, default=None
        Role -> header, from a ``--columns`` file; wins over everything.
    source : str, default="input"
        The file name, for messages.

    Returns
    -------
    ColumnMapping

    Raises
    ------
    ColumnMappingError
        An override names a column the file does not have, or no column could
        be given a role that identifies or describes a patient.

    Examples
    --------
    >>> frame = pd.DataFrame({"Nom": ["Dupont"], "Prénom": ["Marie"], "Courriel": ["m@x.fr"],
    ...                       "Spécialité": ["Psychiatre"], "Divers": ["?"]})
    >>> mapping = map_columns(frame)
    >>> mapping.roles
    {'last_name': 'Nom', 'first_name': 'Prénom', 'email': 'Courriel', 'specialty': 'Spécialité'}
    >>> mapping.passthrough
    ['Divers']
    """
    columns = [c for c in frame.columns if c != "row"]
    roles: dict[str, str] = {}
    found_by: dict[str, str] = {}
    for role, header in (overrides or {}).items():
        if header not in columns:
            raise ColumnMappingError(
                f"{source}: the column mapping gives '{role}' to a column named in the mapping "
                "file that the input does not have. Check the header spelling in --columns.")
        roles[role], found_by[role] = header, "override"
    taken = set(roles.values())
    for column in columns:
        if column in taken:
            continue
        role = _HEADER_TO_ROLE.get(fold_text(str(column)))
        if role and role not in roles:
            roles[role], found_by[role] = column, "header"
            taken.add(column)
    for column in columns:
        if column in taken:
            continue
        role = _role_from_content(frame[column])
        if role and role not in roles:
            roles[role], found_by[role] = column, "content"
            taken.add(column)
    if "specialty" not in roles:
        column = _specialty_from_content(frame, [c for c in columns if c not in taken])
        if column is not None:
            roles["specialty"], found_by["specialty"] = column, "content"
            taken.add(column)
    if not roles:
        raise ColumnMappingError(
            f"{source}: no column could be given a role (name, e-mail, phone, specialty...). "
            "Name the columns with --columns FILE.toml (see `exposure score --help`).")
    passthrough = [c for c in columns if c not in taken]
    ordered = {role: roles[role] for role in sorted(roles, key=lambda r: columns.index(roles[r]))}
    return ColumnMapping(ordered, found_by, passthrough)


def _role_from_content(values: pd.Series) -> str | None:
    sample = values.head(_CONTENT_SAMPLE).astype(str).str.strip()
    sample = sample[sample != ""]
    if len(sample) < 3:
        return None
    for role, pattern in _CONTENT_PATTERNS.items():
        if sample.str.match(pattern).mean() >= 0.8:
            return role
    return None


def _specialty_from_content(frame: pd.DataFrame, columns: list[str]) -> str | None:
    """The column whose distinct values the specialty reader reads most surely, if any.

    Only a sample of distinct values is read (cheap whatever the file size). A
    column qualifies when at least half of them are read as a specialty with a
    confidence of at least 0.8; names, dates and free text do not.
    """
    best, best_share = None, _SPECIALTY_SHARE
    for column in columns:
        values = frame[column].head(_CONTENT_SAMPLE).astype(str).str.strip()
        values = values[values != ""]
        if len(values) < 3:
            continue
        distinct = values.drop_duplicates().head(_SPECIALTY_SAMPLE).reset_index(drop=True)
        reading = lookup_specialties(distinct)
        sure = (reading["specialty_code"] != "unknown") & (
            reading["specialty_confidence"] >= _SPECIALTY_CONFIDENCE)
        if sure.mean() >= best_share:
            best, best_share = column, float(sure.mean())
    return best
