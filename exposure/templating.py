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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .errors import ConfigError

__all__ = ["CHANNEL_FILE", "PERSONAL", "PER_PATIENT", "PLACEHOLDERS", "TEMPLATE_NAMES", "VARIANTS",
           "Filled", "Template", "TemplateSet", "fill", "in_row_order", "load_templates",
           "render_groups", "shipped_templates"]

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


@dataclass(frozen=True)
class Filled:
    """A template with one group's values in: tidied text around the per-patient fields.

    ``constants`` has one more item than ``fields``: the text before the first
    field, between two fields, and after the last one.
    """

    constants: tuple[str, ...]
    fields: tuple[str, ...]


def fill(jobs: Sequence[tuple[str, Mapping[str, str]]]) -> list[Filled]:
    """Put each group's values in its text, then tidy all those texts in one Arrow pass.

    Tidying the few texts of each group apart (some 3,000 calls) took longer
    than rendering all the messages. A NUL marks each per-patient field: no
    template and no group value holds one.

    Examples
    --------
    >>> fill([("{controller}  : bonjour {first_name}", {"controller": "Clinique.."})])
    [Filled(constants=('Clinique. : bonjour ', ''), fields=('first_name',))]
    """
    markers = {field: f"\0{field}\0" for field in PER_PATIENT}
    split = [text.format_map({**values, **markers}).split("\0") for text, values in jobs]
    flat = pa.array([part for parts in split for part in parts[0::2]], pa.large_string())
    tidied = iter(_tidy(flat).to_pylist())
    return [Filled(tuple(next(tidied) for _ in parts[0::2]), tuple(parts[1::2]))
            for parts in split]


def render_groups(filled: Sequence[Filled], groups: Sequence[np.ndarray], fields: pa.Table, *,
                  strip_newlines: bool = False) -> tuple[np.ndarray, pa.ChunkedArray]:
    """The text of the rows of each group, each group with its own filled template.

    Parameters
    ----------
    filled : sequence of Filled
        One per group.
    groups : sequence of ndarray of int
        The rows of ``fields`` in each group.
    fields : pyarrow.Table
        The per-patient values (:data:`PER_PATIENT`) of every row, as text.
    strip_newlines : bool, default=False
        Also remove the newlines at the end of each text.

    Returns
    -------
    rows : ndarray of int
        The row in ``fields`` of each text.
    text : pyarrow.ChunkedArray of large_string
        One chunk (or two) per group: no copy of the texts. See :func:`in_row_order`.

    Examples
    --------
    >>> filled = fill([("Bonjour {first_name} , réf. {reference}\\n", {})])
    >>> fields = pa.table({"first_name": ["Ana", ""], "reference": ["7", "8"]})
    >>> rows, text = render_groups(filled, [np.array([1, 0])], fields, strip_newlines=True)
    >>> in_row_order([(rows, text)], 2).to_pylist()
    ['Bonjour Ana, réf. 7', 'Bonjour, réf. 8']
    """
    fields = fields.cast(pa.schema([(name, pa.large_string()) for name in fields.column_names]))
    values = fields.take(np.concatenate(groups))  # one take, then a slice per group
    rows, texts, start = [], [], 0
    for one, group in zip(filled, groups):
        order, text = _render(one, values.slice(start, len(group)),
                              strip_newlines=strip_newlines)
        rows.append(group[order])
        texts += text.chunks
        start += len(group)
    return np.concatenate(rows), pa.chunked_array(texts, type=pa.large_string())


def in_row_order(parts: Sequence[tuple[np.ndarray, pa.Array | pa.ChunkedArray]],
                 n_rows: int) -> pa.Array:
    """Texts given with their rows (:func:`render_groups`), put in row order.

    One copy of the texts into one array, then one take: messages are
    rendered some rows at a time (:class:`exposure.message_text.MessageText`),
    so the copy is of one slice. Taking block by block from the chunks made
    thousands of small takes, the larger part of the rendering time.
    """
    chunks = [c for _, text in parts
              for c in (text.chunks if isinstance(text, pa.ChunkedArray) else [text])]
    texts = pa.concat_arrays(chunks) if chunks else pa.array([], pa.large_string())
    where = np.empty(n_rows, dtype=np.int64)  # the position in texts of each row's text
    where[np.concatenate([r for r, _ in parts]) if parts else []] = np.arange(len(texts))
    return texts.take(where)


