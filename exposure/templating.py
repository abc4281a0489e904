"""Message templates: plain text files a DPO can read, edit and pass with ``--templates``.

One file per channel and addressee (:data:`TEMPLATE_NAMES`), in a folder per
language (``exposure/templates/fr``, ``.../en``). The first line of a file is
the subject, the second is empty, the rest is the message. ``{placeholders}``
are filled per patient (:data:`PLACEHOLDERS` says what each holds); a literal
brace is written ``{{`` or ``}}``.

Checks, each failing with the file and line to fix:

- an unknown placeholder (a typo would otherwise send "{prenom}" to patients);
- a placeholder that says something about a person (specialty, appointments,
  name) in a message to a shared contact, to a minor's legal guardian, or in
  the public communication: those recipients must learn nothing about another
  person (DESIGN.md section 6);
- a missing element that Art. 34(2) requires: the nature of the breach, the
  likely consequences, the measures and the DPO's contact.
"""

from __future__ import annotations

import hashlib
import string
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .errors import ConfigError

__all__ = ["render", "CHANNEL_FILE", "VARIANTS", "TEMPLATE_NAMES", "PLACEHOLDERS", "PERSONAL", "PER_PATIENT",
           "Template", "TemplateSet", "shipped_templates", "load_templates"]

#: notifications.csv channel -> the stem of its template files.
CHANNEL_FILE = {"email": "email", "sms": "sms", "post": "letter", "phone": "phone"}
#: Who the message is for: the patient, a minor's legal guardian, or a contact several share.
VARIANTS = ("patient", "guardian", "shared")
TEMPLATE_NAMES = tuple(f"{stem}_{variant}" for stem in ("email", "sms", "letter", "phone")
                       for variant in VARIANTS) + ("public",)

PLACEHOLDERS = {
    "controller": "the controller's name (incident file), or a 'to complete' marker",
    "dpo_contact": "the DPO's contact (incident file), or a 'to complete' marker",
    "measures": "the measures taken or proposed (incident file), or a 'to complete' marker",
    "nature": "the nature of the breach in plain sentences, from the incident file",
    "nature_short": "what happened to the data in a few words, for an SMS",
    "consequences_general": "likely consequences for anyone in the file (no specialty)",
    "consequences_short": "likely consequences in a few words, for an SMS",
    "period": "the period of the leaked appointments, e.g. 'entre le 4 mai et le 21 juillet 2020'",
    "reference": "the patient_id, for the recipient to quote to the DPO",
    "contact": "the recipient's e-mail, phone or address",
    "first_name": "the patient's first name as written in the leak",
    "last_name": "the patient's last name as written in the leak",
    "specialty": "the most sensitive specialty seen, in plain words",
    "appointments": "the patient's appointments and their dates, as a phrase",
    "dates": "the appointment dates, short: 'du 12/05/2020', 'du 04/05 au 15/06/2020'",
    "exposed": "what leaked about this patient, as a phrase",
    "exposed_short": "what leaked about this patient, in a few words",
    "consequences": "likely consequences for this patient, from the specialty",
}
#: Placeholders that say something about one person: patient messages only.
PERSONAL = frozenset({"first_name", "last_name", "specialty", "appointments", "dates",
                      "exposed", "exposed_short", "consequences"})
#: Placeholders whose value changes from one patient to the next.
PER_PATIENT = frozenset({"first_name", "last_name", "appointments", "dates", "reference",
                         "contact"})
_REQUIRED = (("nature", "nature_short"), ("consequences", "consequences_general",
                                           "consequences_short"),
             ("measures",), ("dpo_contact",))
_WHO = {"guardian": "a minor's legal guardian", "shared": "a contact several patients share",
        "public": "the public communication"}
_SHIPPED = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Template:
    """One message template: ``subject`` and ``body`` with ``{placeholders}``."""

    name: str
    subject: str
    body: str
    fields: frozenset[str]


@dataclass(frozen=True)
class TemplateSet:
    """The templates of one language, and where they came from (for the audit)."""

    language: str
    source: str
    sha256: str
    templates: dict[str, Template]

    def __getitem__(self, name: str) -> Template:
        return self.templates[name]


def shipped_templates(language: str = "fr") -> Path:
    """Folder of the templates shipped with ``exposure`` for ``language``."""
    return _SHIPPED / language


def _fields(path: Path, text: str, first_line: int) -> list[tuple[str, int]]:
    found = []
    for offset, line in enumerate(text.split("\n")):
        try:
            parsed = list(string.Formatter().parse(line))
        except ValueError as exc:
            raise ConfigError(f"{path.name}, line {first_line + offset}: {exc}; write {{{{ or "
                              "}} for a literal brace.") from None
        for _, field, spec, conversion in parsed:
            if field is None:
                continue
            if spec or conversion:
                raise ConfigError(f"{path.name}, line {first_line + offset}: placeholder "
                                  f"{{{field}}} takes no format or conversion; write {{{field}}}.")
            found.append((field, first_line + offset))
    return found