def _render(filled: Filled, rows: pa.Table, *,
            strip_newlines: bool = False) -> tuple[np.ndarray, pa.ChunkedArray]:
    """The text of each row of a group: its values in, tidied, stripped of spaces.

    The same as filling ``filled`` with each row's values, tidying the whole
    text again when a value is empty (:func:`_tidy`), then ``strip(" ")`` and,
    with ``strip_newlines``, ``rstrip("\\n")``. A row with every value present
    is one Arrow join: the strips are done on the group's text when its ends
    hold more than spaces and newlines.

    Returns
    -------
    order : ndarray of int
        Positions in ``rows`` of the texts, which come with empty values last.
    text : pyarrow.ChunkedArray of large_string, in ``order``.
    """
    if not filled.fields:
        text = filled.constants[0].strip(" ")
        text = text.rstrip("\n") if strip_newlines else text
        return np.arange(rows.num_rows), pa.chunked_array(
            [pa.repeat(pa.scalar(text, pa.large_string()), rows.num_rows)])
    empty = np.zeros(rows.num_rows, dtype=bool)
    for field in filled.fields:
        empty |= pc.equal(rows[field], "").to_numpy(zero_copy_only=False)
    if not empty.any():
        return np.arange(rows.num_rows), _join(filled, rows, tidy=False,
                                               strip_newlines=strip_newlines)
    order = np.concatenate([np.flatnonzero(~empty), np.flatnonzero(empty)])
    parts = [_join(filled, rows.filter(pa.array(mask)), tidy=tidy, strip_newlines=strip_newlines)
             for mask, tidy in ((~empty, False), (empty, True)) if mask.any()]
    return order, pa.chunked_array([c for part in parts for c in part.chunks],
                                   type=pa.large_string())


def _join(filled: Filled, rows: pa.Table, *, tidy: bool, strip_newlines: bool) -> pa.ChunkedArray:
    """Join the constants and the fields, tidy if asked, then strip.

    Without tidying, stripping a text is stripping its first or last constant
    as long as that keeps some of it: then no pass over the texts is needed.
    """
    head, *middle, tail = filled.constants
    trims: list[tuple[Callable[..., pa.ChunkedArray], str]] = []
    if not tidy and head.lstrip(" "):
        head = head.lstrip(" ")
    else:
        trims.append((pc.utf8_ltrim, " "))
    on_texts = tidy
    for characters in (" ", "\n") if strip_newlines else (" ",):
        on_texts = on_texts or not tail.rstrip(characters)
        if on_texts:
            trims.append((pc.utf8_rtrim, characters))
        else:
            tail = tail.rstrip(characters)
    pieces = [pa.scalar(head, pa.large_string())]
    for field, constant in zip(filled.fields, [*middle, tail]):
        pieces += [rows[field], pa.scalar(constant, pa.large_string())]
    text = pc.binary_join_element_wise(*pieces, pa.scalar("", pa.large_string()))
    if tidy:
        text = _tidy(text)
    for trim, characters in trims:
        text = trim(text, characters)
    return text


def _tidy(text: pa.Array) -> pa.Array:
    """Remove what an empty field or an incident text ending in "." leaves behind.

    A missing name or date leaves a double space or a space before a comma;
    "Mesures : {measures}." doubles the full stop when the incident's text
    already ends with one. (Arrow's RE2 engine: no look-around, no ``$``.)
    """
    text = pc.replace_substring(pc.replace_substring_regex(text, "[ \t]{2,}", " "), " ,", ",")
    text = pc.replace_substring_regex(pc.replace_substring_regex(text, " +\n", "\n"), "\n +", "\n")
    text = pc.replace_substring_regex(text, r"([^.])\.\.([^.])", r"\1.\2")
    doubled = pc.and_(pc.ends_with(text, ".."), pc.invert(pc.ends_with(text, "...")))
    return pc.if_else(doubled, pc.utf8_slice_codeunits(text, 0, -1), text)