def _load_one(path: Path, name: str) -> Template:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path.name}: not UTF-8 text; save it as UTF-8.") from None
    lines = text.replace("\r\n", "\n").split("\n")
    if len(lines) < 3 or not lines[0].strip() or lines[1].strip():
        raise ConfigError(f"{path.name}: the first line must be the subject and the second "
                          "line empty, then the message.")
    subject, body = lines[0].strip(), "\n".join(lines[2:]).strip("\n") + "\n"
    fields = _fields(path, subject, 1) + _fields(path, body, 3)
    variant = "public" if name == "public" else name.rsplit("_", 1)[1]
    for field, line in fields:
        if field not in PLACEHOLDERS:
            raise ConfigError(f"{path.name}, line {line}: unknown placeholder {{{field}}}; "
                              f"known placeholders: {', '.join(sorted(PLACEHOLDERS))}.")
        if field in PERSONAL and variant != "patient" or (
                variant == "public" and field in ("reference", "contact")):
            raise ConfigError(f"{path.name}, line {line}: {{{field}}} is not allowed in a "
                              f"message to {_WHO[variant]}: it would tell the recipient about "
                              "another person. Ask them to contact the DPO instead.")
    names = {field for field, _ in fields}
    for choices in _REQUIRED:
        if not names & set(choices):
            raise ConfigError(f"{path.name}: lacks {{{choices[0]}}}"
                              + (f" (or {', '.join('{' + c + '}' for c in choices[1:])})"
                                 if len(choices) > 1 else "")
                              + ", which Art. 34(2) requires in every message.")
    return Template(name, subject, body, frozenset(names))


def load_templates(directory: str | Path | None = None, language: str = "fr") -> TemplateSet:
    """Read and check the message templates of one language.

    Parameters
    ----------
    directory : str or Path, default=None
        A folder holding the files of :data:`TEMPLATE_NAMES` (``.txt``), either
        directly or in a ``fr``/``en`` sub-folder. The shipped templates when None.
    language : {"fr", "en"}, default="fr"

    Returns
    -------
    TemplateSet

    Raises
    ------
    ConfigError
        A folder or file is missing, or a template fails a check; the message
        names the file and line.

    Examples
    --------
    >>> templates = load_templates(language="en")
    >>> sorted(templates["sms_patient"].fields & {"dpo_contact", "measures"})
    ['dpo_contact', 'measures']
    """
    if directory is None:
        folder, source = shipped_templates(language), "shipped"
    else:
        folder, source = Path(directory), "custom"
        if (folder / language).is_dir():
            folder = folder / language
        if not folder.is_dir():
            raise ConfigError(f"{Path(directory).name}: no such templates folder. Get a copy to "
                              "edit with: exposure templates -o DIR")
    missing = [n + ".txt" for n in TEMPLATE_NAMES if not (folder / (n + ".txt")).is_file()]
    if missing:
        raise ConfigError(f"{folder.name}: missing template file(s) {', '.join(missing)}. Get "
                          "a complete copy to edit with: exposure templates -o DIR")
    templates = {name: _load_one(folder / f"{name}.txt", name) for name in TEMPLATE_NAMES}
    digest = hashlib.sha256()
    for name in TEMPLATE_NAMES:
        digest.update(f"{name}\n{templates[name].subject}\n{templates[name].body}\0".encode())
    return TemplateSet(language, source, digest.hexdigest(), templates)


def _tidy(text: pd.Series) -> pd.Series:
    """Remove what an empty field or an incident text ending in "." leaves behind.

    A missing name or date leaves a double space or a space before a comma;
    "Mesures : {measures}." doubles the full stop when the incident's text
    already ends with one. (Written for Arrow's RE2 engine: no look-around,
    no ``$``, no ``\\s``, so pandas does not loop over values in Python.)
    """
    text = text.str.replace(r"[ \t]{2,}", " ", regex=True).str.replace(" ,", ",")
    text = text.str.replace(r" +\n", "\n", regex=True).str.replace(r"\n +", "\n", regex=True)
    text = text.str.replace(r"([^.])\.\.([^.])", r"\1.\2", regex=True)
    ends_doubled = text.str.endswith("..") & ~text.str.endswith("...")
    return text.where(~ends_doubled, text.str[:-1])


def render(text: str, values: dict[str, str], rows: pd.DataFrame) -> pd.Series:
    """Fill ``text``: group values once, per-patient columns as whole columns.

    The group's own text is tidied once here; only the rows with an empty
    per-patient field need tidying again after the fields are put in.
    """
    marked = text.format_map({**values, **{f: f"\0{f}\0" for f in PER_PATIENT}})
    parts = marked.split("\0")
    constant = _tidy(pd.Series(parts[0::2], dtype="str")).tolist()
    pieces: list[object] = [constant[0]]
    for position in range(1, len(parts), 2):
        field = pa.array(rows[parts[position]].to_numpy(dtype=object), type=pa.string())
        pieces += [field, constant[(position + 1) // 2]]
    if len(pieces) == 1:
        out = pd.Series(constant[0], index=rows.index, dtype="str")
    else:
        # One Arrow pass per group: no intermediate column per field.
        joined = pc.binary_join_element_wise(*pieces, "")
        out = pd.Series(joined.to_numpy(zero_copy_only=False), index=rows.index, dtype="str")
    empty = rows[parts[1::2]].eq("").any(axis=1) if len(parts) > 1 else None
    if empty is not None and empty.any():
        out[empty] = _tidy(out[empty]).to_numpy()
    return out.str.strip(" ")
